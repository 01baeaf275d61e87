/**
 * The shared table of time-grammar cases: run against the grammar itself
 * (`time-grammar.test.ts`) and against every face's entry point (analyzers' helpers, mcp-tools'
 * `parsePeriod`/`analysisPeriod`/`gitScope`, the CLI's flag parsers).
 *
 * Every expected instant was worked out by hand from {@link NOW} — Sunday 2026-03-29 14:30 UTC,
 * the day Europe/Berlin moves from CET (+01:00) to CEST (+02:00) at 01:00 UTC, so its local day
 * has 23 hours; in Asia/Kolkata (+05:30) it is 20:00 that Sunday. ISO weeks start on Monday
 * 2026-03-23.
 */

/** "now" of every case: Sunday 2026-03-29T14:30:00Z. */
export const NOW = Date.UTC(2026, 2, 29, 14, 30);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A duration text and its parsed value (calendar months + exact ms). */
export interface DurationCase {
  text: string;
  months: number;
  ms: number;
}

export const DURATIONS: readonly DurationCase[] = [
  { text: "90s", months: 0, ms: 90_000 },
  { text: "90m", months: 0, ms: 90 * MIN },
  { text: " 90m ", months: 0, ms: 90 * MIN },
  { text: "90min", months: 0, ms: 90 * MIN },
  { text: "24h", months: 0, ms: DAY },
  { text: "1.5h", months: 0, ms: 90 * MIN },
  { text: "7d", months: 0, ms: 7 * DAY },
  { text: "2W", months: 0, ms: 14 * DAY },
  { text: "4w", months: 0, ms: 28 * DAY },
  { text: "3mo", months: 3, ms: 0 },
  { text: "2 months", months: 2, ms: 0 },
  { text: "1y", months: 12, ms: 0 },
  { text: "1h30m", months: 0, ms: 90 * MIN },
  { text: "2 days 4 hours", months: 0, ms: 2 * DAY + 4 * HOUR },
  { text: "1y2mo", months: 14, ms: 0 },
];

/** Texts that are not durations. */
export const BAD_DURATIONS: readonly string[] = [
  "",
  "7",
  "d",
  "-1d",
  "0d",
  "soon",
  "99999w",
  "11y",
  "90M",
  "5x",
  "1e9d",
  "1.5mo",
  "7d foo",
];

/** An instant text in a zone and the instant it means (ISO, UTC). */
export interface InstantCase {
  text: string;
  zone: string;
  iso: string;
}

export const INSTANTS: readonly InstantCase[] = [
  { text: "now", zone: "UTC", iso: "2026-03-29T14:30:00.000Z" },
  { text: "today", zone: "UTC", iso: "2026-03-29T00:00:00.000Z" },
  { text: "yesterday", zone: "UTC", iso: "2026-03-28T00:00:00.000Z" },
  { text: "2026-03-01", zone: "UTC", iso: "2026-03-01T00:00:00.000Z" },
  { text: "90m", zone: "UTC", iso: "2026-03-29T13:00:00.000Z" },
  { text: "7d", zone: "UTC", iso: "2026-03-22T14:30:00.000Z" },
  { text: "2w ago", zone: "UTC", iso: "2026-03-15T14:30:00.000Z" },
  { text: "3mo", zone: "UTC", iso: "2025-12-29T14:30:00.000Z" },
  { text: "6 months ago", zone: "UTC", iso: "2025-09-29T14:30:00.000Z" },
  { text: "1y", zone: "UTC", iso: "2025-03-29T14:30:00.000Z" },
  { text: "2026-03-29T10:00", zone: "UTC", iso: "2026-03-29T10:00:00.000Z" },
  { text: "2026-03-29T10:00:00+05:30", zone: "UTC", iso: "2026-03-29T04:30:00.000Z" },
  { text: "2026-03-29T10:00:00.250Z", zone: "Europe/Berlin", iso: "2026-03-29T10:00:00.250Z" },
  { text: "1714521600000", zone: "UTC", iso: "2024-05-01T00:00:00.000Z" },
  // Berlin on its DST day: midnight is still CET (+1), noon is CEST (+2).
  { text: "today", zone: "Europe/Berlin", iso: "2026-03-28T23:00:00.000Z" },
  { text: "yesterday", zone: "Europe/Berlin", iso: "2026-03-27T23:00:00.000Z" },
  { text: "2026-03-30", zone: "Europe/Berlin", iso: "2026-03-29T22:00:00.000Z" },
  { text: "2026-03-29T12:00", zone: "Europe/Berlin", iso: "2026-03-29T10:00:00.000Z" },
  { text: "2026-03-28T12:00", zone: "Europe/Berlin", iso: "2026-03-28T11:00:00.000Z" },
  // 02:30 does not exist that night; it lands after the gap, at 03:30 CEST.
  { text: "2026-03-29T02:30", zone: "Europe/Berlin", iso: "2026-03-29T01:30:00.000Z" },
  // a day is 24 exact hours; a month is by the calendar (16:30 CEST → 16:30 CET, Feb 28 clamp)
  { text: "1d", zone: "Europe/Berlin", iso: "2026-03-28T14:30:00.000Z" },
  { text: "1mo", zone: "Europe/Berlin", iso: "2026-02-28T15:30:00.000Z" },
  { text: "today", zone: "Asia/Kolkata", iso: "2026-03-28T18:30:00.000Z" },
  { text: "2026-03-01", zone: "Asia/Kolkata", iso: "2026-02-28T18:30:00.000Z" },
  { text: "2026-03-29T10:00", zone: "Asia/Kolkata", iso: "2026-03-29T04:30:00.000Z" },
  { text: "90m", zone: "Asia/Kolkata", iso: "2026-03-29T13:00:00.000Z" },
];

