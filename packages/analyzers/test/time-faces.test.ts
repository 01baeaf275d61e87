/**
 * The analyzers' date and period helpers against the shared time table
 * (`@devflow/test-fixtures/time-cases`): `parseDateOption` (git scopes) over every instant case
 * and zone, `parseInstant` and `periodEnding` (work analyses, UTC) over the UTC cases. Regression of
 * issue 12: `90m` in a git scope meant 90 months.
 */
import { describe, expect, it } from "vitest";
import { TimeZone } from "@devflow/events";
import { DURATIONS, INSTANTS, NOW } from "@devflow/test-fixtures/time-cases";
import { parseDateOption, parseInstant, periodEnding } from "../src/index.js";

const iso = (ms: number): string => new Date(ms).toISOString();

describe("analyzers' time helpers on the shared table", () => {
  it.each(INSTANTS)("parseDateOption $text in $zone", ({ text, zone, iso: expected }) => {
    expect(iso(parseDateOption(text, NOW, TimeZone.of(zone)))).toBe(expected);
  });

  it.each(INSTANTS.filter((c) => c.zone === "UTC"))("parseInstant $text", (c) => {
    expect(iso(parseInstant(c.text, NOW))).toBe(c.iso);
  });

  it.each(DURATIONS.filter((d) => d.months === 0))("periodEnding $text", ({ text, ms }) => {
    expect(periodEnding(text, NOW)).toEqual({ from: NOW - ms, to: NOW });
  });

  it("periodEnding counts months by the calendar (3mo before 2026-03-29 is 2025-12-29)", () => {
    expect(iso(periodEnding("3mo", NOW).from)).toBe("2025-12-29T14:30:00.000Z");
    expect(iso(periodEnding("1y", NOW).from)).toBe("2025-03-29T14:30:00.000Z");
  });

  it('regression issue 12: "90m" is 90 minutes in a git scope, not 90 months', () => {
    expect(parseDateOption("90m", NOW)).toBe(NOW - 90 * 60_000);
    expect(periodEnding("90m", NOW).from).toBe(NOW - 90 * 60_000);
  });
});
