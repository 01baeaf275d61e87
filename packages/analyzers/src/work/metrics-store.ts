/**
 * @module metrics-store
 * Gathers a period's facts from storage (commits, rollups, run and test events, integration
 * events), computes the metrics with the previous period, and turns them into metric samples
 * (stored by `@devflow/runtime`).
 */
import type {
  EventRepository,
  MetricSampleInput,
  ProjectRepository,
  RollupBucket,
  RollupRepository,
  StoredCommit,
  WorkRepository,
} from "@devflow/storage";

/** The repositories the metrics read. */
export interface MetricReads {
  readonly projects: ProjectRepository;
  readonly events: EventRepository;
  readonly rollups: RollupRepository;
  readonly work: WorkRepository;
}
import { classifyCommits } from "./commit-classification.js";
import {
  computeMetrics,
  type MetricCommit,
  type MetricFacts,
  type MetricRun,
  type MetricTestReport,
  type MetricValue,
} from "./metrics.js";
import { type Period, previousPeriod } from "./period.js";
import { requireProject, stableId, storedEvents } from "./store-util.js";

/** How far back a file's last change counts as recent for `quality.churn` (21 days). */
export const REWORK_WINDOW_MS = 21 * 86_400_000;

const REVERT = /^Revert "|^revert[:(]|This reverts commit [0-9a-f]{7,}/m;

/** The smallest rollup bucket that keeps a period's read cheap (5 m up to 62 days, then 1 h, then 1 d). */
function bucketFor(period: Period): RollupBucket {
  const days = (period.to - period.from) / 86_400_000;
  return days <= 62 ? "5m" : days <= 800 ? "1h" : "1d";
}

function rollupTotals(
  storage: MetricReads,
  projectId: string,
  period: Period,
): { activeMs: number; fileEvents: number } {
  let activeMs = 0;
  let fileEvents = 0;
  const points = storage.rollups.series({
    bucket: bucketFor(period),
    from: period.from,
    to: period.to,
    projectId,
    types: ["activity.heartbeat", "file.created", "file.changed", "file.deleted", "file.renamed"],
  });
  for (const p of points) {
    // A bucket counts when it starts inside the period (rollups have bucket resolution).
    if (p.bucketStart < period.from || p.bucketStart >= period.to) continue;
    if (p.type === "activity.heartbeat") activeMs += p.durationMs;
    else fileEvents += p.count;
  }
  return { activeMs, fileEvents };
}

function commitFacts(
  history: readonly StoredCommit[],
  period: Period,
): { commits: MetricCommit[]; reworkLines: number } {
  const predicted = new Map(classifyCommits(history, period).map((r) => [r.hash, r]));
  const lastChange = new Map<string, number>();
  const commits: MetricCommit[] = [];
  let reworkLines = 0;
  for (const c of history) {
    const inPeriod = c.authoredAt >= period.from && c.authoredAt < period.to;
    if (inPeriod) {
      const row = predicted.get(c.hash)!;
      if (!c.isMerge) {
        for (const f of c.files) {
          const last = lastChange.get(f.path);
          if (last !== undefined && c.authoredAt - last <= REWORK_WINDOW_MS) {
            reworkLines += (f.insertions ?? 0) + (f.deletions ?? 0);
          }
        }
      }
      commits.push({
        authoredAt: c.authoredAt,
        isMerge: c.isMerge,
        authorEmail: c.authorEmail,
        insertions: c.insertions,
        deletions: c.deletions,
        files: c.files,
        category: row.conventionalCategory ?? row.category,
        revert: c.conventionalType === "revert" || (c.message !== null && REVERT.test(c.message)),
      });
    }
    for (const f of c.files) lastChange.set(f.path, c.authoredAt);
  }
  return { commits, reworkLines };
}

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The facts of one period of a project, read from storage. Commits come with the history before
 * them (classification needs to know which files are new; churn looks 21 days back).
 */
