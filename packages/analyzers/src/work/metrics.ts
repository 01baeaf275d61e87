/**
 * @module metrics
 * The metrics of product.md §7 (productivity, quality, performance, collaboration): their
 * definitions, how each is computed from a period's facts, and period-over-period comparison.
 */
import type { ActivityCategory } from "./categories.js";
import { quantile } from "./stats.js";

/** Metric groups. */
export const METRIC_GROUPS = ["productivity", "quality", "performance", "collaboration"] as const;
/** One metric group. */
export type MetricGroup = (typeof METRIC_GROUPS)[number];

/** A commit as the metrics read it. */
export interface MetricCommit {
  authoredAt: number;
  isMerge: boolean;
  authorEmail: string;
  insertions: number;
  deletions: number;
  files: ReadonlyArray<{ path: string; insertions: number | null; deletions: number | null }>;
  /** The conventional category when the message names one, else the predicted one. */
  category: ActivityCategory;
  revert: boolean;
}

/** A build or test run (`build.finished`). */
export interface MetricRun {
  kind: "build" | "test";
  durationMs: number;
  success: boolean | null;
  runId: string;
}

/** A test report (`test.run_finished`). */
export interface MetricTestReport {
  timestamp: number;
  passed?: number;
  failed?: number;
  durationMs?: number;
  coverageLines?: number;
  runId?: string;
}

/** Everything the metrics of one period are computed from. */
export interface MetricFacts {
  /** Non-empty commits authored in the period. */
  commits: readonly MetricCommit[];
  /** Lines of period commits that rework a file changed in the 21 days before (see `quality.churn`). */
  reworkLines: number;
  /** Sum of merged heartbeat durations (ms), from the rollups. */
  activeMs: number;
  /** File events, from the rollups. */
  fileEvents: number;
  runs: readonly MetricRun[];
  tests: readonly MetricTestReport[];
  reviews: ReadonlyArray<{ actor: string | null; externalId: string }>;
  mergedPrs: readonly string[];
}

/** The definition of one metric. */
export interface MetricDefinition {
  name: string;
  group: MetricGroup;
  unit: string;
  /** Which direction is good (`null`: neither). */
  better: "higher" | "lower" | null;
  description: string;
  /** `null` when the period has nothing to compute it from. */
  compute: (f: MetricFacts) => number | null;
}

const nonMerge = (f: MetricFacts) => f.commits.filter((c) => !c.isMerge);
const pct = (part: number, whole: number): number | null =>
  whole === 0 ? null : (100 * part) / whole;
const testRuns = (f: MetricFacts): number[] => {
  const linked = new Set(f.runs.map((r) => r.runId));
  return [
    ...f.runs.filter((r) => r.kind === "test").map((r) => r.durationMs),
    ...f.tests
      .filter((t) => t.durationMs !== undefined && !(t.runId && linked.has(t.runId)))
      .map((t) => t.durationMs!),
  ];
};

