import { describe, expect, it } from "vitest";
import { parsePeriod, previousRange } from "../src/time-range.js";

const now = new Date("2026-11-26T15:30:00.000Z"); // a Thursday
const iso = (r: { from: number; to: number }) => [
  new Date(r.from).toISOString(),
  new Date(r.to).toISOString(),
];

describe("parsePeriod", () => {
  it("understands calendar words in UTC", () => {
    expect(iso(parsePeriod("today", now))).toEqual([
      "2026-11-26T00:00:00.000Z",
      "2026-11-27T00:00:00.000Z",
    ]);
    expect(iso(parsePeriod("yesterday", now))).toEqual([
      "2026-11-25T00:00:00.000Z",
      "2026-11-26T00:00:00.000Z",
    ]);
    expect(iso(parsePeriod("this_week", now))).toEqual([
      "2026-11-23T00:00:00.000Z",
      "2026-11-27T00:00:00.000Z",
    ]);
    expect(iso(parsePeriod("last_week", now))).toEqual([
      "2026-11-16T00:00:00.000Z",
      "2026-11-23T00:00:00.000Z",
    ]);
    expect(iso(parsePeriod("this_month", now))).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-11-27T00:00:00.000Z",
    ]);
    expect(iso(parsePeriod("last_month", now))).toEqual([
      "2026-10-01T00:00:00.000Z",
      "2026-11-01T00:00:00.000Z",
    ]);
  });

  it("understands durations back from now, ISO days, instants and ranges", () => {
    expect(parsePeriod("7d", now)).toEqual({
      from: now.getTime() - 7 * 86_400_000,
      to: now.getTime() + 1,
    });
    expect(parsePeriod("90m", now).from).toBe(now.getTime() - 90 * 60_000);
    expect(iso(parsePeriod("2026-11-01", now))).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-11-02T00:00:00.000Z",
    ]);
    expect(iso(parsePeriod("2026-11-01/2026-11-03", now))).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-11-04T00:00:00.000Z",
    ]);
    expect(parsePeriod("2026-11-20T12:00:00Z", now).from).toBe(Date.parse("2026-11-20T12:00:00Z"));
    expect(parsePeriod(undefined, now)).toEqual(parsePeriod("7d", now));
    expect(previousRange({ from: 100, to: 300 })).toEqual({ from: -100, to: 100 });
  });

  it("refuses anything else, saying what is accepted", () => {
    for (const bad of ["", "soon", "7x", "2026-13-45", "2026-11-05/2026-11-01", "1e9d", "../etc"]) {
      expect(() => parsePeriod(bad, now), bad).toThrow(
        /is not a period.*; use today, yesterday, this_week/,
      );
    }
  });
});