export function gatherMetricFacts(
  storage: MetricReads,
  projectId: string,
  period: Period,
  history?: readonly StoredCommit[],
): MetricFacts {
  const commits = history ?? storage.work.commitsWithFiles({ projectId, to: period.to });
  const { commits: periodCommits, reworkLines } = commitFacts(commits, period);
  const runs: MetricRun[] = [];
  const tests: MetricTestReport[] = [];
  const reviews: MetricFacts["reviews"][number][] = [];
  const mergedPrs: string[] = [];
  for (const e of storedEvents(storage.events, {
    projectId,
    types: [
      "build.finished",
      "test.run_finished",
      "integration.review_submitted",
      "integration.pr_merged",
    ],
    from: period.from,
    to: period.to,
  })) {
    const d = e.data as Record<string, unknown>;
    if (e.type === "build.finished") {
      runs.push({
        kind: d.kind === "test" ? "test" : "build",
        durationMs: num(d.durationMs) ?? e.duration ?? 0,
        success: typeof d.success === "boolean" ? d.success : null,
        runId: str(d.runId) ?? e.id,
      });
    } else if (e.type === "test.run_finished") {
      const coverage = (d.coverage ?? {}) as Record<string, unknown>;
      const report: MetricTestReport = { timestamp: e.timestamp };
      if (num(d.passed) !== undefined) report.passed = num(d.passed)!;
      if (num(d.failed) !== undefined) report.failed = num(d.failed)!;
      if (num(d.durationMs) !== undefined) report.durationMs = num(d.durationMs)!;
      if (num(coverage.lines) !== undefined) report.coverageLines = num(coverage.lines)!;
      if (str(d.runId)) report.runId = str(d.runId)!;
      tests.push(report);
    } else if (e.type === "integration.review_submitted") {
      reviews.push({ actor: str(d.actor) ?? null, externalId: str(d.externalId) ?? e.id });
    } else {
      mergedPrs.push(str(d.externalId) ?? e.id);
    }
  }
  return {
    commits: periodCommits,
    reworkLines,
    ...rollupTotals(storage, projectId, period),
    runs,
    tests,
    reviews,
    mergedPrs,
  };
}

/** A project's metrics over a period. */
export interface MetricsReport {
  projectId: string;
  period: Period;
  previous: Period;
  metrics: MetricValue[];
}

/**
 * Computes every metric for `period` and the period of the same length before it.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function metricsReport(
  storage: MetricReads,
  projectId: string,
  period: Period,
): MetricsReport {
  requireProject(storage.projects, projectId);
  const previous = previousPeriod(period);
  const history = storage.work.commitsWithFiles({ projectId, to: period.to });
  const metrics = computeMetrics(
    gatherMetricFacts(storage, projectId, period, history),
    gatherMetricFacts(
      storage,
      projectId,
      previous,
      history.filter((c) => c.authoredAt < previous.to),
    ),
  );
  return { projectId, period, previous, metrics };
}

/**
 * The samples that record a report's metrics (one per metric with a value, at the period's end,
 * tagged with the period, previous value, change and trend). Their ids are deterministic, so
 * storing a recomputation of the same period replaces its samples (`AnalysisJobs.recordMetrics`
 * in `@devflow/runtime` stores them).
 */
export function metricSamples(report: MetricsReport): MetricSampleInput[] {
  return report.metrics
    .filter((m) => m.value !== null)
    .map((m) => ({
      id: stableId("metric", report.projectId, m.name, report.period.from, report.period.to),
      projectId: report.projectId,
      name: m.name,
      value: m.value!,
      unit: m.unit,
      timestamp: report.period.to,
      tags: {
        group: m.group,
        from: report.period.from,
        to: report.period.to,
        previous: m.previous,
        change: m.change,
        changePercent: m.changePercent,
        trend: m.trend,
        assessment: m.assessment,
      },
    }));
}
