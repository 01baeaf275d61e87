/**
 * The persisting analysis jobs over a real SQLite database (moved here from the analyzers with
 * the code): stage transitions land in `stage_transitions` and as validated `stage.transition`
 * events, runs are incremental and idempotent; bottleneck findings open and resolve as
 * `bottleneck.*` events; metric samples replace themselves when recomputed; and with a running
 * engine every event reaches live subscribers before it is stored.
 */
import { describe, expect, it } from "vitest";
import { bottleneckStateKey, metricsReport, stageStateKey } from "@devflow/analyzers";
import { type DevflowEvent, EventEngine, isDevflowError } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { AnalysisJobs } from "../src/index.js";
import { DAY, ev, HOUR, store, T0, workStorage, writeSeries } from "@devflow/test-utils/work";

/** Jobs without a running engine (events through a short-lived engine, as in the CLI). */
const jobs = (storage: Storage): AnalysisJobs => new AnalysisJobs({ storage });

const AT = Date.UTC(2024, 5, 14, 15, 0);

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

describe("AnalysisJobs.refreshStages", () => {
  it("stores transitions and stage.transition events, once", async () => {
    const { storage, project } = workStorage();
    scripted(storage, project.id);
    const first = await jobs(storage).refreshStages(project.id);
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
    const again = await jobs(storage).refreshStages(project.id);
    expect(again).toMatchObject({ processed: 0, stored: 0, transitions: [] });
    expect(again.snapshot.stage).toBe("frontend");
    expect(storage.events.count({ types: ["stage.transition"] })).toBe(3);
  });

  it("gives the same transitions when run in steps", async () => {
    const a = workStorage();
    scripted(a.storage, a.project.id);
    const b = workStorage();
    scripted(b.storage, b.project.id);
    const whole = (await jobs(a.storage).refreshStages(a.project.id)).transitions;
    const steps = [];
    for (const until of [T0 + DAY, T0 + DAY + 9 * HOUR + 90_000, T0 + 5 * DAY]) {
      const step = await jobs(b.storage).refreshStages(b.project.id, until, { pageSize: 2 });
      steps.push(...step.transitions);
    }
    // The two databases hold the same events under different ids.
    const norm = (list: typeof whole) =>
      list.map((t) => ({ ...t, evidence: t.evidence.map(({ eventId: _id, ...rest }) => rest) }));
    expect(norm(steps)).toEqual(norm(whole));
    expect(b.storage.settings.get(stageStateKey(b.project.id))).toBeDefined();
  });

  it("refuses an unknown project by name", async () => {
    const { storage } = workStorage();
    try {
      await jobs(storage).refreshStages("nope");
      expect.unreachable();
    } catch (err) {
      expect(isDevflowError(err) && err.code).toBe("STORAGE_UNKNOWN_PROJECT");
      expect((err as Error).message).toContain('"nope"');
    }
  });
});

