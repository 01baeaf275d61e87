/**
 * The stage analyzer on scripted event streams: the lifecycle sequence with confidence and
 * evidence, noise that must not flip the stage, hysteresis against flapping, sub-stages, state
 * round trips, and the rules table itself.
 */
import { describe, expect, it } from "vitest";
import {
  FILE_EVENTS,
  STAGE_CONDITIONS,
  STAGE_RULES,
  StageAnalyzer,
  type StageEvent,
  stageSignalOf,
  STAGES,
  SUB_STAGE_RULES,
  SUB_STAGES,
  type StageTransitionRecord,
} from "../../src/index.js";
import { DAY, T0 } from "@devflow/test-utils/work";

let n = 0;
const file = (
  path: string,
  t: number,
  type = "file.changed",
  extra: Record<string, unknown> = {},
): StageEvent => ({
  id: `e${++n}`,
  type,
  timestamp: t,
  data: { path, ...extra },
});

/** One phase a day: each file created, then each changed once, 10 minutes apart. */
function lifecycle(phases: ReadonlyArray<readonly string[]>): StageEvent[] {
  const events: StageEvent[] = [];
  phases.forEach((files, day) => {
    let t = T0 + day * DAY + 9 * 3_600_000;
    for (const f of files) events.push(file(f, (t += 600_000), "file.created"));
    for (const f of files) events.push(file(f, (t += 600_000)));
  });
  return events;
}

function run(
  events: readonly StageEvent[],
  analyzer = new StageAnalyzer(),
): StageTransitionRecord[] {
  return events.flatMap((e) => analyzer.push(e));
}

const PHASES = [
  ["docs/PRD.md", "docs/user-stories.md"],
  ["db/schema.sql", "db/migrations/001_init.sql"],
  ["design/home.fig", "design/mockups/login.png", "design/tokens.json"],
  ["src/components/Button.tsx", "src/pages/index.tsx", "src/components/Header.tsx"],
  ["src/api/users.ts", "src/api/handlers/orders.ts", "src/services/billing.ts"],
  ["src/api/users.test.ts", "test/orders.test.ts", "test/billing.test.ts"],
  ["Dockerfile", ".github/workflows/ci.yml", "docker-compose.yml"],
  ["monitoring/prometheus.yml", "monitoring/alerts.yml", "docs/runbook.md"],
] as const;

