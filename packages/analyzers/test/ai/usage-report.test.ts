// usageReport and dedupeUsage: the de-duplication rule across stored copies, day/week/month
// keys in a time zone, per-model breakdowns, 5-hour blocks with burn rate and projection.
import { describe, expect, it } from "vitest";
import { dedupeUsage, sessionBlocks, type UsageEntry, usageReport } from "../../src/ai/index.js";

let n = 0;
function entry(o: Partial<UsageEntry> & { ts: string }): UsageEntry {
  n++;
  return {
    id: `e${n}`,
    timestamp: Date.parse(o.ts),
    tool: "claude-code",
    sessionId: "s",
    model: "claude-sonnet-4-5",
    inputTokens: 10,
    outputTokens: 20,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.01,
    costSource: "calculated",
    requestKey: `k${n}`,
    sidechain: false,
    placeholderInput: false,
    ...o,
  };
}

describe("dedupeUsage", () => {
  it("keeps the main-chain copy, then the larger total, and drops /btw sidechain replays", () => {
    const kept = dedupeUsage([
      entry({ ts: "2026-01-01T10:00:00Z", requestKey: "m1:r1", outputTokens: 5, sidechain: true }),
      entry({ ts: "2026-01-01T10:00:01Z", requestKey: "m1:r1", outputTokens: 5 }),
      entry({ ts: "2026-01-01T10:00:02Z", requestKey: "m2:r2", outputTokens: 5 }),
      entry({ ts: "2026-01-01T10:00:03Z", requestKey: "m2:r2", outputTokens: 40 }),
      entry({ ts: "2026-01-01T10:00:04Z", requestKey: "m2:r9", sidechain: true }),
      entry({ ts: "2026-01-01T10:00:05Z", requestKey: "m3:r3", sidechain: true }),
    ]);
    expect(kept.map((e) => [e.requestKey, e.sidechain, e.outputTokens])).toEqual([
      ["m1:r1", false, 5],
      ["m2:r2", false, 40],
      ["m3:r3", true, 20],
    ]);
  });
});

describe("usageReport", () => {
  const entries = [
    entry({ ts: "2026-03-01T23:30:00Z", model: "claude-opus-4-6" }),
    entry({
      ts: "2026-03-02T00:30:00Z",
      speed: "fast",
      costUsd: undefined,
      costSource: "unknown_model",
    }),
    entry({ ts: "2026-03-09T12:00:00Z", placeholderInput: true, inputTokens: 1 }),
  ];

  it("keys days, weeks (Monday) and months in the time zone and breaks rows down by model", () => {
    const utc = usageReport(entries, { by: "day", timezone: "UTC" });
    expect(utc.rows.map((r) => [r.key, r.requests])).toEqual([
      ["2026-03-01", 1],
      ["2026-03-02", 1],
      ["2026-03-09", 1],
    ]);
    const tokyo = usageReport(entries, { by: "day", timezone: "Asia/Tokyo" });
    expect(tokyo.rows.map((r) => [r.key, r.requests])).toEqual([
      ["2026-03-02", 2],
      ["2026-03-09", 1],
    ]);
    expect(tokyo.rows[0]?.models.map((m) => m.model)).toEqual([
      "claude-opus-4-6",
      "claude-sonnet-4-5-fast",
    ]);
    expect(usageReport(entries, { by: "week", timezone: "UTC" }).rows.map((r) => r.key)).toEqual([
      "2026-02-23",
      "2026-03-02",
      "2026-03-09",
    ]);
    expect(usageReport(entries, { by: "month", timezone: "UTC" }).rows.map((r) => r.key)).toEqual([
      "2026-03",
    ]);
    expect(utc.totals).toMatchObject({
      requests: 3,
      inputTokens: 21,
      unpricedRequests: 1,
      placeholderInputs: 1,
      costUsd: 0.02,
    });
    expect(utc.cost).toEqual({ estimate: true, sources: { calculated: 2, unknown_model: 1 } });
    expect(() => usageReport(entries, { by: "day", timezone: "Nowhere/City" })).toThrow(
      /unknown time zone/,
    );
    expect(() => usageReport(entries, { by: "day", since: "March" })).toThrow(
      /--since must be a date/,
    );
  });

  it("splits Claude usage into 5-hour blocks with burn rate and an active projection", () => {
    const list = [
      entry({ ts: "2026-03-01T10:20:00Z", inputTokens: 100, outputTokens: 0, costUsd: 1 }),
      entry({ ts: "2026-03-01T11:20:00Z", inputTokens: 500, outputTokens: 0, costUsd: 2 }),
      entry({ ts: "2026-03-01T15:10:00Z", inputTokens: 7, outputTokens: 0, costUsd: 0 }),
      entry({ ts: "2026-03-02T09:00:00Z", inputTokens: 60, outputTokens: 0, costUsd: 0.5 }),
      entry({ ts: "2026-03-02T09:30:00Z", inputTokens: 30, outputTokens: 0, costUsd: 0.25 }),
    ];
    const blocks = sessionBlocks(list, Date.parse("2026-03-02T10:00:00Z"));
    expect(blocks.map((b) => [b.key, b.entries.length, b.info.isActive])).toEqual([
      ["2026-03-01T10:00:00.000Z", 2, false],
      ["2026-03-01T15:00:00.000Z", 1, false],
      ["2026-03-02T09:00:00.000Z", 2, true],
    ]);
    // 600 tokens over 60 minutes; $3 over 1 hour.
    expect(blocks[0]?.info.burnRate).toEqual({ tokensPerMinute: 10, costPerHour: 3 });
    // Active: 90 tokens in 30 min = 3/min; 240 min left → 90 + 720 tokens, $0.75 + $6.
    expect(blocks[2]?.info.projection).toEqual({
      totalTokens: 810,
      costUsd: 6.75,
      remainingMinutes: 240,
    });
    const report = usageReport([...list, entry({ ts: "2026-03-01T10:30:00Z", tool: "codex" })], {
      by: "block",
      timezone: "UTC",
      now: Date.parse("2026-03-02T10:00:00Z"),
    });
    expect(report.rows.map((r) => r.requests)).toEqual([2, 1, 2]);
  });
});
