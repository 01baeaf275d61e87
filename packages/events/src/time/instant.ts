/**
 * @module time/instant
 * Instants: `now`, `today`, `yesterday`, ISO dates (local midnight), ISO date-times with or
 * without an offset (none = the zone's wall clock), epoch milliseconds and ages (`90d`,
 * `2w ago`).
 */
import { DevflowError } from "../errors.js";
import { parseDuration, shiftInstant } from "./duration.js";
import { DAY_MS, TimeZone } from "./zone.js";

/** What relative forms are relative to: "now" (ms UTC) and the zone of local dates and times. */
export interface TimeContext {
  /** The current instant, ms UTC. */
  readonly now: number;
  /** The zone of dates and offset-less times (a name or a {@link TimeZone}); default `UTC`. */
  readonly zone?: TimeZone | string | undefined;
}

/** What the error messages list as accepted instants. */
export const INSTANT_HINT =
  "now, today, yesterday, a date (2026-03-29), a date-time (2026-03-29T14:30, 2026-03-29T14:30:00Z, 2026-03-29T14:30+05:30), epoch milliseconds, or an age such as 90m (minutes), 7d, 3mo (months) or '2w ago'";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The {@link TimeZone} of a context (`UTC` when none is given). */
export function zoneOf(ctx: Pick<TimeContext, "zone">): TimeZone {
  const z = ctx.zone;
  return z instanceof TimeZone ? z : TimeZone.of(z ?? "UTC");
}

function badInstant(text: string, why?: string): DevflowError {
  return new DevflowError(
    "EVENTS_BAD_INSTANT",
    `"${text.slice(0, 64)}" is not a time${why ? ` (${why})` : ""}; use ${INSTANT_HINT}`,
    { data: { value: text.slice(0, 64), why } },
  );
}

/** The `why` of a grammar error (its `data.why`), for nesting one error in another. */
export function reason(err: unknown): string | undefined {
  const why = err instanceof DevflowError ? err.data?.why : undefined;
  return typeof why === "string" ? why : undefined;
}

/** True when year-month-day is a real calendar date. */
function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * The local day (days since 1970-01-01 local) of a `YYYY-MM-DD` text, or `undefined` when the
 * text is not shaped like one.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_INSTANT` for a shaped but impossible date (2026-13-45).
 */
export function parseDay(text: string): number | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!realDate(y, mo, d)) throw badInstant(text, "no such date");
  return Math.floor(Date.UTC(y, mo - 1, d) / DAY_MS);
}

function dateTime(text: string, m: RegExpExecArray, zone: TimeZone): number {
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (!realDate(y, mo, d) || h > 23 || mi > 59 || s > 59) throw badInstant(text, "no such time");
  const local = Date.UTC(y, mo - 1, d, h, mi, s, frac);
  const offset = m[8];
  if (offset === undefined) return zone.fromLocalMs(local);
  if (offset.toUpperCase() === "Z") return local;
  const o = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
  const minutes = Number(o[2]) * 60 + Number(o[3] ?? 0);
  if (Number(o[2]) > 23 || Number(o[3] ?? 0) > 59) throw badInstant(text, "bad offset");
  return local - (o[1] === "-" ? -1 : 1) * minutes * 60_000;
}

/**
 * Parses an instant (ms UTC). Dates are local midnight in the context's zone; date-times
 * without an offset are the zone's wall clock; ages count back from `now`, months and years by
 * the zone's calendar.
 *
 * @throws {@link DevflowError} `EVENTS_BAD_INSTANT` naming the text and what is accepted;
 *   `EVENTS_BAD_TIME_ZONE` for an unknown zone.
 */
export function parseInstant(text: string, ctx: TimeContext): number {
  const zone = zoneOf(ctx);
  const value = text.trim();
  const lower = value.toLowerCase();
  if (lower === "now") return ctx.now;
  if (lower === "today") return zone.startOfDay(zone.dayNumber(ctx.now));
  if (lower === "yesterday") return zone.startOfDay(zone.dayNumber(ctx.now) - 1);
  const day = parseDay(value);
  if (day !== undefined) return zone.startOfDay(day);
  const dt = DATE_TIME.exec(value);
  if (dt) return dateTime(text, dt, zone);
  if (/^\d{12,}$/.test(value)) return Number(value);
  if (/^\d/.test(value)) {
    const age = value.replace(/\s+ago$/i, "");
    try {
      return shiftInstant(ctx.now, parseDuration(age), -1, zone);
    } catch (err) {
      throw badInstant(text, reason(err));
    }
  }
  throw badInstant(text);
}
