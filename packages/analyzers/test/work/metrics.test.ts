/**
 * Metrics on a scripted two-week dataset in a real SQLite database: every figure, the previous
 * week's value, change and trend equal values computed by hand (shown next to each assertion);
 * the samples are stored in `metrics` and a recomputation replaces them.
 */
import { describe, expect, it } from "vitest";
import type { CommitInput } from "@devflow/storage";
import { compareMetric, metricSamples, metricsReport, type MetricValue } from "../../src/index.js";
import { DAY, ev, HOUR, store, T0, workStorage } from "@devflow/test-utils/work";

const W = 7 * DAY;

function dataset() {
  const { storage, project } = workStorage();
  const p = { projectId: project.id };
  const commit = (
    day: number,
    hash: string,
    author: string,
    message: string,
    files: Array<[string, number, number]>,
    extra: Partial<CommitInput> = {},
  ): CommitInput => ({
    projectId: project.id,
    hash: hash.repeat(40).slice(0, 40),
    parents: [],
    authorName: author,
    authorEmail: `${author}@example.com`,
    authoredAt: T0 + day * DAY + 10 * HOUR,
    message,
    conventionalType: /^(\w+)[:(]/.exec(message)?.[1] ?? null,
    files: files.map(([path, insertions, deletions]) => ({ path, insertions, deletions })),
    ...extra,
  });
  storage.commits.insertMany([
    // Previous week
    commit(0, "1", "a", "feat: cart", [
      ["src/cart.ts", 100, 0],
      ["src/cart.test.ts", 40, 0],
    ]),
    commit(2, "2", "b", "fix: cart rounding", [["src/cart.ts", 3, 2]]),
    commit(4, "3", "a", "docs: readme", [["README.md", 10, 0]]),
    commit(5, "4", "a", "Merge branch 'x'", [], { parents: ["1".repeat(40), "2".repeat(40)] }),
    // This week
    commit(7, "5", "a", "fix: tax", [["src/cart.ts", 4, 4]]),
    commit(8, "6", "c", "feat: checkout", [["src/checkout.ts", 200, 0]]),
    commit(9, "7", "c", 'Revert "feat: checkout"', [["src/checkout.ts", 0, 200]]),
    commit(10, "8", "b", "fix(cart): null total", [["src/cart.ts", 2, 1]]),
    commit(11, "9", "b", "test: cart", [["src/cart.test.ts", 30, 5]]),
  ]);
  const at = (week: number, day: number, hour = 12) => T0 + week * W + day * DAY + hour * HOUR;
  const run = (
    t: number,
    kind: "build" | "test",
    durationMs: number,
    success: boolean,
    runId: string,
  ) =>
    ev(
      "build.finished",
      t,
      {
        runId,
        tool: kind === "test" ? "vitest" : "tsc",
        kind,
        exitCode: success ? 0 : 1,
        success,
        durationMs,
      },
      { ...p, duration: durationMs },
    );
  const junit = (t: number, passed: number, failed: number, extra: Record<string, unknown> = {}) =>
    ev("test.run_finished", t, { tool: "vitest", origin: "junit", passed, failed, ...extra }, p);
  const coverage = (t: number, lines: number) =>
    ev("test.run_finished", t, { tool: "lcov", origin: "coverage", coverage: { lines } }, p);
  const heartbeat = (t: number, ms: number) =>
    ev("activity.heartbeat", t, { category: "coding" }, { ...p, duration: ms });
  const pr = (
    type: "integration.review_submitted" | "integration.pr_merged",
    t: number,
    id: string,
    actor?: string,
  ) =>
    ev(
      type,
      t,
      {
        provider: "github",
        externalId: id,
        ...(actor ? { actor } : {}),
        ...(type === "integration.review_submitted" ? { state: "approved" } : {}),
      },
      p,
    );
  store(storage, [
    heartbeat(at(0, 1), HOUR),
    heartbeat(at(0, 3), HOUR / 2),
    heartbeat(at(1, 0), 2 * HOUR),
    heartbeat(at(1, 2), HOUR),
    heartbeat(at(1, 4, 23), HOUR / 2),
    ...[1, 2, 3, 4].map((d) => ev("file.changed", at(0, d), { path: "src/cart.ts" }, p)),
    ...[0, 1, 2, 3, 4, 5].map((d) =>
      ev(d % 2 ? "file.created" : "file.changed", at(1, d), { path: `src/f${d}.ts` }, p),
    ),
    run(at(0, 1), "build", 60_000, true, "b1"),
    run(at(0, 2), "build", 80_000, true, "b2"),
    run(at(0, 3), "test", 30_000, true, "t1"),
    run(at(1, 1), "build", 90_000, true, "b3"),
    run(at(1, 2), "build", 120_000, false, "b4"),
    run(at(1, 3), "build", 150_000, true, "b5"),
    run(at(1, 4), "test", 40_000, false, "t2"),
    run(at(1, 5), "test", 50_000, true, "t3"),
    junit(at(0, 3, 13), 30, 0),
    junit(at(1, 4, 13), 48, 2, { runId: "t2", durationMs: 39_000 }),
    junit(at(1, 6), 50, 0, { durationMs: 45_000 }),
    coverage(at(0, 3), 78),
    coverage(at(1, 1), 80),
    coverage(at(1, 5), 82.5),
    pr("integration.review_submitted", at(0, 2), "PR-0", "alice"),
    pr("integration.pr_merged", at(0, 3), "PR-0"),
    pr("integration.review_submitted", at(1, 1), "PR-1", "alice"),
    pr("integration.review_submitted", at(1, 2), "PR-1", "bob"),
    pr("integration.review_submitted", at(1, 2), "PR-2", "alice"),
    pr("integration.pr_merged", at(1, 3), "PR-1"),
    pr("integration.pr_merged", at(1, 4), "PR-3"),
  ]);
  return { storage, project };
}

type Expected = Pick<
  MetricValue,
  "value" | "previous" | "change" | "changePercent" | "trend" | "assessment"
>;

describe("metricsReport", () => {
  it("computes every metric and its change against the previous week", () => {
    const { storage, project } = dataset();
    const report = metricsReport(storage, project.id, { from: T0 + W, to: T0 + 2 * W });
    expect(report.previous).toEqual({ from: T0, to: T0 + W });
    const byName = Object.fromEntries(report.metrics.map((m) => [m.name, m]));
    const expected: Record<string, Expected> = {
      // 2 h + 1 h + 30 min against 1 h + 30 min.
      "productivity.active_time": {
        value: 12_600_000,
        previous: 5_400_000,
        change: 7_200_000,
        changePercent: 133.3333,
        trend: "up",
        assessment: "better",
      },
      // 5 commits (c5–c9) against 3 (the merge does not count).
      "productivity.commits": {
        value: 5,
        previous: 3,
        change: 2,
        changePercent: 66.6667,
        trend: "up",
        assessment: "better",
      },
      // 4 + 200 + 0 + 2 + 30 against 100 + 40 + 3 + 10.
      "productivity.lines_added": {
        value: 236,
        previous: 153,
        change: 83,
        changePercent: 54.2484,
        trend: "up",
        assessment: null,
      },
      // 4 + 0 + 200 + 1 + 5 against 2.
      "productivity.lines_removed": {
        value: 210,
        previous: 2,
        change: 208,
        changePercent: 10_400,
        trend: "up",
        assessment: null,
      },
      "productivity.files_changed": {
        value: 3,
        previous: 3,
        change: 0,
        changePercent: 0,
        trend: "flat",
        assessment: "same",
      },
      "productivity.file_edits": {
        value: 6,
        previous: 4,
        change: 2,
        changePercent: 50,
        trend: "up",
        assessment: null,
      },
      // (48 + 50) ÷ (48 + 2 + 50 + 0) against 30 ÷ 30: a 2 % drop is within the 5 % band.
      "quality.test_pass_rate": {
        value: 98,
        previous: 100,
        change: -2,
        changePercent: -2,
        trend: "flat",
        assessment: "same",
      },
      // The last coverage report of each week.
      "quality.coverage": {
        value: 82.5,
        previous: 78,
        change: 4.5,
        changePercent: 5.7692,
        trend: "up",
        assessment: "better",
      },
      // 2 fixes of 5 (the revert has no conventional category and is predicted from its paths) against 1 of 3.
      "quality.fix_ratio": {
        value: 40,
        previous: 33.3333,
        change: 6.6667,
        changePercent: 20,
        trend: "up",
        assessment: "worse",
      },
      "quality.revert_rate": {
        value: 20,
        previous: 0,
        change: 20,
        changePercent: null,
        trend: "up",
        assessment: "worse",
      },
      // Rework lines (file changed in the 21 days before): 8 + 0 + 200 + 3 + 35 = 246 of 446; 5 of 155.
      // Change 24600/446 − 500/155 = 51.9311, i.e. +1609.8655 %.
      "quality.churn": {
        value: 55.157,
        previous: 3.2258,
        change: 51.9311,
        changePercent: 1609.8655,
        trend: "up",
        assessment: "worse",
      },
      "performance.build_duration_p50": {
        value: 120_000,
        previous: 70_000,
        change: 50_000,
        changePercent: 71.4286,
        trend: "up",
        assessment: "worse",
      },
      // 120 s + 0.9 × 30 s; 60 s + 0.95 × 20 s (linear interpolation).
      "performance.build_duration_p95": {
        value: 147_000,
        previous: 79_000,
        change: 68_000,
        changePercent: 86.0759,
        trend: "up",
        assessment: "worse",
      },
      // Runs 40 s and 50 s plus the report without a run (45 s); the report of run t2 is not counted twice.
      "performance.test_duration_p50": {
        value: 45_000,
        previous: 30_000,
        change: 15_000,
        changePercent: 50,
        trend: "up",
        assessment: "worse",
      },
      // 2 failed of 5 runs against 0 of 3.
      "performance.build_failure_rate": {
        value: 40,
        previous: 0,
        change: 40,
        changePercent: null,
        trend: "up",
        assessment: "worse",
      },
      "collaboration.authors": {
        value: 3,
        previous: 2,
        change: 1,
        changePercent: 50,
        trend: "up",
        assessment: "better",
      },
      "collaboration.reviews": {
        value: 3,
        previous: 1,
        change: 2,
        changePercent: 200,
        trend: "up",
        assessment: "better",
      },
      "collaboration.reviewers": {
        value: 2,
        previous: 1,
        change: 1,
        changePercent: 100,
        trend: "up",
        assessment: "better",
      },
      "collaboration.prs_merged": {
        value: 2,
        previous: 1,
        change: 1,
        changePercent: 100,
        trend: "up",
        assessment: null,
      },
      // PR-1 was reviewed, PR-3 was not; PR-0 was.
      "collaboration.review_coverage": {
        value: 50,
        previous: 100,
        change: -50,
        changePercent: -50,
        trend: "down",
        assessment: "worse",
      },
    };
    expect(Object.keys(byName).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, want] of Object.entries(expected)) {
      expect({ name, ...pick(byName[name]!) }).toEqual({ name, ...want });
    }
  });

  it("stores one sample per metric and replaces them when recomputed", () => {
    const { storage, project } = dataset();
    const period = { from: T0 + W, to: T0 + 2 * W };
    const report = metricsReport(storage, project.id, period);
    // Stored as `AnalysisJobs.recordMetrics` in @devflow/runtime stores them.
    const record = (r: typeof report) => storage.work.putMetrics(metricSamples(r));
    expect(record(report)).toBe(20);
    expect(record(metricsReport(storage, project.id, period))).toBe(20);
    const samples = storage.work.metrics({ projectId: project.id });
    expect(samples).toHaveLength(20);
    const commits = samples.find((s) => s.name === "productivity.commits")!;
    expect(commits).toMatchObject({ value: 5, unit: "commits", timestamp: period.to });
    expect(commits.tags).toMatchObject({
      group: "productivity",
      previous: 3,
      change: 2,
      trend: "up",
      from: period.from,
      to: period.to,
    });
    expect(
      storage.work.metrics({ names: ["quality.coverage"], from: period.to, to: period.to + 1 }),
    ).toHaveLength(1);
  });

  it("reports a metric without data as null, with no trend", () => {
    const { storage, project } = workStorage();
    const report = metricsReport(storage, project.id, { from: T0, to: T0 + W });
    const coverage = report.metrics.find((m) => m.name === "quality.coverage")!;
    expect(coverage).toMatchObject({ value: null, previous: null, change: null, trend: null });
    expect(report.metrics.find((m) => m.name === "productivity.commits")).toMatchObject({
      value: 0,
      previous: 0,
      trend: "flat",
    });
    expect(metricSamples(report)).toHaveLength(
      report.metrics.filter((m) => m.value !== null).length,
    );
  });
});

describe("compareMetric", () => {
  it("judges trends by the metric's good direction", () => {
    const def = { name: "x", group: "performance" as const, unit: "ms", better: "lower" as const };
    expect(compareMetric(def, 90, 100)).toMatchObject({
      change: -10,
      changePercent: -10,
      trend: "down",
      assessment: "better",
    });
    expect(compareMetric(def, 104, 100)).toMatchObject({ trend: "flat", assessment: "same" });
    expect(compareMetric(def, 5, null)).toMatchObject({
      change: null,
      trend: null,
      assessment: null,
    });
  });
});

function pick(m: MetricValue): Expected {
  return {
    value: m.value,
    previous: m.previous,
    change: m.change,
    changePercent: m.changePercent,
    trend: m.trend,
    assessment: m.assessment,
  };
}
