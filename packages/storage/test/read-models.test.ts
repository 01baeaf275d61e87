// The named reads the upper layers use instead of SQL: event aggregates by type, data field and
// range, the newest event, last activity, and the commit streams of the git analyses.
import { describe, expect, it } from "vitest";
import type { DevflowEvent } from "@devflow/events";
import { HOUR, MINUTE, openTemp, T0 } from "./helpers.js";
import type { CommitInput } from "../src/index.js";
import { sqliteOf } from "../src/testing.js";

let seq = 0;
function heartbeat(
  at: number,
  category: string,
  duration?: number,
  projectId = "p1",
): DevflowEvent {
  return {
    id: `hb-${String(seq++).padStart(4, "0")}`,
    type: "activity.heartbeat",
    category: "activity",
    severity: "info",
    timestamp: at,
    source: "test",
    projectId,
    ...(duration === undefined ? {} : { duration }),
    data: { category },
  };
}

function sample(at: number, cpuPercent: number, memoryPercent: number): DevflowEvent {
  return {
    id: `s-${String(seq++).padStart(4, "0")}`,
    type: "system.sample",
    category: "system",
    severity: "debug",
    timestamp: at,
    source: "test",
    data: {
      cpuPercent,
      memoryPercent,
      memoryUsedBytes: 1,
      memoryTotalBytes: 2,
      load1: 0,
      load5: 0,
      load15: 0,
      processRssBytes: 1,
      eventLoopLagMs: 0,
    },
  };
}

describe("event read models", () => {
  it("sums durations per data field value in a range, largest first", () => {
    const storage = openTemp();
    storage.events.insertBatch([
      heartbeat(T0, "coding", 2 * MINUTE),
      heartbeat(T0 + MINUTE, "coding", 3 * MINUTE),
      heartbeat(T0 + 2 * MINUTE, "testing", 10 * MINUTE),
      heartbeat(T0 + 3 * MINUTE, "reviewing"), // no duration: counts 0
      heartbeat(T0 + HOUR, "coding", 99 * MINUTE), // outside the range
      heartbeat(T0, "coding", 7 * MINUTE, "p2"), // another project
    ]);
    const rows = storage.events.sumDurationBy(
      { type: "activity.heartbeat", projectId: "p1", from: T0, to: T0 + HOUR },
      "category",
    );
    // By hand: testing 10 min, coding 2+3 = 5 min, reviewing 0.
    expect(rows).toEqual([
      { value: "testing", durationMs: 10 * MINUTE, count: 1 },
      { value: "coding", durationMs: 5 * MINUTE, count: 2 },
      { value: "reviewing", durationMs: 0, count: 1 },
    ]);
    expect(() =>
      storage.events.sumDurationBy({ type: "x", from: 0, to: 1 }, "a') OR 1=1 --"),
    ).toThrow(expect.objectContaining({ code: "STORAGE_BAD_ARGUMENT" }));
  });

  it("computes count, avg, min and max of numeric fields and finds the newest event", () => {
    const storage = openTemp();
    storage.events.insertBatch([
      sample(T0, 10, 50),
      sample(T0 + MINUTE, 30, 70),
      sample(T0 + 2 * MINUTE, 20, 60),
      sample(T0 + HOUR, 90, 90), // outside
    ]);
    const range = { type: "system.sample", from: T0, to: T0 + HOUR };
    const stats = storage.events.numericStats(range, ["cpuPercent", "memoryPercent"]);
    expect(stats).toEqual({
      count: 3,
      fields: {
        cpuPercent: { avg: 20, min: 10, max: 30 },
        memoryPercent: { avg: 60, min: 50, max: 70 },
      },
    });
    const empty = storage.events.numericStats({ ...range, from: 0, to: 1 }, ["cpuPercent"]);
    expect(empty).toEqual({
      count: 0,
      fields: { cpuPercent: { avg: null, min: null, max: null } },
    });
    const latest = storage.events.latest({ types: ["system.sample"], from: T0, to: T0 + HOUR });
    expect(latest?.timestamp).toBe(T0 + 2 * MINUTE);
    expect((latest?.data as Record<string, unknown> | undefined)?.["cpuPercent"]).toBe(20);
    expect(storage.events.latest({ types: ["system.sample"], from: 0, to: 1 })).toBeUndefined();
  });

  it("reports the last activity of a project", () => {
    const storage = openTemp();
    expect(storage.events.lastActivityAt("p1")).toBeUndefined();
    storage.events.insertBatch([heartbeat(T0 + 5, "coding"), heartbeat(T0 + 9, "coding", 1, "p2")]);
    expect(storage.events.lastActivityAt("p1")).toBe(T0 + 5);
    expect(storage.events.lastActivityAt("p2")).toBe(T0 + 9);
  });
});

