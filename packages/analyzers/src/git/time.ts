/**
 * @module git/time
 * Calendar keys of the git analyses, and `parseDateOption`, the git scope's face of the one time
 * grammar in `@devflow/events` (where `TimeZone` now lives).
 */
import { DAY_MS, type LocalParts, parseInstant, TimeZone } from "@devflow/events";

/** `YYYY-MM-DD` of a local day number. */
export function dayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** A month as one integer (`year * 12 + month - 1`), for arithmetic. */
export function monthIndex(year: number, month: number): number {
  return year * 12 + month - 1;
}

/** `YYYY-MM` of a {@link monthIndex}. */
export function monthKey(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/**
 * Whole months from `from` to `to` in local time (Joda's `monthsBetween`, which code-maat's
 * age analysis uses): a month counts only once its day and time of day are reached.
 */
export function wholeMonthsBetween(from: LocalParts, to: LocalParts): number {
  let months = (to.year - from.year) * 12 + (to.month - from.month);
  const later = (a: LocalParts, b: LocalParts): boolean =>
    a.day > b.day || (a.day === b.day && a.msOfDay > b.msOfDay);
  if (months > 0 && later(from, to)) months--;
  else if (months < 0 && later(to, from)) months++;
  return months;
}

/**
 * Parses a date option with the time grammar of `@devflow/events`: `YYYY-MM-DD` (local
 * midnight in `zone`), an ISO date-time (no offset = `zone`'s wall clock), epoch milliseconds,
 * `now`/`today`/`yesterday`, or an age such as `90m` (minutes), `90d`, `2w ago`, `3mo`,
 * `6 months ago`, `1y` (counted back from `now`, months and years by the calendar of `zone`).
 *
 * @throws {@link DevflowError} `EVENTS_BAD_INSTANT` naming the text and what is accepted.
 */
export function parseDateOption(text: string, now: number, zone: TimeZone = TimeZone.of()): number {
  return parseInstant(text, { now, zone });
}
