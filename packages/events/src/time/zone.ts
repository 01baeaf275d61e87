/**
 * @module time/zone
 * IANA time zones with cached UTC offsets, for turning instants into local calendar fields and
 * local dates and times back into instants (exact across DST changes).
 */
import { DevflowError } from "../errors.js";

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
  /** 0 = Monday … 6 = Sunday (ISO order). */
  weekday: number;
  /** Days since 1970-01-01 in local time (the local date as one integer). */
  dayNumber: number;
  /** Local time of day in ms since local midnight. */
  msOfDay: number;
}

const zones = new Map<string, TimeZone>();

/**
 * An IANA time zone used to bucket instants into local days, hours, weekdays and months.
 * Offsets are cached per UTC hour, so bucketing 100,000 commits asks `Intl` at most once per
 * distinct hour; {@link TimeZone.of} hands out one shared instance per name, so the cache
 * survives between calls.
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
   * The zone called `name` (default `UTC`), validated by `Intl`.
   *
   * @throws {@link DevflowError} `EVENTS_BAD_TIME_ZONE` naming a zone `Intl` does not know.
   */
  static of(name = "UTC"): TimeZone {
    const cached = zones.get(name);
    if (cached) return cached;
    const zone = TimeZone.#create(name);
    if (zones.size > 256) zones.clear();
    zones.set(name, zone);
    return zone;
  }

  /** The zone this machine runs in (`Intl`'s resolved zone; `UTC` when it has none). */
  static system(): TimeZone {
    return TimeZone.of(new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  }

  static #create(name: string): TimeZone {
    if (name === "UTC" || name === "Etc/UTC") return new TimeZone(name, null);
    try {
      if (name.trim() === "") throw new DevflowError("EVENTS_BAD_TIME_ZONE", "empty time zone");
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
      throw new DevflowError(
        "EVENTS_BAD_TIME_ZONE",
        `unknown time zone "${name.slice(0, 64)}": use an IANA name such as UTC, Europe/Berlin or America/New_York`,
        { cause: err },
      );
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
    return this.fromLocalMs(dayNumber * DAY_MS);
  }

  /**
   * The instant of a local date and time (`month` 1–12; days and months out of range roll
   * over as in `Date.UTC`). A local time skipped by a DST change lands after the gap.
   */
  fromLocal(year: number, month: number, day: number, msOfDay = 0): number {
    return this.fromLocalMs(Date.UTC(year, month - 1, day) + msOfDay);
  }

  /** The instant of local wall-clock time `local` (ms since 1970-01-01 local). */
  fromLocalMs(local: number): number {
    let at = local - this.offsetMs(local);
    // One correction step settles a guess that straddled an offset change.
    at = local - this.offsetMs(at);
    return at;
  }
}
