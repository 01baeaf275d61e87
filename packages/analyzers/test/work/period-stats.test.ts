/**
 * Period parsing and the robust statistics the metrics and the bottleneck detector use.
 */
import { describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import {
  ewma,
  mad,
  median,
  parseInstant,
  periodEnding,
  previousPeriod,
  quantile,
  robustZ,
  theilSen,
} from "../../src/index.js";

describe("periods", () => {
  it("builds periods ending at a time, durations by the time grammar (90m = minutes)", () => {
    expect(periodEnding("7d", 100 * 86_400_000).from).toBe(93 * 86_400_000);
    expect(periodEnding(" 90m ", 100 * 86_400_000).from).toBe(100 * 86_400_000 - 90 * 60_000);
    expect(periodEnding("1.5h", 100 * 86_400_000).from).toBe(100 * 86_400_000 - 5_400_000);
    expect(periodEnding("2W", 100 * 86_400_000).from).toBe(86 * 86_400_000);
    expect(periodEnding("24h", 100 * 86_400_000)).toEqual({
      from: 99 * 86_400_000,
      to: 100 * 86_400_000,
    });
    expect(periodEnding("all", 5)).toEqual({ from: 0, to: 5 });
    expect(previousPeriod({ from: 10, to: 17 })).toEqual({ from: 3, to: 10 });
    expect(parseInstant("2024-05-01")).toBe(Date.UTC(2024, 4, 1));
    expect(parseInstant("1714521600000")).toBe(1_714_521_600_000);
  });

  // "7y" used to be refused; the one grammar accepts years (1y = 12 calendar months).
  it.each(["", "7", "d", "7x", "-1d", "0d", "soon", "99999w"])(
    "refuses %j with a clear error",
    (text) => {
      try {
        periodEnding(text, 100 * 86_400_000);
        expect.unreachable();
      } catch (err) {
        expect(isDevflowError(err) && err.code).toBe("EVENTS_BAD_DURATION");
        expect((err as Error).message).toContain(`"${text}" is not a duration`);
      }
    },
  );

  it("refuses a bad end time", () => {
    expect(() => parseInstant("yesterday-ish")).toThrow(/"yesterday-ish" is not a time/);
  });
});

describe("statistics", () => {
  it("computes quantiles, median and MAD", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([60, 80], 0.95)).toBe(79);
    expect(median([5, 1, 3])).toBe(3);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it("scores outliers robustly", () => {
    const baseline = [10, 11, 9, 10, 12, 10, 100];
    expect(robustZ(30, baseline)!).toBeGreaterThan(10);
    expect(Math.abs(robustZ(11, baseline)!)).toBeLessThan(1);
    expect(robustZ(5, [1, 2])).toBeNull();
    // A flat baseline does not make every wiggle infinite.
    expect(robustZ(10.05, [10, 10, 10])).toBeCloseTo(0.5, 5);
  });

  it("smooths with EWMA and fits a Theil–Sen line through an outlier", () => {
    expect(ewma([10, 20, 20], 0.5)).toEqual([10, 15, 17.5]);
    const fit = theilSen([0, 1, 2, 3, 4].map((x) => ({ x, y: x === 2 ? 100 : 2 * x + 1 })))!;
    expect(fit.slope).toBe(2);
    expect(fit.intercept).toBe(1);
    expect(theilSen([{ x: 1, y: 1 }])).toBeNull();
  });
});
