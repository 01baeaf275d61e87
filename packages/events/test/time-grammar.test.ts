/**
 * The time grammar against the shared case table (`@devflow/test-fixtures/time-cases`), plus its error contract:
 * one code per kind, messages naming the bad value and listing what is accepted.
 */
import { describe, expect, it } from "vitest";
import {
  durationMs,
  isDevflowError,
  parseDuration,
  parseInstant,
  parsePeriod,
  periodBetween,
  previousRange,
  shiftInstant,
  TimeZone,
} from "../src/index.js";
import {
  BAD_DURATIONS,
  BAD_INSTANTS,
  BAD_PERIODS,
  BAD_ZONES,
  DURATIONS,
  INSTANTS,
  NOW,
  PERIODS,
} from "@devflow/test-fixtures/time-cases";

const iso = (ms: number): string => new Date(ms).toISOString();

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isDevflowError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected an error");
}

describe("durations", () => {
  it.each(DURATIONS)("$text", ({ text, months, ms }) => {
    expect(parseDuration(text)).toEqual({ months, ms });
  });

  it.each(BAD_DURATIONS)("refuses %j naming it and the units", (text) => {
    const { code, message } = codeOf(() => parseDuration(text));
    expect(code).toBe("EVENTS_BAD_DURATION");
    expect(message).toContain(`"${text.trim() === text ? text : text}"`);
    expect(message).toContain("m (minutes)");
    expect(message).toContain("mo (months)");
  });

  it("says why 90M is refused", () => {
    expect(codeOf(() => parseDuration("90M")).message).toMatch(/ambiguous.*m for minutes.*mo/);
  });

  it("gives exact lengths, months as an average month", () => {
    expect(durationMs("90m")).toBe(5_400_000);
    expect(durationMs("1mo")).toBe(Math.round((365.25 * 86_400_000) / 12));
  });

  it("shifts by the calendar: Jan 31 + 1mo is Feb 28, in the zone", () => {
    const jan31 = Date.UTC(2026, 0, 31, 12);
    expect(iso(shiftInstant(jan31, parseDuration("1mo"), 1))).toBe("2026-02-28T12:00:00.000Z");
    // 2026-03-28 12:00 CET + 1d exact = 13:00 CEST next day; + 1mo keeps 12:00 local
    const berlin = TimeZone.of("Europe/Berlin");
    const sat = Date.UTC(2026, 2, 28, 11);
    expect(iso(shiftInstant(sat, parseDuration("1d"), 1, berlin))).toBe("2026-03-29T11:00:00.000Z");
    expect(iso(shiftInstant(sat, parseDuration("1mo"), 1, berlin))).toBe(
      "2026-04-28T10:00:00.000Z",
    );
  });
});

describe("instants", () => {
  it.each(INSTANTS)("$text in $zone", ({ text, zone, iso: expected }) => {
    expect(iso(parseInstant(text, { now: NOW, zone }))).toBe(expected);
  });

  it.each(BAD_INSTANTS)("refuses %j naming it and the accepted forms", (text) => {
    const { code, message } = codeOf(() => parseInstant(text, { now: NOW }));
    expect(code).toBe("EVENTS_BAD_INSTANT");
    expect(message).toContain(`"${text}"`);
    expect(message).toContain("now, today, yesterday, a date");
  });
});

describe("periods", () => {
  it.each(PERIODS)("$text in $zone", ({ text, zone, from, to }) => {
    const r = parsePeriod(text, { now: NOW, zone });
    expect([iso(r.from), iso(r.to)]).toEqual([from, to]);
  });

  it.each(BAD_PERIODS)("refuses %j naming it and the accepted forms", (text) => {
    const { code, message } = codeOf(() => parsePeriod(text, { now: NOW }));
    expect(code).toBe("EVENTS_BAD_PERIOD");
    expect(message).toContain(`"${text}"`);
    expect(message).toMatch(/; use today, yesterday, this_week/);
  });

  it("takes explicit since/until, an until date including its day", () => {
    const r = periodBetween({ since: "2026-03-01", until: "2026-03-02" }, { now: NOW });
    expect([iso(r.from), iso(r.to)]).toEqual([
      "2026-03-01T00:00:00.000Z",
      "2026-03-03T00:00:00.000Z",
    ]);
    expect(periodBetween({}, { now: NOW })).toEqual({ from: 0, to: NOW });
    expect(periodBetween({ since: "90m" }, { now: NOW, zone: "Asia/Kolkata" })).toEqual({
      from: NOW - 90 * 60_000,
      to: NOW,
    });
    expect(codeOf(() => periodBetween({ since: "today", until: "7d" }, { now: NOW })).code).toBe(
      "EVENTS_BAD_PERIOD",
    );
    expect(previousRange({ from: 100, to: 300 })).toEqual({ from: -100, to: 100 });
  });
});

describe("time zones", () => {
  it.each(BAD_ZONES)("refuses %j", (name) => {
    const { code, message } = codeOf(() => TimeZone.of(name));
    expect(code).toBe("EVENTS_BAD_TIME_ZONE");
    expect(message).toContain(`"${name}"`);
    expect(message).toContain("IANA");
    expect(codeOf(() => parsePeriod("today", { now: NOW, zone: name })).code).toBe(
      "EVENTS_BAD_TIME_ZONE",
    );
  });

  it("shares one instance (and its offset cache) per name", () => {
    expect(TimeZone.of("Europe/Berlin")).toBe(TimeZone.of("Europe/Berlin"));
  });

  it("has exact offsets around the DST change and in half-hour zones", () => {
    const berlin = TimeZone.of("Europe/Berlin");
    expect(berlin.offsetMs(Date.UTC(2026, 2, 29, 0, 59))).toBe(3_600_000);
    expect(berlin.offsetMs(Date.UTC(2026, 2, 29, 1, 0))).toBe(7_200_000);
    expect(TimeZone.of("Asia/Kolkata").offsetMs(NOW)).toBe(5.5 * 3_600_000);
    expect(berlin.parts(NOW)).toMatchObject({
      year: 2026,
      month: 3,
      day: 29,
      hour: 16,
      weekday: 6,
    });
  });
});
