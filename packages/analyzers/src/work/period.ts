/**
 * @module period
 * Analysis periods: the period of a duration ending at a time, and the period before a period.
 * Durations and instants are parsed by the one time grammar of `@devflow/events`.
 */
import {
  DevflowError,
  parseDuration,
  parseInstant as parseTime,
  shiftInstant,
} from "@devflow/events";

/** A time range, `from` inclusive and `to` exclusive (ms UTC). */
export interface Period {
  from: number;
  to: number;
}

/**
 * The period of length `duration` (e.g. `90m` = 90 minutes, `7d`, `3mo`, or `all` for
 * everything) ending at `until`; months and years count by the UTC calendar.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_DURATION` for an unparsable duration (naming it and
 *   the accepted units), `ANALYZERS_BAD_ARGUMENT` for an `until` that is not a time.
 */
export function periodEnding(duration: string, until: number): Period {
  if (!Number.isFinite(until) || until < 0) {
    throw new DevflowError(
      "ANALYZERS_BAD_ARGUMENT",
      `the end of the period must be a time, got ${String(until)}`,
    );
  }
  if (duration.trim().toLowerCase() === "all") return { from: 0, to: until };
  return { from: Math.max(0, shiftInstant(until, parseDuration(duration), -1)), to: until };
}

/** The period of the same length just before `period`. */
export function previousPeriod(period: Period): Period {
  const length = period.to - period.from;
  return { from: period.from - length, to: period.from };
}

/**
 * Parses the end of a period with the time grammar, in UTC: an ISO date or date-time
 * (`2024-05-01`, `2024-05-01T12:00:00Z`), epoch milliseconds, `now`/`today`/`yesterday`, or an
 * age such as `90m` or `7d` before `now`.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_INSTANT` naming the text and what is accepted.
 */
export function parseInstant(text: string, now: number = Date.now()): number {
  return parseTime(text, { now, zone: "UTC" });
}
