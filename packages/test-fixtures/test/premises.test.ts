/**
 * The premises the hand-computed time table rests on, checked against the platform's own
 * time-zone data (Intl), not against DevFlow's grammar: NOW is Sunday 14:30 UTC on the day
 * Europe/Berlin moves to summer time at 01:00 UTC, and Asia/Kolkata is 5:30 ahead.
 */
import { describe, expect, it } from "vitest";
import { NOW } from "../src/time-cases.js";

function local(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(ms);
}

describe("the time table's premises", () => {
  it("NOW is Sunday 2026-03-29 14:30 UTC, 16:30 in Berlin and 20:00 in Kolkata", () => {
    expect(new Date(NOW).toISOString()).toBe("2026-03-29T14:30:00.000Z");
    expect(local(NOW, "UTC")).toBe("Sun, 29/03/2026, 14:30");
    expect(local(NOW, "Europe/Berlin")).toBe("Sun, 29/03/2026, 16:30");
    expect(local(NOW, "Asia/Kolkata")).toBe("Sun, 29/03/2026, 20:00");
  });

  it("Berlin's 29 March 2026 has 23 hours: 01:59 CET is followed by 03:00 CEST", () => {
    const switchAt = Date.UTC(2026, 2, 29, 1, 0);
    expect(local(switchAt - 60_000, "Europe/Berlin")).toBe("Sun, 29/03/2026, 01:59");
    expect(local(switchAt, "Europe/Berlin")).toBe("Sun, 29/03/2026, 03:00");
    const midnight = Date.UTC(2026, 2, 28, 23, 0); // 00:00 CET
    const next = Date.UTC(2026, 2, 29, 22, 0); // 00:00 CEST on the 30th
    expect(local(midnight, "Europe/Berlin")).toBe("Sun, 29/03/2026, 00:00");
    expect(local(next, "Europe/Berlin")).toBe("Mon, 30/03/2026, 00:00");
    expect((next - midnight) / 3_600_000).toBe(23);
  });
});
