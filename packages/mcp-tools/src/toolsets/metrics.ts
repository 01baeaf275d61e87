/** The `metrics` toolset: period-over-period metrics, time series from rollups, bottlenecks. */
import {
  detectBottlenecks,
  gatherBottleneckInput,
  METRIC_GROUPS,
  metricsReport,
} from "@devflow/analyzers";
import { z } from "zod";
import { projectFor } from "../context.js";
import { parsePeriod, PeriodSchema } from "../time-range.js";
import { defineOperation, READ_ONLY, type Operation } from "../tool.js";
import { analysisPeriod, PeriodOut, periodOut, ProjectArg } from "./shared.js";

const Metric = z.object({
  name: z.string(),
  group: z.string(),
  unit: z.string(),
  better: z.enum(["higher", "lower"]).nullable(),
  value: z.number().nullable(),
  previous: z.number().nullable(),
  change: z.number().nullable(),
  changePercent: z.number().nullable(),
  trend: z.enum(["up", "down", "flat"]).nullable(),
  assessment: z.enum(["better", "worse", "same"]).nullable(),
});

const MetricsOut = {
  projectId: z.string(),
  period: PeriodOut,
  previous: PeriodOut,
  metrics: z.array(Metric),
};

function renderMetrics(r: { metrics: z.infer<typeof Metric>[] }): string {
  return r.metrics
    .map(
      (m) =>
        `${m.name}: ${m.value ?? "n/a"} ${m.unit}${m.previous === null ? "" : ` (prev ${m.previous}${m.trend ? `, ${m.trend}` : ""}${m.assessment ? `, ${m.assessment}` : ""})`}`,
    )
    .join("\n");
}

const getMetrics = defineOperation({
  name: "get_metrics",
  title: "Metrics",
  description: `Productivity, quality, performance and collaboration metrics of a project for a period, each with the previous period's value, the change, the trend (up/down/flat) and whether that is better or worse. Groups: ${METRIC_GROUPS.join(", ")}. Units are in each row.`,
  toolset: "metrics",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    period: PeriodSchema.optional(),
    group: z.enum(METRIC_GROUPS).optional().describe("Only this group"),
  },
  output: MetricsOut,
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const r = metricsReport(ctx.storage, project.id, analysisPeriod(ctx, args.period, "7d"));
    return {
      projectId: project.id,
      period: periodOut(r.period),
      previous: periodOut(r.previous),
      metrics: r.metrics.filter((m) => args.group === undefined || m.group === args.group),
    };
  },
  render: renderMetrics,
});

const analyzeProductivity = defineOperation({
  name: "analyze_productivity",
  title: "Productivity",
  description:
    "The productivity metrics of a project (commits, changed lines, active time, throughput…) for a period against the previous one, with trends. A focused view of get_metrics.",
  toolset: "metrics",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, period: PeriodSchema.optional() },
  output: MetricsOut,
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const r = metricsReport(ctx.storage, project.id, analysisPeriod(ctx, args.period, "7d"));
    return {
      projectId: project.id,
      period: periodOut(r.period),
      previous: periodOut(r.previous),
      metrics: r.metrics.filter((m) => m.group === "productivity"),
    };
  },
  render: renderMetrics,
});

/** Series computed from the rollups: event types and whether the value is a count or a duration. */
const SERIES: Record<string, { types: string[]; value: "count" | "minutes" }> = {
  events: { types: [], value: "count" },
  commits: { types: ["git.commit"], value: "count" },
  file_changes: {
    types: ["file.created", "file.changed", "file.deleted", "file.renamed"],
    value: "count",
  },
  active_minutes: { types: ["activity.heartbeat"], value: "minutes" },
  test_runs: { types: ["test.run_finished"], value: "count" },
  test_minutes: { types: ["test.run_finished"], value: "minutes" },
  builds: { types: ["build.finished"], value: "count" },
  build_minutes: { types: ["build.finished"], value: "minutes" },
  ai_requests: { types: ["ai.usage"], value: "count" },
};

const getMetricSeries = defineOperation({
  name: "get_metric_series",
  title: "Metric time series",
  description: `A time series for charts and trend questions, per hour or day (UTC), from DevFlow's rollups: ${Object.keys(SERIES).join(", ")}. Counts are events; *_minutes are summed durations in minutes. Buckets without activity are 0.`,
  toolset: "metrics",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    metric: z.enum(Object.keys(SERIES) as [string, ...string[]]),
    bucket: z.enum(["hour", "day"]).optional().describe("Default day"),
    period: PeriodSchema.optional(),
  },
  output: {
    metric: z.string(),
    bucket: z.enum(["hour", "day"]),
    unit: z.enum(["count", "minutes"]),
    points: z.array(z.object({ at: z.string(), value: z.number() })),
    total: z.number(),
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const spec = SERIES[args.metric]!;
    const bucket = args.bucket ?? "day";
    const size = bucket === "hour" ? 3_600_000 : 86_400_000;
    const range = parsePeriod(args.period, ctx.clock(), bucket === "hour" ? "24h" : "30d");
    const from = Math.floor(range.from / size) * size;
    const buckets = Math.min(2000, Math.ceil((range.to - from) / size));
    const values = new Array<number>(buckets).fill(0);
    for (const p of ctx.storage.rollups.series({
      bucket: bucket === "hour" ? "1h" : "1d",
      from,
      to: range.to,
      projectId: project.id,
      ...(spec.types.length > 0 ? { types: spec.types } : {}),
    })) {
      const i = Math.floor((p.bucketStart - from) / size);
      if (i >= 0 && i < buckets)
        values[i]! += spec.value === "count" ? p.count : p.durationMs / 60_000;
    }
    const points = values.map((v, i) => ({
      at: new Date(from + i * size).toISOString(),
      value: Math.round(v * 100) / 100,
    }));
    return {
      metric: args.metric,
      bucket,
      unit: spec.value,
      points,
      total: Math.round(points.reduce((a, p) => a + p.value, 0) * 100) / 100,
    };
  },
  render: (r) =>
    `${r.metric} per ${r.bucket}: total ${r.total} ${r.unit}; ${r.points.filter((p) => p.value > 0).length} of ${r.points.length} buckets active`,
});

const detectBottlenecksTool = defineOperation({
  name: "detect_bottlenecks",
  title: "Bottlenecks",
  description:
    "What slows the project down now: slow or slowing builds and tests, failing test streaks, CPU/memory saturation, a stage stuck past its usual duration, files with rising churn, long-idle branches. Each finding has severity, impact, the measured value and threshold, evidence and a concrete suggestion.",
  toolset: "metrics",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg },
  output: {
    projectId: z.string(),
    at: z.string(),
    findings: z.array(
      z.object({
        kind: z.string(),
        subject: z.string(),
        type: z.string(),
        severity: z.enum(["warning", "error"]),
        impact: z.string(),
        value: z.number(),
        threshold: z.number(),
        suggestion: z.string(),
        evidence: z.array(z.string()),
      }),
    ),
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const at = ctx.clock().getTime();
    const findings = detectBottlenecks(gatherBottleneckInput(ctx.storage, project.id, at));
    return { projectId: project.id, at: new Date(at).toISOString(), findings };
  },
  render: (r) =>
    r.findings.length === 0
      ? "no bottlenecks found"
      : r.findings
          .map((f) => `[${f.severity}] ${f.kind} ${f.subject}: ${f.impact} — ${f.suggestion}`)
          .join("\n"),
});

/** The `metrics` toolset. */
export const metricsTools: readonly Operation[] = [
  getMetrics,
  getMetricSeries,
  analyzeProductivity,
  detectBottlenecksTool,
];
