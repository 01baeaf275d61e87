/**
 * Natural time ranges for tools: `today`, `yesterday`, `this_week`, `last_week`, `this_month`,
 * `last_month`, durations back from now (`90m`, `24h`, `7d`, `4w`), ISO dates (`2026-11-01`,
 * a whole UTC day) and ISO instants, or explicit `since`/`until`. All in UTC.
 */
import { DevflowError } from "@devflow/events";
import { z } from "zod";

/** A half-open range of ms UTC: `from` inclusive, `to` exclusive. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

const DAY = 86_400_000;
const UNIT = { m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY } as const;

/** The zod schema of a period argument, described for a model. */
export const PeriodSchema = z
  .string()
  .max(64)
  .describe(
    "Time range: today, yesterday, this_week, last_week, this_month, last_month, a duration back from now (24h, 7d, 4w), an ISO date (2026-11-01 = that UTC day) or 'ISO/ISO'. Default 7d.",
  );

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function bad(value: string): DevflowError {
  return new DevflowError(
    "TOOLS_BAD_PERIOD",
    `Unrecognised period "${value.slice(0, 64)}"; use today, yesterday, this_week, 7d, 24h, an ISO date, or 'ISO/ISO'.`,
  );
}

function instant(value: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw bad(value);
  return ms;
}

/** Parses a period at `now`; throws `TOOLS_BAD_PERIOD` saying what is accepted. */
export function parsePeriod(period: string | undefined, now: Date, fallback = "7d"): TimeRange {
  try {
    return parseLower((period ?? fallback).trim().toLowerCase(), now);
  } catch (err) {
    if (err instanceof DevflowError) throw bad(period ?? fallback);
    throw err;
  }
}

function parseLower(value: string, now: Date): TimeRange {
  const t = now.getTime();
  const today = startOfDay(t);
  const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday = 0
  const month = new Date(today);
  const monthStart = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
  switch (value) {
    case "today":
      return { from: today, to: today + DAY };
    case "yesterday":
      return { from: today - DAY, to: today };
    case "this_week":
      return { from: today - weekday * DAY, to: today + DAY };
    case "last_week":
      return { from: today - (weekday + 7) * DAY, to: today - weekday * DAY };
    case "this_month":
      return { from: monthStart, to: today + DAY };
    case "last_month":
      return {
        from: Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - 1, 1),
        to: monthStart,
      };
  }
  const d = /^(\d{1,5})(m|h|d|w)$/.exec(value);
  if (d) return { from: t - Number(d[1]) * UNIT[d[2] as keyof typeof UNIT], to: t + 1 };
  if (value.includes("/")) {
    const [a = "", b = ""] = value.split("/");
    const from = instant(a.toUpperCase());
    const to = /^\d{4}-\d{2}-\d{2}$/.test(b) ? instant(b) + DAY : instant(b.toUpperCase());
    if (!(to > from)) throw bad(value);
    return { from, to };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const from = instant(value);
    return { from, to: from + DAY };
  }
  const from = instant(value.toUpperCase());
  return { from, to: t + 1 };
}

/** The previous range of the same length (for period-over-period comparisons). */
export function previousRange(range: TimeRange): TimeRange {
  return { from: range.from - (range.to - range.from), to: range.from };
}
