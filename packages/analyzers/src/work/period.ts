/**
 * @module period
 * Analysis periods: parsing `7d`-style durations and the period before a period.
 */
import { DevflowError } from "@devflow/events";

/** A time range, `from` inclusive and `to` exclusive (ms UTC). */
export interface Period {
  from: number;
  to: number;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i;
/** The longest period accepted (10 years). */
const MAX_MS = 3653 * 86_400_000;

/**
 * Parses a duration such as `90m`, `24h`, `7d` or `2w` into milliseconds.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_PERIOD` naming the text and the accepted forms.
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]! : NaN;
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_MS) {
    throw new DevflowError(
      "ANALYZERS_BAD_PERIOD",
      `"${text}" is not a period: use a number and a unit, e.g. 90m, 24h, 7d or 2w (at most 10 years)`,
    );
  }
  return Math.round(ms);
}

/**
 * The period of length `duration` (e.g. `7d`, or `all` for everything) ending at `until`.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_PERIOD` for an unparsable duration or `until`.
 */
export function periodEnding(duration: string, until: number): Period {
  if (!Number.isFinite(until) || until < 0) {
    throw new DevflowError(
      "ANALYZERS_BAD_PERIOD",
      `the end of the period must be a time, got ${String(until)}`,
    );
  }
  if (duration.trim().toLowerCase() === "all") return { from: 0, to: until };
  return { from: Math.max(0, until - parseDuration(duration)), to: until };
}

/** The period of the same length just before `period`. */
export function previousPeriod(period: Period): Period {
  const length = period.to - period.from;
  return { from: period.from - length, to: period.from };
}

/**
 * Parses the end of a period: an ISO date or date-time (`2024-05-01`, `2024-05-01T12:00:00Z`),
 * or milliseconds since the epoch.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_PERIOD` naming the text.
 */
export function parseInstant(text: string): number {
  const trimmed = text.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new DevflowError(
      "ANALYZERS_BAD_PERIOD",
      `"${text}" is not a time: use an ISO date such as 2024-05-01 or 2024-05-01T12:00:00Z`,
    );
  }
  return ms;
}
