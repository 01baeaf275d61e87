/**
 * @module time/duration
 * Durations such as `90s`, `90m` (minutes, always), `24h`, `7d`, `4w`, `3mo`, `1y` and combined
 * forms (`1h30m`, `2 days 4 hours`). Units come from `parse-duration`'s English table; months
 * and years are kept apart as calendar units so they can be applied in a time zone.
 */
import parse from "parse-duration";
import { DevflowError } from "../errors.js";
import { DAY_MS, TimeZone } from "./zone.js";

/** A parsed duration: whole calendar months (years are 12 months) plus exact milliseconds. */
export interface Duration {
  /** Calendar months (`3mo` = 3, `1y` = 12). */
  readonly months: number;
  /** Exact milliseconds (seconds to weeks). */
  readonly ms: number;
}

/** The unit names accepted, by what they mean (plural `s` is also accepted: `days`). */
export const DURATION_UNITS: Readonly<Record<string, readonly string[]>> = {
  seconds: ["s", "sec", "second"],
  minutes: ["m", "min", "minute"],
  hours: ["h", "hr", "hour"],
  days: ["d", "day"],
  weeks: ["w", "wk", "week"],
  months: ["mo", "mth", "month"],
  years: ["y", "yr", "year"],
};

const ACCEPTED = new Set(Object.values(DURATION_UNITS).flat());
const CALENDAR_MONTHS: Readonly<Record<string, number>> = {
  mo: 1,
  mth: 1,
  month: 1,
  y: 12,
  yr: 12,
  year: 12,
};
/** The longest duration accepted: ten years. */
const MAX_MS = 3653 * DAY_MS;
const AVERAGE_MONTH_MS = parse("1mo") ?? (365.25 * DAY_MS) / 12;
const TOKEN = /(\d+(?:\.\d+)?)\s*(\p{L}+)\s*,?\s*/uy;

/** What the error messages list as accepted. */
export const DURATION_HINT =
  "a number and a unit: s, m (minutes), h, d, w, mo (months), y — e.g. 90s, 90m, 24h, 7d, 4w, 3mo, 1y, or combined like 1h30m";

function badDuration(text: string, why: string): DevflowError {
  return new DevflowError(
    "EVENTS_BAD_DURATION",
    `"${text.slice(0, 64)}" is not a duration (${why}); use ${DURATION_HINT} (at most 10 years)`,
    { data: { value: text.slice(0, 64), why } },
  );
}

function unitName(raw: string, text: string): string {
  if (raw === "M")
    throw badDuration(text, `"M" is ambiguous: write m for minutes or mo for months`);
  const lower = raw.toLowerCase();
  if (ACCEPTED.has(lower)) return lower;
  if (lower.endsWith("s") && ACCEPTED.has(lower.slice(0, -1)) && lower.length > 2) {
    return lower.slice(0, -1);
  }
  throw badDuration(text, `unknown unit "${raw.slice(0, 16)}"`);
}

/**
 * Parses a duration: one or more `<number><unit>` parts (`90m`, `1h30m`, `2 days, 4 hours`).
 * `m` is always minutes and `mo` months; months and years must be whole numbers.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_DURATION` naming the text and the accepted units, for
 *   an unknown or ambiguous unit, a missing unit, zero, or more than 10 years.
 */
export function parseDuration(text: string): Duration {
  const value = text.trim();
  if (value === "") throw badDuration(text, "it is empty");
  let months = 0;
  let ms = 0;
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < value.length) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(value);
    if (!m) throw badDuration(text, "expected a number followed by a unit");
    at = TOKEN.lastIndex;
    const unit = unitName(m[2]!, text);
    const calendar = CALENDAR_MONTHS[unit];
    if (calendar !== undefined) {
      if (!/^\d+$/.test(m[1]!)) throw badDuration(text, "months and years must be whole numbers");
      months += Number(m[1]) * calendar;
    } else {
      const part = parse(`${m[1]}${unit}`);
      if (part === null || !Number.isFinite(part)) throw badDuration(text, "not a number");
      ms += part;
    }
  }
  if (months === 0 && ms === 0) throw badDuration(text, "it is zero");
  if (ms + months * AVERAGE_MONTH_MS > MAX_MS) throw badDuration(text, "it is too long");
  return { months, ms: Math.round(ms) };
}

/**
 * The length of a duration in milliseconds; months count as an average month (30.44 days,
 * `parse-duration`'s table). Use {@link shiftInstant} where the calendar matters.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_DURATION` as {@link parseDuration}.
 */
export function durationMs(text: string): number {
  const d = parseDuration(text);
  return Math.round(d.ms + d.months * AVERAGE_MONTH_MS);
}

/**
 * `ms` moved by `duration` (`direction` -1 = back in time): months by the calendar of `zone`
 * (same local day and time, clamped to the month's last day), then the exact part.
 */
export function shiftInstant(
  ms: number,
  duration: Duration,
  direction: 1 | -1,
  zone: TimeZone = TimeZone.of(),
): number {
  let at = ms;
  if (duration.months !== 0) {
    const p = zone.parts(ms);
    const index = p.year * 12 + p.month - 1 + direction * duration.months;
    const year = Math.floor(index / 12);
    const month = index - year * 12 + 1;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    at = zone.fromLocal(year, month, Math.min(p.day, last), p.msOfDay);
  }
  return at + direction * duration.ms;
}
