/**
 * Stage analysis over a real SQLite database: transitions land in `stage_transitions` and as
 * validated `stage.transition` events, runs are incremental and idempotent, commit files are
 * used, and the report totals time (and active time) per stage.
 */
import { describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import { stageReport, stageStateKey, updateStages } from "../../src/index.js";
import { DAY, ev, HOUR, store, T0, workStorage } from "../helpers/work-storage.js";

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

describe("updateStages", () => {
  it("stores transitions and stage.transition events, once", () => {
    const { storage, project } = workStorage();
    scripted(storage, project.id);
    const first = updateStages(storage, { projectId: project.id });
    expect(first.transitions.map((t) => t.to)).toEqual(["prd", "erd", "frontend"]);
    expect(first.stored).toBe(3);
    expect(first.processed).toBe(15); // 12 file events + 3 commits; heartbeats are not stage evidence
    expect(first.snapshot.stage).toBe("frontend");
    expect(first.snapshot.confidence).toBeGreaterThan(0.9);

    const rows = storage.work.transitions({ projectId: project.id });
    expect(rows.map((r) => [r.fromStage, r.toStage, r.timestamp])).toEqual([
      [null, "prd", T0 + 9 * HOUR],
      ["prd", "erd", T0 + DAY + 9 * HOUR],
      ["erd", "frontend", T0 + 2 * DAY + 9 * HOUR],
    ]);
    expect(rows[2]!.subStage).toBe("initial_impl");
    expect(JSON.stringify(rows[0]!.evidence)).toContain("prd.document");

    const events = storage.events.query({ projectId: project.id, types: ["stage.transition"] });
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.id)).toEqual(rows.map((r) => r.id));
    const data = events[1]!.data as {
      from: string;
      to: string;
      confidence: number;
      evidence: string[];
    };
    expect(data).toMatchObject({ from: "prd", to: "erd" });
    expect(data.confidence).toBeGreaterThan(0.5);
    expect(data.evidence.some((e) => e.includes("erd.schema db/schema.sql"))).toBe(true);
    expect(data.evidence.every((e) => e.length <= 128)).toBe(true);

    // A second run reads nothing new and stores nothing; the state survives.
    const again = updateStages(storage, { projectId: project.id });
    expect(again).toMatchObject({ processed: 0, stored: 0, transitions: [] });
    expect(again.snapshot.stage).toBe("frontend");
    expect(storage.events.count({ types: ["stage.transition"] })).toBe(3);
  });

  it("gives the same transitions when run in steps", () => {
    const a = workStorage();
    scripted(a.storage, a.project.id);
    const b = workStorage();
    scripted(b.storage, b.project.id);
    const whole = updateStages(a.storage, { projectId: a.project.id }).transitions;
    const steps = [T0 + DAY, T0 + DAY + 9 * HOUR + 90_000, T0 + 5 * DAY].flatMap(
      (until) =>
        updateStages(b.storage, { projectId: b.project.id, until, pageSize: 2 }).transitions,
    );
    // The two databases hold the same events under different ids.
    const norm = (list: typeof whole) =>
      list.map((t) => ({ ...t, evidence: t.evidence.map(({ eventId: _id, ...rest }) => rest) }));
    expect(norm(steps)).toEqual(norm(whole));
    expect(b.storage.settings.get(stageStateKey(b.project.id))).toBeDefined();
  });

  it("refuses an unknown project by name", () => {
    const { storage } = workStorage();
    try {
      updateStages(storage, { projectId: "nope" });
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
    updateStages(storage, { projectId: project.id });
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