function commit(
  hash: string,
  at: number,
  files: CommitInput["files"],
  parents: string[] = [],
): CommitInput {
  return {
    projectId: "p",
    hash,
    parents,
    authorName: `name-${hash}`,
    authorEmail: `${hash}@x`,
    authoredAt: at,
    message: `msg ${hash}`,
    files,
  };
}

describe("commit streams", () => {
  it("streams totals, file rows by time or by cursor, and graph nodes", () => {
    const storage = openTemp();
    storage.commits.insertMany([
      commit("bbbbbbb", T0 + 2000, [{ path: "b.ts", insertions: 3, deletions: 1 }]),
      commit("aaaaaaa", T0 + 1000, [
        { path: "a.ts", insertions: 1, deletions: 0 },
        { path: "z.bin", insertions: null, deletions: null },
      ]),
      commit("ccccccc", T0 + 3000, [], ["aaaaaaa", "bbbbbbb"]),
    ]);
    const totals = [...storage.commits.streamTotals({ projectId: "p", includeMerges: false })];
    expect(totals.sort()).toEqual([
      ["name-aaaaaaa", T0 + 1000, 1, 0],
      ["name-bbbbbbb", T0 + 2000, 3, 1],
    ]);
    expect([
      ...storage.commits.streamTotals({
        projectId: "p",
        includeMerges: true,
        authorKey: "email",
        from: T0 + 2500,
      }),
    ]).toEqual([["ccccccc@x", T0 + 3000, 0, 0]]);

    // By time: a (two files, adjacent), then b; the merge has no files.
    expect([...storage.commits.streamFileChanges({ projectId: "p", messages: true })]).toEqual([
      ["aaaaaaa", "name-aaaaaaa", T0 + 1000, "a.ts", 1, 0, "msg aaaaaaa"],
      ["aaaaaaa", "name-aaaaaaa", T0 + 1000, "z.bin", null, null, "msg aaaaaaa"],
      ["bbbbbbb", "name-bbbbbbb", T0 + 2000, "b.ts", 3, 1, "msg bbbbbbb"],
    ]);

    // Insertion order: b was stored first (rowid 1), then a (2), then c (3).
    const first = storage.commits.cursor("p", 0);
    expect(first).toEqual({
      top: 3,
      topHash: "ccccccc",
      count: 3,
      fresh: 3,
      hashAtAfter: undefined,
    });
    expect(
      [...storage.commits.streamFileChanges({ projectId: "p", afterRowId: 1, upToRowId: 3 })].map(
        (r) => [r[0], r[3], r[6]],
      ),
    ).toEqual([
      ["aaaaaaa", "a.ts", null],
      ["aaaaaaa", "z.bin", null],
    ]);
    expect(storage.commits.cursor("p", 1)).toEqual({
      top: 3,
      topHash: "ccccccc",
      count: 3,
      fresh: 2,
      hashAtAfter: "bbbbbbb",
    });
    expect(storage.commits.cursor("other", 0)).toEqual({
      top: 0,
      topHash: null,
      count: 0,
      fresh: 0,
      hashAtAfter: undefined,
    });

    const graph = storage.commits.graph("p").sort((x, y) => x.authoredAt - y.authoredAt);
    expect(graph.map((n) => [n.hash, n.parents, n.committedAt, n.message])).toEqual([
      ["aaaaaaa", [], T0 + 1000, "msg aaaaaaa"],
      ["bbbbbbb", [], T0 + 2000, "msg bbbbbbb"],
      ["ccccccc", ["aaaaaaa", "bbbbbbb"], T0 + 3000, "msg ccccccc"],
    ]);
    expect(() => [
      ...storage.commits.streamTotals({ projectId: "p", includeMerges: false, from: NaN }),
    ]).toThrow(expect.objectContaining({ code: "STORAGE_BAD_ARGUMENT" }));
  });

  it("keeps the connection off the Storage object and behind the testing entry", () => {
    const storage = openTemp();
    expect(Object.keys(storage)).not.toContain("orm");
    expect(sqliteOf(storage).prepare("SELECT 1 AS one").get()).toEqual({ one: 1 });
    expect(() => sqliteOf({ ...storage })).toThrow(
      expect.objectContaining({ code: "STORAGE_BAD_ARGUMENT" }),
    );
  });
});
