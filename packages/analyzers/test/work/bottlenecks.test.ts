/**
 * The bottleneck detector on generated series in a real SQLite database: each injected anomaly
 * (a test suite slowing 3× over a week, the CPU pinned for 20 minutes, a stage stuck for 10
 * days) is found alone and together, a flat series with normal noise gives nothing, and
 * findings come back as `bottleneck.*` events to store (storing them is `AnalysisJobs` in
 * `@devflow/runtime`, tested there). Plus the other rules on small inputs.
 */
import { describe, expect, it } from "vitest";
import {
  BOTTLENECK_KIND_INFO,
  BOTTLENECK_KINDS,
  type BottleneckInput,
  detectBottlenecks,
  bottleneckChanges,
  gatherBottleneckInput,
} from "../../src/index.js";
import { type Anomalies, DAY, HOUR, workStorage, writeSeries } from "@devflow/test-utils/work";

const AT = Date.UTC(2024, 5, 14, 15, 0);

function detect(anomalies: Anomalies, seed = 7) {
  const { storage, project } = workStorage();
  writeSeries(storage, { projectId: project.id, at: AT, seed }, anomalies);
  return detectBottlenecks(gatherBottleneckInput(storage, project.id, AT));
}

describe("bottlenecks on generated series", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    "finds nothing in a flat series with normal noise (seed %i)",
    (seed) => {
      expect(detect({}, seed)).toEqual([]);
    },
  );

  it.each([
    [{ slowingTests: true }, "slow_tests"],
    [{ cpuPinned: true }, "cpu_saturation"],
    [{ stageStuck: true }, "stage_stuck"],
  ] as const)("finds %o alone, whatever the noise (seeds 11–14)", (anomaly, kind) => {
    for (const seed of [11, 12, 13, 14])
      expect(detect(anomaly, seed).map((f) => f.kind)).toEqual([kind]);
  });

  it("finds a test suite slowing 3× over a week", () => {
    const findings = detect({ slowingTests: true });
    expect(findings.map((f) => [f.kind, f.subject])).toEqual([["slow_tests", "vitest"]]);
    const f = findings[0]!;
    expect(f.severity).toBe("error");
    expect(f.type).toBe("process");
    expect(f.value / 60_000).toBeGreaterThan(2.5);
    expect(f.threshold).toBeGreaterThan(80_000);
    expect(f.impact).toMatch(
      /^vitest test runs take [23]\.\d× their usual 6\d\.\d s \(3 min now\)/,
    );
    expect(f.evidence.join("\n")).toMatch(/robust z-score .*Theil–Sen/s);
    expect(f.suggestion).toContain("vitest");
  });

  it("finds the CPU pinned for 20 minutes", () => {
    const findings = detect({ cpuPinned: true });
    expect(findings.map((f) => [f.kind, f.subject])).toEqual([["cpu_saturation", "cpu"]]);
    expect(findings[0]!.value).toBeGreaterThanOrEqual(19);
    expect(findings[0]!.value).toBeLessThanOrEqual(21);
    expect(findings[0]!.evidence[0]).toContain(new Date(AT - 5 * HOUR).toISOString());
  });

  it("finds a stage stuck for 10 days", () => {
    const findings = detect({ stageStuck: true });
    expect(findings.map((f) => f.kind)).toEqual(["stage_stuck"]);
    expect(findings[0]!.value).toBe(10 * DAY);
    expect(findings[0]!.impact).toMatch(/for 10\.0 days, usually [12]\.\d days/);
  });

  it("finds all three together and returns them as events to store, writing nothing", () => {
    const { storage, project } = workStorage();
    writeSeries(
      storage,
      { projectId: project.id, at: AT },
      { slowingTests: true, cpuPinned: true, stageStuck: true },
    );
    const before = storage.events.count();
    const first = bottleneckChanges(storage, { projectId: project.id, at: AT });
    expect(first.findings.map((f) => f.kind).sort()).toEqual([
      "cpu_saturation",
      "slow_tests",
      "stage_stuck",
    ]);
    expect(first.opened).toHaveLength(3);
    expect(first.events.map((e) => e.type)).toEqual(Array(3).fill("bottleneck.detected"));
    expect(
      Object.values(first.open)
        .map((o) => o.eventId)
        .sort(),
    ).toEqual(first.events.map((e) => e.id).sort());
    expect(storage.events.count()).toBe(before);
    // With those findings open an hour later, nothing new; with none open, the same ids again.
    const again = bottleneckChanges(storage, {
      projectId: project.id,
      at: AT + HOUR,
      open: first.open,
    });
    expect(again).toMatchObject({ opened: [], resolved: [], events: [] });
    const rerun = bottleneckChanges(storage, { projectId: project.id, at: AT });
    expect(rerun.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    // 400 days later no run or sample is in the window: slow tests and the pinned CPU are gone,
    // while the stage is stuck longer than ever.
    const gone = bottleneckChanges(storage, {
      projectId: project.id,
      at: AT + 400 * DAY,
      open: first.open,
    });
    expect(gone.resolved.map((r) => r.kind).sort()).toEqual(["cpu_saturation", "slow_tests"]);
    expect(Object.values(gone.open).map((o) => o.kind)).toEqual(["stage_stuck"]);
    const byKind = new Map(first.events.map((e) => [(e.data as { kind: string }).kind, e.id]));
    expect(gone.events.map((e) => [e.type, e.correlationId]).sort()).toEqual(
      [
        ["bottleneck.resolved", byKind.get("cpu_saturation")],
        ["bottleneck.resolved", byKind.get("slow_tests")],
      ].sort(),
    );
  });
});