/** Every metric, in report order. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    name: "productivity.active_time",
    group: "productivity",
    unit: "ms",
    better: "higher",
    description: "active time: the merged heartbeats' durations (from the rollups)",
    compute: (f) => f.activeMs,
  },
  {
    name: "productivity.commits",
    group: "productivity",
    unit: "commits",
    better: "higher",
    description: "commits authored, merges excluded",
    compute: (f) => nonMerge(f).length,
  },
  {
    name: "productivity.lines_added",
    group: "productivity",
    unit: "lines",
    better: null,
    description: "lines added by commits, merges excluded",
    compute: (f) => nonMerge(f).reduce((n, c) => n + c.insertions, 0),
  },
  {
    name: "productivity.lines_removed",
    group: "productivity",
    unit: "lines",
    better: null,
    description: "lines removed by commits, merges excluded",
    compute: (f) => nonMerge(f).reduce((n, c) => n + c.deletions, 0),
  },
  {
    name: "productivity.files_changed",
    group: "productivity",
    unit: "files",
    better: null,
    description: "distinct files changed by commits",
    compute: (f) => new Set(f.commits.flatMap((c) => c.files.map((x) => x.path))).size,
  },
  {
    name: "productivity.file_edits",
    group: "productivity",
    unit: "events",
    better: null,
    description: "file events recorded (from the rollups)",
    compute: (f) => f.fileEvents,
  },
  {
    name: "quality.test_pass_rate",
    group: "quality",
    unit: "%",
    better: "higher",
    description:
      "passed ÷ (passed + failed) tests in test reports; without reports, successful ÷ known test runs",
    compute: (f) => {
      const reports = f.tests.filter((t) => t.passed !== undefined || t.failed !== undefined);
      if (reports.length > 0) {
        const passed = reports.reduce((n, t) => n + (t.passed ?? 0), 0);
        return pct(passed, passed + reports.reduce((n, t) => n + (t.failed ?? 0), 0));
      }
      const known = f.runs.filter((r) => r.kind === "test" && r.success !== null);
      return pct(known.filter((r) => r.success).length, known.length);
    },
  },
  {
    name: "quality.coverage",
    group: "quality",
    unit: "%",
    better: "higher",
    description: "line coverage of the period's last coverage report",
    compute: (f) =>
      [...f.tests]
        .filter((t) => t.coverageLines !== undefined)
        .sort((a, b) => a.timestamp - b.timestamp)
        .pop()?.coverageLines ?? null,
  },
  {
    name: "quality.fix_ratio",
    group: "quality",
    unit: "%",
    better: "lower",
    description:
      "fix commits ÷ commits (the message's conventional type when it has one, else the path-based category)",
    compute: (f) => pct(nonMerge(f).filter((c) => c.category === "fix").length, nonMerge(f).length),
  },
  {
    name: "quality.revert_rate",
    group: "quality",
    unit: "%",
    better: "lower",
    description: "revert commits ÷ commits",
    compute: (f) => pct(nonMerge(f).filter((c) => c.revert).length, nonMerge(f).length),
  },
  {
    name: "quality.churn",
    group: "quality",
    unit: "%",
    better: "lower",
    description:
      "rework: lines changed in files already changed in the 21 days before ÷ lines changed",
    compute: (f) =>
      pct(
        f.reworkLines,
        nonMerge(f).reduce((n, c) => n + c.insertions + c.deletions, 0),
      ),
  },
  {
    name: "performance.build_duration_p50",
    group: "performance",
    unit: "ms",
    better: "lower",
    description: "median build duration",
    compute: (f) =>
      quantile(
        f.runs.filter((r) => r.kind === "build").map((r) => r.durationMs),
        0.5,
      ),
  },
  {
    name: "performance.build_duration_p95",
    group: "performance",
    unit: "ms",
    better: "lower",
    description: "95th percentile build duration",
    compute: (f) =>
      quantile(
        f.runs.filter((r) => r.kind === "build").map((r) => r.durationMs),
        0.95,
      ),
  },
  {
    name: "performance.test_duration_p50",
    group: "performance",
    unit: "ms",
    better: "lower",
    description: "median test run duration (runs, plus reports without a run)",
    compute: (f) => quantile(testRuns(f), 0.5),
  },
  {
    name: "performance.build_failure_rate",
    group: "performance",
    unit: "%",
    better: "lower",
    description: "failed ÷ builds and test runs whose outcome is known",
    compute: (f) => {
      const known = f.runs.filter((r) => r.success !== null);
      return pct(known.filter((r) => r.success === false).length, known.length);
    },
  },
  {
    name: "collaboration.authors",
    group: "collaboration",
    unit: "people",
    better: "higher",
    description: "distinct commit authors (e-mail)",
    compute: (f) => new Set(nonMerge(f).map((c) => c.authorEmail.toLowerCase())).size,
  },
  {
    name: "collaboration.reviews",
    group: "collaboration",
    unit: "reviews",
    better: "higher",
    description: "reviews submitted (integrations)",
    compute: (f) => f.reviews.length,
  },
  {
    name: "collaboration.reviewers",
    group: "collaboration",
    unit: "people",
    better: "higher",
    description: "distinct reviewers (integrations)",
    compute: (f) => new Set(f.reviews.map((r) => r.actor).filter(Boolean)).size,
  },
  {
    name: "collaboration.prs_merged",
    group: "collaboration",
    unit: "pull requests",
    better: null,
    description: "pull requests merged (integrations)",
    compute: (f) => f.mergedPrs.length,
  },
  {
    name: "collaboration.review_coverage",
    group: "collaboration",
    unit: "%",
    better: "higher",
    description: "merged pull requests with at least one review ÷ merged pull requests",
    compute: (f) => {
      const reviewed = new Set(f.reviews.map((r) => r.externalId));
      return pct(f.mergedPrs.filter((id) => reviewed.has(id)).length, f.mergedPrs.length);
    },
  },
];

/** One metric over a period, with the previous period. */
export interface MetricValue {
  name: string;
  group: MetricGroup;
  unit: string;
  better: "higher" | "lower" | null;
  value: number | null;
  previous: number | null;
  /** value − previous. */
  change: number | null;
  /** change ÷ |previous| × 100; `null` when previous is 0 or missing. */
  changePercent: number | null;
  /** `flat` when the change is within 5 % of the previous value. */
  trend: "up" | "down" | "flat" | null;
  /** Whether the trend is good, given {@link MetricDefinition.better}. */
  assessment: "better" | "worse" | "same" | null;
}

/** Rounds to 4 decimals, so sums of fractions print cleanly. */
export const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/** Compares a value with the previous period's. */
export function compareMetric(
  definition: Pick<MetricDefinition, "name" | "group" | "unit" | "better">,
  current: number | null,
  previous: number | null,
): MetricValue {
  const value = current === null ? null : round4(current);
  const prev = previous === null ? null : round4(previous);
  let change: number | null = null;
  let changePercent: number | null = null;
  let trend: MetricValue["trend"] = null;
  let assessment: MetricValue["assessment"] = null;
  if (current !== null && previous !== null) {
    // Change and percentage from the exact values; only the output is rounded.
    const delta = current - previous;
    change = round4(delta);
    changePercent = previous === 0 ? null : round4((100 * delta) / Math.abs(previous));
    trend = Math.abs(delta) <= 0.05 * Math.abs(previous) ? "flat" : delta > 0 ? "up" : "down";
    assessment =
      trend === "flat"
        ? "same"
        : definition.better === null
          ? null
          : (trend === "up") === (definition.better === "higher")
            ? "better"
            : "worse";
  }
  return {
    name: definition.name,
    group: definition.group,
    unit: definition.unit,
    better: definition.better,
    value,
    previous: prev,
    change,
    changePercent,
    trend,
    assessment,
  };
}

/** Computes every metric for a period and the previous one. */
export function computeMetrics(current: MetricFacts, previous: MetricFacts): MetricValue[] {
  return METRIC_DEFINITIONS.map((d) => compareMetric(d, d.compute(current), d.compute(previous)));
}