describe("AnalysisJobs.refreshBottlenecks", () => {
  it("finds all three together, and opens and resolves them as events", async () => {
    const { storage, project } = workStorage();
    writeSeries(
      storage,
      { projectId: project.id, at: AT },
      { slowingTests: true, cpuPinned: true, stageStuck: true },
    );
    const first = await jobs(storage).refreshBottlenecks(project.id, AT);
    expect(first.findings.map((f) => f.kind).sort()).toEqual([
      "cpu_saturation",
      "slow_tests",
      "stage_stuck",
    ]);
    expect(first.opened).toHaveLength(3);
    const detected = storage.events.query({
      projectId: project.id,
      types: ["bottleneck.detected"],
    });
    expect(detected).toHaveLength(3);
    const slow = detected.find((e) => (e.data as { kind: string }).kind === "slow_tests")!;
    expect(slow.severity).toBe("error");
    expect(slow.metadata).toMatchObject({ type: "process" });
    expect(slow.data).toMatchObject({
      subject: "vitest",
      suggestion: expect.stringContaining("Profile") as string,
    });
    // Still there an hour later: nothing new is opened.
    const again = await jobs(storage).refreshBottlenecks(project.id, AT + HOUR);
    expect(again.opened).toEqual([]);
    expect(again.resolved).toEqual([]);
    // Two days later the suite is fast again, the CPU idle and a new stage began.
    const later = AT + 2 * DAY;
    const recovery = [];
    for (let t = AT + HOUR; t < later; t += 2 * HOUR) {
      recovery.push(
        ev(
          "build.finished",
          t,
          {
            runId: `r${t}`,
            tool: "vitest",
            kind: "test",
            exitCode: 0,
            success: true,
            durationMs: 61_000,
          },
          { projectId: project.id, duration: 61_000 },
        ),
      );
    }
    store(storage, recovery);
    storage.work.recordTransitions([
      {
        id: "st-new",
        projectId: project.id,
        fromStage: "operation",
        toStage: "planning",
        confidence: 0.8,
        timestamp: AT + DAY,
      },
    ]);
    const after = await jobs(storage).refreshBottlenecks(project.id, later);
    expect(after.findings).toEqual([]);
    expect(after.resolved.map((r) => r.kind).sort()).toEqual([
      "cpu_saturation",
      "slow_tests",
      "stage_stuck",
    ]);
    const resolved = storage.events.query({
      projectId: project.id,
      types: ["bottleneck.resolved"],
    });
    expect(resolved.map((e) => e.correlationId).sort()).toEqual(detected.map((e) => e.id).sort());
  });

  it("keeps the open findings in settings", async () => {
    const { storage, project } = workStorage();
    writeSeries(storage, { projectId: project.id, at: AT }, { cpuPinned: true });
    await jobs(storage).refreshBottlenecks(project.id, AT);
    const open = storage.settings.get<Record<string, { kind: string }>>(
      bottleneckStateKey(project.id),
    );
    expect(Object.values(open ?? {}).map((o) => o.kind)).toEqual(["cpu_saturation"]);
  });
});

describe("AnalysisJobs.recordMetrics", () => {
  it("stores one sample per metric with a value and replaces them when recomputed", () => {
    const { storage, project } = workStorage();
    const period = { from: T0, to: T0 + 7 * DAY };
    const report = metricsReport(storage, project.id, period);
    const withValue = report.metrics.filter((m) => m.value !== null).length;
    expect(withValue).toBeGreaterThan(0);
    const analysis = jobs(storage);
    expect(analysis.recordMetrics(report)).toBe(withValue);
    expect(analysis.recordMetrics(metricsReport(storage, project.id, period))).toBe(withValue);
    const samples = storage.work.metrics({ projectId: project.id });
    expect(samples).toHaveLength(withValue);
    expect(samples.every((s) => s.timestamp === period.to)).toBe(true);
  });
});

describe("through a running engine", () => {
  it("emits stage and bottleneck events to live subscribers, then stores them", async () => {
    const { storage, project } = workStorage();
    scripted(storage, project.id);
    writeSeries(storage, { projectId: project.id, at: AT }, { cpuPinned: true });
    const engine = new EventEngine();
    engine.addSink(storage.sink);
    const seen: DevflowEvent[] = [];
    engine.subscribe("stage.*", (e) => void seen.push(e));
    engine.subscribe("bottleneck.*", (e) => void seen.push(e));
    try {
      const analysis = new AnalysisJobs({ storage, engine });
      const stages = await analysis.refreshStages(project.id, T0 + 5 * DAY);
      const bottlenecks = await analysis.refreshBottlenecks(project.id, AT);
      expect(stages.stored).toBeGreaterThan(0);
      expect(bottlenecks.opened.length).toBeGreaterThan(0);
      const types = seen.map((e) => e.type);
      expect(types.filter((t) => t === "stage.transition")).toHaveLength(stages.stored);
      expect(types.filter((t) => t === "bottleneck.detected")).toHaveLength(
        bottlenecks.opened.length,
      );
      // Stored by the time the job returns (the job waits for the engine's flush).
      const stored = storage.events.query({
        projectId: project.id,
        types: ["stage.transition", "bottleneck.detected"],
      });
      expect(stored.map((e) => e.id).sort()).toEqual(seen.map((e) => e.id).sort());
      expect(storage.settings.get(stageStateKey(project.id))).toBeDefined();
    } finally {
      await engine.stop();
    }
  });
});
