/**
 * Stage analysis over a real SQLite database, without writing: `advanceStages` returns the
 * transitions as rows and validated `stage.transition` events with the same deterministic ids
 * and stores nothing, a chain of runs over the returned state finds nothing twice, commit files
 * are used, and the report totals time (and active time) per stage. Storing (and the tests of
 * it) is `AnalysisJobs` in `@devflow/runtime`.
 */
import { describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import { advanceStages, stageReport, stageStateKey } from "../../src/index.js";
import { DAY, ev, HOUR, store, T0, workStorage } from "@devflow/test-utils/work";

/** Three phases (PRD, schema, components) a day apart, 4 events each, plus a commit per phase. */
function scripted(storage: ReturnType<typeof workStorage>["storage"], projectId: string) {
  const phases = [
    ["docs/PRD.md", "docs/user-stories.md"],
    ["db/schema.sql", "db/migrations/001_init.sql"],
    ["src/components/A.tsx", "src/components/B.tsx"],
  ];
  const events = phases.flatMap((files, day) => {
    const t = T0 + day * DAY + 9 * HOUR;
    return [
      ...files.map((path, i) => ev("file.created", t + i * 60_000, { path }, { projectId })),
      ...files.map((path, i) => ev("file.changed", t + (i + 2) * 60_000, { path }, { projectId })),
    ];
  });
  const hashes = ["a".repeat(40), "b".repeat(40), "c".repeat(40)];
  storage.commits.insertMany(
    phases.map((files, day) => ({
      projectId,
      hash: hashes[day]!,
      authorName: "A",
      authorEmail: "a@example.com",
      authoredAt: T0 + day * DAY + 10 * HOUR,
      files: files.map((path) => ({ path, insertions: 10, deletions: 0 })),
    })),
  );
  for (const [day, hash] of hashes.entries()) {
    events.push(
      ev(
        "git.commit",
        T0 + day * DAY + 10 * HOUR,
        {
          hash,
          parents: [],
          author: { name: "A" },
          authoredAt: T0,
          isMerge: false,
          filesChanged: 2,
          insertions: 20,
          deletions: 0,
        },
        { projectId },
      ),
    );
  }
  // Heartbeats: 30 active minutes on day 0 and 45 on day 2.
  events.push(
    ev(
      "activity.heartbeat",
      T0 + 9 * HOUR,
      { category: "coding" },
      { projectId, duration: 30 * 60_000 },
    ),
  );
  events.push(
    ev(
      "activity.heartbeat",
      T0 + 2 * DAY + 9 * HOUR,
      { category: "coding" },
      { projectId, duration: 45 * 60_000 },
    ),
  );
  store(storage, events);
}

/** Stores what `advanceStages` returns, as the runtime's job does, for the report's tests. */
function storeStages(storage: ReturnType<typeof workStorage>["storage"], projectId: string): void {
  const step = advanceStages(storage, {
    projectId,
    state: storage.settings.get(stageStateKey(projectId)),
  });
  storage.work.recordTransitions(step.rows, step.events);
  if (step.state) storage.settings.set(stageStateKey(projectId), step.state);
}

describe("advanceStages", () => {
  it("returns transitions as rows and events with the same ids, and writes nothing", () => {
    const { storage, project } = workStorage();
    scripted(storage, project.id);
    const before = storage.events.count();
    const first = advanceStages(storage, { projectId: project.id });
    expect(first.transitions.map((t) => t.to)).toEqual(["prd", "erd", "frontend"]);
    expect(first.processed).toBe(15); // 12 file events + 3 commits; heartbeats are not stage evidence
    expect(first.rows.map((r) => [r.fromStage, r.toStage, r.timestamp])).toEqual([
      [null, "prd", T0 + 9 * HOUR],
      ["prd", "erd", T0 + DAY + 9 * HOUR],
      ["erd", "frontend", T0 + 2 * DAY + 9 * HOUR],
    ]);
    expect(first.events.map((e) => e.id)).toEqual(first.rows.map((r) => r.id));
    expect(first.events.every((e) => e.type === "stage.transition")).toBe(true);
    expect(first.state?.cursor).not.toBeNull();
    // Nothing stored: no rows, no events, no state.
    expect(storage.work.transitions({ projectId: project.id })).toEqual([]);
    expect(storage.events.count()).toBe(before);
    expect(storage.settings.get(stageStateKey(project.id))).toBeUndefined();

    // The same input gives the same ids; from the returned state nothing is new.
    expect(advanceStages(storage, { projectId: project.id }).rows.map((r) => r.id)).toEqual(
      first.rows.map((r) => r.id),
    );
    const next = advanceStages(storage, { projectId: project.id, state: first.state });
    expect(next).toMatchObject({
      processed: 0,
      transitions: [],
      rows: [],
      events: [],
      state: null,
    });
    expect(next.snapshot.stage).toBe("frontend");
  });

  it("refuses an unknown project by name", () => {
    const { storage } = workStorage();
    try {
      advanceStages(storage, { projectId: "nope" });
      expect.unreachable();
    } catch (err) {
      expect(isDevflowError(err) && err.code).toBe("STORAGE_UNKNOWN_PROJECT");
      expect((err as Error).message).toContain('"nope"');
    }
  });
});

describe("stageReport", () => {
  it("totals wall-clock and active time per stage in a period", () => {
    const { storage, project } = workStorage();
    scripted(storage, project.id);
    storeStages(storage, project.id);
    // From noon of day 0 to noon of day 3: prd until day 1 09:00, erd until day 2 09:00, then frontend.
    const period = { from: T0 + 12 * HOUR, to: T0 + 3 * DAY + 12 * HOUR };
    const report = stageReport(storage, project.id, period);
    expect(report.atStart).toEqual({ stage: "prd", subStage: null });
    expect(report.transitions.map((t) => t.toStage)).toEqual(["erd", "frontend"]);
    expect(report.timeInStage).toEqual(
      [
        { key: "frontend", ms: DAY + 3 * HOUR, share: 0.375, activeMs: 45 * 60_000 },
        { key: "prd", ms: 21 * HOUR, share: 0.292, activeMs: 0 },
        { key: "erd", ms: DAY, share: 0.333, activeMs: 0 },
      ].sort((x, y) => y.ms - x.ms),
    );
    expect(report.timeInSubStage).toEqual([
      { key: "frontend/initial_impl", ms: DAY + 3 * HOUR, share: 0.375, activeMs: 45 * 60_000 },
    ]);
    expect(report.current.stage).toBe("frontend");
    // The whole history: the day-0 heartbeat (09:00–09:30) falls in prd from 09:00.
    const all = stageReport(storage, project.id, { from: 0, to: T0 + 3 * DAY });
    expect(all.timeInStage.find((s) => s.key === "prd")!.activeMs).toBe(30 * 60_000);
  });
});