describe("the other rules", () => {
  const base: BottleneckInput = {
    at: AT,
    runs: [],
    samples: [],
    churn: [],
    branches: [],
    pullRequests: [],
  };

  it("reports a failing streak of 3 or more runs of one tool", () => {
    const runs = [true, false, false, false].map((success, i) => ({
      timestamp: AT - (4 - i) * HOUR,
      kind: "test" as const,
      tool: "jest",
      success,
    }));
    const [f] = detectBottlenecks({ ...base, runs });
    expect(f).toMatchObject({
      kind: "failing_tests",
      subject: "jest",
      value: 3,
      severity: "warning",
    });
    expect(
      detectBottlenecks({
        ...base,
        runs: [...runs, { timestamp: AT - 1, kind: "test", tool: "jest", success: true }],
      }),
    ).toEqual([]);
  });

  it("reports rising churn, idle branches, long-open pull requests, a full disk and absolute slowness", () => {
    const churn = [
      ...[3, 2, 1].map((w) => ({
        path: "src/hot.ts",
        timestamp: AT - w * 7 * DAY - DAY,
        lines: 30,
      })),
      ...[1, 2, 3, 4].map((d) => ({ path: "src/hot.ts", timestamp: AT - d * DAY, lines: 60 })),
    ];
    const findings = detectBottlenecks({
      ...base,
      churn,
      branches: [
        { branch: "feature/old", lastActivity: AT - 20 * DAY },
        { branch: "feature/new", lastActivity: AT - DAY },
      ],
      pullRequests: [{ id: "PR-9", title: "Big refactor", openedAt: AT - 9 * DAY, reviews: 0 }],
      samples: [{ timestamp: AT - 60_000, cpuPercent: 10, memoryPercent: 10, diskUsedPercent: 97 }],
      runs: [
        {
          timestamp: AT - HOUR,
          kind: "build",
          tool: "gradle",
          durationMs: 20 * 60_000,
          success: true,
        },
      ],
    });
    expect(findings.map((f) => `${f.kind}:${f.subject}:${f.severity}`).sort()).toEqual([
      "disk_full:disk:error",
      "idle_branch:feature/old:warning",
      "long_open_pr:Big refactor:warning",
      "rising_churn:src/hot.ts:error",
      "slow_build:gradle:warning",
    ]);
    expect(findings.find((f) => f.kind === "rising_churn")!.evidence[0]).toBe(
      "weekly churn, oldest first: 30, 30, 30, 240",
    );
  });

  it("describes every kind with a type and a concrete suggestion", () => {
    for (const kind of BOTTLENECK_KINDS) {
      expect(BOTTLENECK_KIND_INFO[kind].suggestion.length).toBeGreaterThan(40);
    }
  });
});
