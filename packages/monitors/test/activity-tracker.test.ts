import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevflowEvent, EventEngine, type EventInput, isDevflowError } from "@devflow/events";
import { openStorage, type Storage } from "@devflow/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activeTime, computeActiveTime } from "../src/activity/active-time.js";
import { heartbeatOf, isTestPath } from "../src/activity/signals.js";
import { ActivityTracker } from "../src/activity-tracker.js";

const MIN = 60_000;
const GAP = 5 * MIN;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (minutes: number) => T0 + minutes * MIN;

let tmp: string;
let storage: Storage;
let engine: EventEngine;
let tracker: ActivityTracker | undefined;
let now = T0;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "devflow-activity-"));
  storage = openStorage({ path: join(tmp, "devflow.db") });
  engine = new EventEngine({ maxWaitMs: 50, pulsetimeMs: GAP });
  engine.addSink(storage.sink);
  now = T0;
});

afterEach(async () => {
  await tracker?.stop();
  tracker = undefined;
  await engine.stop();
  storage.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function startTracker(): Promise<ActivityTracker> {
  tracker = new ActivityTracker(
    { engine, storage },
    { enabled: true, idleGapMs: GAP },
    {
      clock: () => now,
    },
  );
  await tracker.start();
  return tracker;
}

/** Emits a monitor event as it would arrive live (the clock at its timestamp). */
async function signal(
  minutes: number,
  projectId: string,
  type: string,
  data: object,
): Promise<void> {
  now = at(minutes);
  await engine.emit({ type, source: "test", projectId, timestamp: now, data } as EventInput);
  await engine.drain();
}
const file = (minutes: number, path: string, projectId = "p1") =>
  signal(minutes, projectId, "file.changed", { path });
const commit = (minutes: number, branch: string) =>
  signal(minutes, "p1", "git.commit", {
    hash: "abcdef1",
    parents: [],
    branch,
    author: { name: "a" },
    authoredAt: at(minutes),
    isMerge: false,
    filesChanged: 1,
    insertions: 1,
    deletions: 0,
  });

/** The scenario of the hand-computed totals (minutes after T0). */
async function workDay(): Promise<void> {
  await startTracker();
  for (const m of [0, 1, 2, 3]) await file(m, "src/a.ts"); // one row, 0–3
  await file(1.5, "cmd/x.go", "p2"); // p2: 1.5–2
  await file(2, "cmd/x.go", "p2");
  await file(4, "test/a.test.ts"); // testing, lone point at 4
  await commit(6, "main"); // vcs at 6
  await file(20, "src/b.py"); // after a 14 min gap: afk (late) + active
  await file(22, "src/b.py"); // 20–22
  now = at(28);
  await tracker!.checkIdle(); // 6 min since 22: afk; p2 idle too
  await file(40, "src/a.ts"); // active again, lone point
  await engine.flush();
}

const plain = (e: DevflowEvent) => ({
  type: e.type,
  projectId: e.projectId,
  t: (e.timestamp - T0) / MIN,
  ...(e.type === "activity.heartbeat" ? { min: (e.duration ?? 0) / MIN } : {}),
  data: e.data,
});

describe("ActivityTracker", () => {
  it("turns signals into merged heartbeats, afk after the idle gap and active on resume", async () => {
    await workDay();
    const stored = storage.events.query({
      types: ["activity.heartbeat", "activity.afk", "activity.active"],
    });
    expect(stored.map(plain)).toEqual([
      {
        type: "activity.heartbeat",
        projectId: "p1",
        t: 0,
        min: 3,
        data: { category: "coding", language: "TypeScript", entity: "src/a.ts" },
      },
      {
        type: "activity.heartbeat",
        projectId: "p2",
        t: 1.5,
        min: 0.5,
        data: { category: "coding", language: "Go", entity: "cmd/x.go" },
      },
      {
        type: "activity.heartbeat",
        projectId: "p1",
        t: 4,
        min: 0,
        data: { category: "testing", language: "TypeScript", entity: "test/a.test.ts" },
      },
      {
        type: "activity.heartbeat",
        projectId: "p1",
        t: 6,
        min: 0,
        data: { category: "vcs", entity: "main" },
      },
      { type: "activity.afk", projectId: "p1", t: 11, data: { idleMs: 5 * MIN } },
      { type: "activity.active", projectId: "p1", t: 20, data: { afterIdleMs: 14 * MIN } },
      {
        type: "activity.heartbeat",
        projectId: "p1",
        t: 20,
        min: 2,
        data: { category: "coding", language: "Python", entity: "src/b.py" },
      },
      { type: "activity.afk", projectId: "p1", t: 28, data: { idleMs: 6 * MIN } },
      { type: "activity.afk", projectId: "p2", t: 28, data: { idleMs: 26 * MIN } },
      { type: "activity.active", projectId: "p1", t: 40, data: { afterIdleMs: 18 * MIN } },
      {
        type: "activity.heartbeat",
        projectId: "p1",
        t: 40,
        min: 0,
        data: { category: "coding", language: "TypeScript", entity: "src/a.ts" },
      },
    ]);
    // Afk is emitted once per idle period: p2 stays afk, p1 is idle again only after 45.
    const afkAfterCheck = async (minutes: number) => {
      await tracker!.checkIdle(at(minutes));
      await engine.flush();
      return storage.events.count({ types: ["activity.afk"] });
    };
    expect(await afkAfterCheck(44)).toBe(3);
    expect(await afkAfterCheck(46)).toBe(4);
    expect(await afkAfterCheck(50)).toBe(4);
    expect(tracker!.status().counters).toMatchObject({ signals: 11 });
  });

  it("ignores stale, imported and project-less signals", async () => {
    await startTracker();
    now = at(60);
    await engine.emit({
      type: "file.changed",
      source: "t",
      projectId: "p1",
      timestamp: at(0),
      data: { path: "a.ts" },
    });
    await engine.emit({
      type: "file.changed",
      source: "t",
      timestamp: at(60),
      data: { path: "a.ts" },
    });
    await commit(60, "main");
    await engine.emit({
      type: "git.commit",
      source: "t",
      projectId: "p1",
      timestamp: at(60),
      data: {
        hash: "abcdef2",
        parents: [],
        author: { name: "a" },
        authoredAt: 0,
        isMerge: false,
        filesChanged: 0,
        insertions: 0,
        deletions: 0,
        imported: true,
      },
    });
    await engine.drain();
    expect(storage.events.count({ types: ["activity.heartbeat"] })).toBe(1);
    expect(tracker!.status().counters).toMatchObject({ signals: 1, staleSignals: 1 });
  });

  it("refuses an engine pulsetime longer than the idle gap", async () => {
    const eng = new EventEngine({ pulsetimeMs: 2 * GAP });
    const t = new ActivityTracker({ engine: eng, storage }, { enabled: true, idleGapMs: GAP });
    const err = await t.start().catch((e: unknown) => e);
    expect(isDevflowError(err) && err.code).toBe("MONITORS_PULSETIME_TOO_LONG");
    await eng.stop();
  });
});

describe("activeTime", () => {
  // Timeline of the work day (minutes): p1 a.ts 0–3, p2 x.go 1.5–2, p1 test 4, vcs 6,
  // b.py 20–22, a.ts 40. Active: 0–6 (gaps ≤ 5 min; 1.5–2 goes to p2, the latest start),
  // 20–22; 6–20 and 22–40 are idle; the lone points at 6 and 40 count 0.
  it("totals by project, language and category equal hand-computed values", async () => {
    await workDay();
    const q = { storage, from: at(0), to: at(60), idleGapMs: GAP };
    const minutes = (r: ReturnType<typeof activeTime>) => ({
      total: r.totalMs / MIN,
      groups: r.groups.map((g) => [g.key, g.activeMs / MIN]),
    });
    expect(minutes(activeTime(q))).toEqual({ total: 8, groups: [] });
    expect(minutes(activeTime({ ...q, by: "project" }))).toEqual({
      total: 8,
      groups: [
        ["p1", 7.5],
        ["p2", 0.5],
      ],
    });
    expect(minutes(activeTime({ ...q, by: "language" }))).toEqual({
      total: 8,
      groups: [
        ["TypeScript", 5.5],
        ["Python", 2],
        ["Go", 0.5],
      ],
    });
    expect(minutes(activeTime({ ...q, by: "category" }))).toEqual({
      total: 8,
      groups: [
        ["coding", 6],
        ["testing", 2],
      ],
    });
    // One project alone: its own timeline (a.ts 0–3, gap 3–4, test 4–6, b.py 20–22).
    expect(minutes(activeTime({ ...q, projectId: "p1", by: "category" }))).toEqual({
      total: 8,
      groups: [
        ["coding", 6],
        ["testing", 2],
      ],
    });
    expect(minutes(activeTime({ ...q, projectId: "p2" }))).toEqual({ total: 0.5, groups: [] });
    // Clipped to the window 2.5–21: a.ts 2.5–3 + gap 3–4, test 4–6, b.py 20–21.
    expect(minutes(activeTime({ ...q, from: at(2.5), to: at(21), by: "category" }))).toEqual({
      total: 4.5,
      groups: [
        ["coding", 2.5],
        ["testing", 2],
      ],
    });
  });

  it("rejects an empty window", () => {
    let err: unknown;
    try {
      activeTime({ storage, from: 10, to: 10 });
    } catch (e) {
      err = e;
    }
    expect(isDevflowError(err) && err.code).toBe("MONITORS_BAD_ARGUMENT");
  });
});

describe("computeActiveTime", () => {
  it("counts gaps up to the idle gap, not longer ones; a lone point counts 0", () => {
    const spans = [
      { start: 0, end: 0, key: "a" },
      { start: 100, end: 100, key: "b" }, // 0–100 → a
      { start: 250, end: 300, key: "c" }, // 100–250 → b, 250–300 → c
      { start: 1000, end: 1000, key: "d" }, // 300–1000 > gap: idle; d alone: 0
    ];
    const { totalMs, byKey } = computeActiveTime(spans, 0, 2000, 150);
    expect(totalMs).toBe(300);
    expect(Object.fromEntries(byKey)).toEqual({ a: 100, b: 150, c: 50 });
  });
});

describe("signals", () => {
  it("classifies test files", () => {
    for (const p of [
      "test/a.ts",
      "src/a.test.ts",
      "pkg/__tests__/x.js",
      "tests/test_x.py",
      "x_test.go",
      "src/FooTest.java",
    ])
      expect([p, isTestPath(p)]).toEqual([p, true]);
    for (const p of ["src/attest.ts", "src/contest.py", "latest/x.ts", "src/testing.ts"])
      expect([p, isTestPath(p)]).toEqual([p, false]);
  });

  it("maps builds, tests and AI events", () => {
    const ev = (type: string, data: object) => ({ type, data }) as unknown as DevflowEvent;
    expect(heartbeatOf(ev("build.finished", { tool: "tsc", kind: "build" }))).toEqual({
      category: "building",
      entity: "tsc",
    });
    expect(heartbeatOf(ev("build.started", { tool: "jest", kind: "test" }))).toEqual({
      category: "testing",
      entity: "jest",
    });
    expect(heartbeatOf(ev("test.run_finished", { tool: "vitest" }))).toEqual({
      category: "testing",
      entity: "vitest",
    });
    expect(heartbeatOf(ev("ai.edit", { tool: "claude-code", path: "src/a.py" }))).toEqual({
      category: "ai",
      language: "Python",
      entity: "src/a.py",
    });
    expect(heartbeatOf(ev("ai.prompt", { tool: "codex" }))).toEqual({
      category: "ai",
      entity: "codex",
    });
    expect(heartbeatOf(ev("ai.commit_attributed", { tool: "codex" }))).toBeNull();
    expect(heartbeatOf(ev("git.branch_switched", { from: "a", to: "b" }))).toEqual({
      category: "vcs",
      entity: "b",
    });
  });
});
