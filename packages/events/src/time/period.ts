/**
 * @module time/period
 * Periods, half-open `[from, to)` ranges of ms UTC: calendar words, a duration back from now,
 * a whole local day, `A/B` or `A..B` ranges of instants, `all`, or explicit since/until.
 */
import { DevflowError } from "../errors.js";
import { parseDuration, shiftInstant } from "./duration.js";
import { parseDay, parseInstant, reason, type TimeContext, zoneOf } from "./instant.js";

/** A half-open range of ms UTC: `from` inclusive, `to` exclusive. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** The calendar words a period may be. */
export const PERIOD_WORDS = [
  "today",
  "yesterday",
  "this_week",
  "last_week",
  "this_month",
  "last_month",
  "this_year",
  "last_year",
  "all",
] as const;

/** What the error messages list as accepted periods. */
export const PERIOD_HINT =
  "today, yesterday, this_week, last_week (ISO weeks, Monday first), this_month, last_month, this_year, last_year, all, a duration back from now (90m = minutes, 24h, 7d, 3mo = months), a date (2026-03-29 = that local day), or a range A/B or A..B of dates or times";

function badPeriod(text: string, why?: string): DevflowError {
  return new DevflowError(
    "EVENTS_BAD_PERIOD",
    `"${text.slice(0, 64)}" is not a period${why ? ` (${why})` : ""}; use ${PERIOD_HINT}`,
    { data: { value: text.slice(0, 64), why } },
  );
}

function calendar(word: string, ctx: TimeContext): TimeRange | undefined {
  const zone = zoneOf(ctx);
  const p = zone.parts(ctx.now);
  const today = p.dayNumber;
  const day = (n: number): number => zone.startOfDay(n);
  const month = (y: number, m: number): number => zone.fromLocal(y, m, 1);
  switch (word) {
    case "today":
      return { from: day(today), to: day(today + 1) };
    case "yesterday":
      return { from: day(today - 1), to: day(today) };
    case "this_week":
      return { from: day(today - p.weekday), to: day(today + 1) };
    case "last_week":
      return { from: day(today - p.weekday - 7), to: day(today - p.weekday) };
    case "this_month":
      return { from: month(p.year, p.month), to: day(today + 1) };
    case "last_month":
      return { from: month(p.year, p.month - 1), to: month(p.year, p.month) };
    case "this_year":
      return { from: month(p.year, 1), to: day(today + 1) };
    case "last_year":
      return { from: month(p.year - 1, 1), to: month(p.year, 1) };
    case "all":
      return { from: 0, to: ctx.now };
    default:
      return undefined;
  }
}

function checked(text: string, range: TimeRange): TimeRange {
  if (!(range.to > range.from)) throw badPeriod(text, "it ends before it starts");
  return range;
}

/** The end of a range's second half: a date means the end of that whole local day. */
function rangeEnd(text: string, ctx: TimeContext): number {
  const day = parseDay(text);
  return day === undefined ? parseInstant(text, ctx) : zoneOf(ctx).startOfDay(day + 1);
}

/**
 * Parses a period. `this_week`, `this_month` and `this_year` run to the end of today; a
 * duration or a lone instant runs to `now`; `A/B` and `A..B` include B's whole day when B is
 * a date.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_PERIOD` naming the text and what is accepted (also
 *   for a bad range end); `EVENTS_BAD_TIME_ZONE` for an unknown zone.
 */
export function parsePeriod(text: string, ctx: TimeContext): TimeRange {
  try {
    return periodOf(text, ctx);
  } catch (err) {
    if (err instanceof DevflowError && err.code === "EVENTS_BAD_INSTANT") {
      throw badPeriod(text, reason(err) ?? `bad time "${String(err.data?.value)}"`);
    }
    throw err;
  }
}

function periodOf(text: string, ctx: TimeContext): TimeRange {
  const value = text.trim();
  const word = calendar(value.toLowerCase(), ctx);
  if (word) return word;
  const parts = value.includes("..") ? value.split("..") : value.split("/");
  if (parts.length === 2) {
    const [a = "", b = ""] = parts;
    if (a.trim() === "" || b.trim() === "") throw badPeriod(text, "a range needs both ends");
    return checked(text, { from: parseInstant(a, ctx), to: rangeEnd(b, ctx) });
  }
  if (parts.length > 2) throw badPeriod(text);
  const day = parseDay(value);
  if (day !== undefined) {
    const zone = zoneOf(ctx);
    return { from: zone.startOfDay(day), to: zone.startOfDay(day + 1) };
  }
  if (/^\d+(\.\d+)?\s*\p{L}/u.test(value) && !/\s+ago$/i.test(value)) {
    let duration;
    try {
      duration = parseDuration(value);
    } catch (err) {
      throw badPeriod(text, reason(err));
    }
    return { from: Math.max(0, shiftInstant(ctx.now, duration, -1, zoneOf(ctx))), to: ctx.now };
  }
  let from: number;
  try {
    from = parseInstant(value, ctx);
  } catch (err) {
    if (err instanceof DevflowError && err.code === "EVENTS_BAD_TIME_ZONE") throw err;
    throw badPeriod(text);
  }
  return checked(text, { from, to: ctx.now });
}

/**
 * The period between explicit ends: `since` (default: the beginning, 0) and `until` (default
 * `now`), each any instant {@link parseInstant} takes; an `until` date includes that day.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_INSTANT` for a bad end, `EVENTS_BAD_PERIOD` when the
 *   period ends before it starts.
 */
export function periodBetween(
  ends: { since?: string | undefined; until?: string | undefined },
  ctx: TimeContext,
): TimeRange {
  const from = ends.since === undefined ? 0 : parseInstant(ends.since, ctx);
  const to = ends.until === undefined ? ctx.now : rangeEnd(ends.until, ctx);
  return checked(`${ends.since ?? ""}..${ends.until ?? ""}`, { from, to });
}

/** The range of the same length just before `range` (for period-over-period comparisons). */
export function previousRange(range: TimeRange): TimeRange {
  return { from: range.from - (range.to - range.from), to: range.from };
}
