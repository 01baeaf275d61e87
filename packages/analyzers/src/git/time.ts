import { DevflowError } from "@devflow/events";

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Local calendar fields of an instant in a {@link TimeZone}. */
export interface LocalParts {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  /** 0–23. */
  hour: number;
  /** 0 = Monday … 6 = Sunday (ISO order, as git-quick-stats and DevLake's weeks). */
  weekday: number;
  /** Days since 1970-01-01 in local time (the local date as one integer). */
  dayNumber: number;
  /** Local time of day in ms since local midnight. */
  msOfDay: number;
}

/**
 * An IANA time zone used to bucket instants into local days, hours, weekdays and months.
 * Offsets are cached per UTC hour, so bucketing 100,000 commits asks `Intl` at most once per
 * distinct hour.
 */
export class TimeZone {
  /** The zone name as given (`UTC`, `Europe/Berlin`, …). */
  readonly name: string;
  readonly #format: Intl.DateTimeFormat | null;
  readonly #offsets = new Map<number, number>();

  private constructor(name: string, format: Intl.DateTimeFormat | null) {
    this.name = name;
    this.#format = format;
  }

  /**
   * The zone called `name` (default `UTC`).
   *
   * @throws {@link DevflowError} `ANALYZERS_BAD_OPTION` for a name `Intl` does not know.
   */
  static of(name = "UTC"): TimeZone {
    if (name === "UTC" || name === "Etc/UTC") return new TimeZone(name, null);
    try {
      const format = new Intl.DateTimeFormat("en-US", {
        timeZone: name,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      return new TimeZone(name, format);
    } catch (err) {
      throw new DevflowError("ANALYZERS_BAD_OPTION", `unknown time zone "${name}"`, {
        cause: err,
      });
    }
  }

  /** The zone's offset from UTC at instant `ms`, in ms (positive east of Greenwich). */
  offsetMs(ms: number): number {
    if (!this.#format) return 0;
    const hour = Math.floor(ms / HOUR_MS);
    let offset = this.#offsets.get(hour);
    if (offset === undefined) {
      const at = hour * HOUR_MS;
      const f: Record<string, number> = {};
      for (const p of this.#format.formatToParts(at)) {
        if (p.type !== "literal") f[p.type] = Number(p.value);
      }
      const local = Date.UTC(f.year!, f.month! - 1, f.day, f.hour, f.minute, f.second);
      offset = local - at;
      this.#offsets.set(hour, offset);
    }
    return offset;
  }

  /** The local calendar fields of instant `ms`. */
  parts(ms: number): LocalParts {
    const local = ms + this.offsetMs(ms);
    const d = new Date(local);
    const dayNumber = Math.floor(local / DAY_MS);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      weekday: (d.getUTCDay() + 6) % 7,
      dayNumber,
      msOfDay: local - dayNumber * DAY_MS,
    };
  }

  /** The local day number (days since 1970-01-01 local) of instant `ms`. */
  dayNumber(ms: number): number {
    return Math.floor((ms + this.offsetMs(ms)) / DAY_MS);
  }

  /** The instant local midnight of `dayNumber` starts (exact across DST changes). */
  startOfDay(dayNumber: number): number {
    const guess = dayNumber * DAY_MS;
    let at = guess - this.offsetMs(guess);
    // One correction step settles a guess that straddled an offset change.
    at = guess - this.offsetMs(at);
    return at;
  }
}

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

const RELATIVE = /^(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)(\s+ago)?$/i;

/**
 * Parses a date option: `YYYY-MM-DD` (local midnight in `zone`), an ISO date-time
 * (`2026-01-31T12:00:00Z`), epoch milliseconds, or a relative age such as `90d`,
 * `6 months ago`, `2w`, `1y` (counted back from `now`, months and years by the calendar).
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_OPTION` naming the text that was not understood.
 */
export function parseDateOption(text: string, now: number, zone: TimeZone = TimeZone.of()): number {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isNaN(ms)) return zone.startOfDay(Math.floor(ms / DAY_MS));
  }
  if (/^\d{12,}$/.test(value)) return Number(value);
  const rel = RELATIVE.exec(value);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2]!.toLowerCase()[0];
    if (unit === "d") return now - n * DAY_MS;
    if (unit === "w") return now - n * 7 * DAY_MS;
    const d = new Date(now);
    if (unit === "m") d.setUTCMonth(d.getUTCMonth() - n);
    else d.setUTCFullYear(d.getUTCFullYear() - n);
    return d.getTime();
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new DevflowError(
    "ANALYZERS_BAD_OPTION",
    `"${text}" is not a date (use YYYY-MM-DD, an ISO date-time, or an age such as 90d or "6 months ago")`,
  );
}
