/**
 * The CLI's time flag parsers against the shared time table (`@devflow/test-fixtures/time-cases`):
 * `--since/--until` of audit and import (`parseInstant`), `--expires/--grace` (`parseDuration`).
 * The git analyses' `--since/--until/--now` are the catalogue operations' own input, parsed by
 * `gitScope` (tested on the same table in mcp-tools). Regression of issue 12: `90m` is 90
 * minutes in every flag.
 */
import { describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import {
  BAD_DURATIONS,
  BAD_INSTANTS,
  DURATIONS,
  INSTANTS,
  NOW,
} from "@devflow/test-fixtures/time-cases";
import { parseDuration, parseInstant } from "../src/commands/security-context.js";

const MONTH = (365.25 * 86_400_000) / 12;

describe("CLI time flags on the shared table", () => {
  it.each(INSTANTS)("--since $text in $zone", ({ text, zone, iso: expected }) => {
    expect(parseInstant(text, "--since", { now: NOW, zone }).toISOString()).toBe(expected);
  });

  it.each(DURATIONS)("--expires $text", ({ text, months, ms }) => {
    expect(parseDuration(text, "--expires")).toBe(Math.round(ms + months * MONTH));
  });

  it.each(BAD_DURATIONS)("--expires %j is refused naming the flag and the units", (text) => {
    try {
      parseDuration(text, "--expires");
      expect.unreachable();
    } catch (err) {
      expect(isDevflowError(err) && err.code).toBe("EVENTS_BAD_DURATION");
      expect((err as Error).message).toMatch(/^--expires: ".*" is not a duration.*m \(minutes\)/);
    }
  });

  it.each(BAD_INSTANTS)("--until %j is refused naming the flag", (text) => {
    try {
      parseInstant(text, "--until", { now: NOW });
      expect.unreachable();
    } catch (err) {
      expect(isDevflowError(err) && err.code).toBe("EVENTS_BAD_INSTANT");
      expect((err as Error).message).toMatch(/^--until: ".*" is not a time/);
    }
  });

  it('regression issue 12: "90m" is 90 minutes in every flag', () => {
    expect(parseDuration("90m", "--expires")).toBe(90 * 60_000);
    expect(parseInstant("90m", "--since", { now: NOW }).getTime()).toBe(NOW - 90 * 60_000);
  });
});