/** Texts that are not instants. */
export const BAD_INSTANTS: readonly string[] = [
  "",
  "soon",
  "2026-13-45",
  "2026-02-30",
  "2026-03-29T25:00",
  "yesterday-ish",
  "90M",
  "0d",
];

/** A period text in a zone and its half-open range (ISO, UTC). */
export interface PeriodCase {
  text: string;
  zone: string;
  from: string;
  to: string;
}

const T = (s: string): string => `2026-03-${s}.000Z`;
const NOW_ISO = "2026-03-29T14:30:00.000Z";

export const PERIODS: readonly PeriodCase[] = [
  { text: "today", zone: "UTC", from: T("29T00:00:00"), to: T("30T00:00:00") },
  { text: "yesterday", zone: "UTC", from: T("28T00:00:00"), to: T("29T00:00:00") },
  { text: "this_week", zone: "UTC", from: T("23T00:00:00"), to: T("30T00:00:00") },
  { text: "last_week", zone: "UTC", from: T("16T00:00:00"), to: T("23T00:00:00") },
  { text: "this_month", zone: "UTC", from: T("01T00:00:00"), to: T("30T00:00:00") },
  {
    text: "last_month",
    zone: "UTC",
    from: "2026-02-01T00:00:00.000Z",
    to: T("01T00:00:00"),
  },
  { text: "this_year", zone: "UTC", from: "2026-01-01T00:00:00.000Z", to: T("30T00:00:00") },
  {
    text: "last_year",
    zone: "UTC",
    from: "2025-01-01T00:00:00.000Z",
    to: "2026-01-01T00:00:00.000Z",
  },
  { text: "7d", zone: "UTC", from: T("22T14:30:00"), to: NOW_ISO },
  { text: "90m", zone: "UTC", from: T("29T13:00:00"), to: NOW_ISO },
  { text: "24h", zone: "UTC", from: T("28T14:30:00"), to: NOW_ISO },
  { text: "2026-03-01", zone: "UTC", from: T("01T00:00:00"), to: T("02T00:00:00") },
  { text: "2026-03-01/2026-03-03", zone: "UTC", from: T("01T00:00:00"), to: T("04T00:00:00") },
  { text: "2026-03-01..2026-03-03", zone: "UTC", from: T("01T00:00:00"), to: T("04T00:00:00") },
  {
    text: "2026-03-01T06:00Z/2026-03-01T18:00Z",
    zone: "UTC",
    from: T("01T06:00:00"),
    to: T("01T18:00:00"),
  },
  { text: "2026-03-20T12:00:00Z", zone: "UTC", from: T("20T12:00:00"), to: NOW_ISO },
  { text: "all", zone: "UTC", from: "1970-01-01T00:00:00.000Z", to: NOW_ISO },
  // Berlin: its "today" has 23 hours; weeks and months start at local midnight (CET).
  { text: "today", zone: "Europe/Berlin", from: T("28T23:00:00"), to: T("29T22:00:00") },
  { text: "yesterday", zone: "Europe/Berlin", from: T("27T23:00:00"), to: T("28T23:00:00") },
  { text: "this_week", zone: "Europe/Berlin", from: T("22T23:00:00"), to: T("29T22:00:00") },
  { text: "last_week", zone: "Europe/Berlin", from: T("15T23:00:00"), to: T("22T23:00:00") },
  {
    text: "this_month",
    zone: "Europe/Berlin",
    from: "2026-02-28T23:00:00.000Z",
    to: T("29T22:00:00"),
  },
  {
    text: "last_month",
    zone: "Europe/Berlin",
    from: "2026-01-31T23:00:00.000Z",
    to: "2026-02-28T23:00:00.000Z",
  },
  {
    text: "this_year",
    zone: "Europe/Berlin",
    from: "2025-12-31T23:00:00.000Z",
    to: T("29T22:00:00"),
  },
  { text: "2026-03-29", zone: "Europe/Berlin", from: T("28T23:00:00"), to: T("29T22:00:00") },
  {
    text: "2026-03-29/2026-03-30",
    zone: "Europe/Berlin",
    from: T("28T23:00:00"),
    to: T("30T22:00:00"),
  },
  { text: "90m", zone: "Europe/Berlin", from: T("29T13:00:00"), to: NOW_ISO },
  { text: "today", zone: "Asia/Kolkata", from: T("28T18:30:00"), to: T("29T18:30:00") },
  { text: "this_week", zone: "Asia/Kolkata", from: T("22T18:30:00"), to: T("29T18:30:00") },
  { text: "90m", zone: "Asia/Kolkata", from: T("29T13:00:00"), to: NOW_ISO },
];

/** Texts that are not periods. */
export const BAD_PERIODS: readonly string[] = [
  "",
  "soon",
  "7x",
  "2026-13-45",
  "2026-03-05/2026-03-01",
  "1e9d",
  "../etc",
  "90M",
  "a/b/c",
  "next-tuesday",
];

/** Names that are not IANA time zones. */
export const BAD_ZONES: readonly string[] = ["Mars/Olympus", "", "Europe/Berlinn"];