describe("StageAnalyzer", () => {
  it("follows a project from PRD to operation, with confidence and evidence", () => {
    const transitions = run(lifecycle(PHASES));
    const stages = transitions.filter((t) => t.from !== t.to).map((t) => t.to);
    expect(stages).toEqual([
      "prd",
      "erd",
      "design",
      "frontend",
      "backend",
      "coding",
      "deployment",
      "operation",
    ]);
    for (const t of transitions) {
      expect(t.confidence).toBeGreaterThanOrEqual(0.5);
      // Stage changes need 3 supporting events, sub-stage changes 2.
      expect(t.evidence.length).toBeGreaterThanOrEqual(t.from === t.to ? 2 : 3);
      expect(t.evidence[0]!.rules[0]).toMatch(new RegExp(`^(${t.to}|${t.subStage ?? "-"})\\.`));
      expect(t.at).toBeLessThanOrEqual(t.decidedAt);
    }
    // Each stage begins with the first event of its phase (09:10 of its day).
    // (A sub-stage change just before a stage change pushes it 1 ms later: transitions are
    // strictly ordered in time.)
    const starts = transitions.filter((t) => t.from !== t.to).map((t) => (t.at - T0) % DAY);
    for (const s of starts) expect(s - (9 * 3_600_000 + 600_000)).toBeLessThanOrEqual(1);
    for (let i = 1; i < transitions.length; i++) {
      expect(transitions[i]!.at).toBeGreaterThan(transitions[i - 1]!.at);
    }
    const coding = transitions.find((t) => t.to === "coding" && t.from !== "coding")!;
    expect(coding.subStage).toBe("unit_test");
    expect(transitions.find((t) => t.to === "frontend")!.subStage).toBe("initial_impl");
  });

  it("is not flipped by a single stray file, even one saved several times", () => {
    const events = lifecycle(PHASES.slice(0, 4));
    const t = events[events.length - 4]!.timestamp;
    // In the middle of the front-end phase: a stray monitoring file, created and saved 3 times.
    events.splice(
      events.length - 3,
      0,
      ...["file.created", "file.changed", "file.changed", "file.changed"].map((type, i) =>
        file("scratch/grafana-dashboard.json", t + i * 60_000 + 1, type),
      ),
    );
    const transitions = run(events);
    expect(transitions.filter((x) => x.from !== x.to).map((x) => x.to)).toEqual([
      "prd",
      "erd",
      "design",
      "frontend",
    ]);
    // A stray file on a fresh morning (everything decayed) does not flip it either.
    const analyzer = new StageAnalyzer();
    run(events, analyzer);
    const later = events[events.length - 1]!.timestamp + 2 * DAY;
    expect(
      run(
        [file("Dockerfile", later, "file.created"), file("Dockerfile", later + 60_000)],
        analyzer,
      ),
    ).toEqual([]);
    expect(analyzer.snapshot().stage).toBe("frontend");
  });

  it("does not flap when two stages alternate", () => {
    const analyzer = new StageAnalyzer();
    run(lifecycle([PHASES[3]]), analyzer);
    expect(analyzer.snapshot().stage).toBe("frontend");
    const t0 = T0 + 2 * DAY;
    const alternating = Array.from({ length: 40 }, (_, i) =>
      file(i % 2 === 0 ? `src/api/r${i % 6}.ts` : `src/components/C${i % 6}.tsx`, t0 + i * 300_000),
    );
    const transitions = run(alternating, analyzer);
    expect(transitions.filter((x) => x.from !== x.to).length).toBeLessThanOrEqual(1);
  });

  it("tracks sub-stages inside implementation stages", () => {
    const analyzer = new StageAnalyzer();
    const t = T0 + 9 * 3_600_000;
    const events = [
      ...["src/cart.ts", "src/price.ts", "src/tax.ts"].map((p, i) =>
        file(p, t + i * 60_000, "file.created"),
      ),
      ...["src/cart.ts", "src/price.ts", "src/tax.ts", "src/cart.ts"].map((p, i) =>
        file(p, t + DAY + i * 60_000, "file.changed", { linesAdded: 30, linesRemoved: 28 }),
      ),
      ...["e2e/checkout.spec.ts", "e2e/login.spec.ts", "e2e/cart.spec.ts"].map((p, i) =>
        file(p, t + 2 * DAY + i * 60_000),
      ),
    ];
    const transitions = run(events, analyzer);
    expect(transitions.map((x) => `${x.to}/${x.subStage}`)).toEqual([
      "coding/initial_impl",
      "coding/refactoring",
      "coding/e2e_test",
    ]);
    expect(analyzer.snapshot().subStage).toBe("e2e_test");
  });

  it("continues from a saved state exactly as in one run", () => {
    const events = lifecycle(PHASES);
    const whole = run(events);
    const first = new StageAnalyzer();
    const a = run(events.slice(0, 23), first);
    const second = new StageAnalyzer(
      {},
      JSON.parse(JSON.stringify(first.state)) as StageAnalyzer["state"],
    );
    const b = run(events.slice(23), second);
    expect([...a, ...b]).toEqual(whole);
    expect(() => new StageAnalyzer({}, { ...first.state, version: 2 as 1 })).toThrow(
      /ANALYZERS|version/,
    );
  });

  it("reads git, AI, build, test and integration events", () => {
    const t = T0;
    const sig = (type: string, data: Record<string, unknown>, files?: string[]) =>
      stageSignalOf({ id: "x", type, timestamp: t, data }, files)?.stages.map((h) => h.key) ?? [];
    expect(sig("git.tag", { tag: "v1.0.0", hash: "abcdef1", action: "created" })).toEqual([
      "deployment",
    ]);
    expect(sig("git.tag", { tag: "v1.0.0", hash: "abcdef1", action: "deleted" })).toEqual([]);
    expect(sig("git.merge", { hash: "abcdef1", parents: [] })).toEqual(["git"]);
    expect(sig("ai.prompt", { tool: "claude-code", sessionId: "s", chars: 20 })).toEqual([
      "ai_collab",
    ]);
    expect(
      sig("build.finished", {
        runId: "r",
        tool: "vitest",
        kind: "test",
        exitCode: 0,
        success: true,
        durationMs: 5,
      }),
    ).toEqual(["coding"]);
    expect(
      sig("integration.incident", { provider: "pagerduty", externalId: "1", state: "opened" }),
    ).toEqual(["operation"]);
    expect(
      sig("integration.deployment", {
        provider: "github",
        externalId: "1",
        environment: "prod",
        status: "success",
      }),
    ).toEqual(["deployment"]);
    // A commit spreads half the weight of its files' evidence.
    const commit = stageSignalOf(
      { id: "c", type: "git.commit", timestamp: t, data: { hash: "abcdef1" } },
      ["src/components/A.tsx", "README.md"],
    )!;
    expect(commit.stages).toEqual([
      {
        key: "frontend",
        weight: 0.25,
        rules: ["frontend.components"],
      },
    ]);
    expect(commit.subject).toBe("src/components/A.tsx (+1)");
    expect(stageSignalOf({ id: "y", type: "system.sample", timestamp: t, data: {} })).toBeNull();
  });
});

describe("the rules table", () => {
  it("covers every stage and sub-stage with unique, described, sane rules", () => {
    const all = [...STAGE_RULES, ...SUB_STAGE_RULES];
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    for (const stage of STAGES) expect(STAGE_RULES.some((r) => r.stage === stage)).toBe(true);
    for (const sub of SUB_STAGES) expect(all.some((r) => r.subStage === sub)).toBe(true);
    for (const r of all) {
      expect(r.weight).toBeGreaterThan(0);
      expect(r.weight).toBeLessThanOrEqual(1.5);
      expect(r.why.length).toBeGreaterThan(3);
      expect(r.on.length).toBeGreaterThan(0);
      expect(r.id.split(".")[0]).toBe(r.stage ?? r.subStage);
      if (r.condition) expect(STAGE_CONDITIONS).toContain(r.condition);
    }
    expect(FILE_EVENTS).toContain("file.*");
  });
});
