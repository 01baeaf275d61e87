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
import { type Cell, defineOperation, READ_ONLY, type Operation } from "../tool.js";
import {
  analysisPeriod,
  analysisWindow,
  PeriodOut,
  periodOut,
  ProjectArg,
  UntilArg,
} from "./shared.js";

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

/** A metric value for people: durations in min/h/d, percentages with one decimal. */
function metricCell(m: Record<string, unknown>, value: unknown): Cell {
  if (typeof value !== "number") return "–";
  if (m["unit"] === "ms") {
    if (value < 3_600_000) return `${Math.round(value / 60_000)} min`;
    if (value < 2 * 86_400_000) return `${(value / 3_600_000).toFixed(1)} h`;
    return `${(value / 86_400_000).toFixed(1)} d`;
  }
  if (m["unit"] === "%") return `${value.toFixed(1)} %`;
  return String(Math.round(value * 100) / 100);
}

function changeCell(m: Record<string, unknown>): Cell {
  const percent = m["changePercent"];
  const change = m["change"];
  if (typeof percent === "number") return `${percent > 0 ? "+" : ""}${percent.toFixed(1)} %`;
  if (typeof change === "number" && change !== 0) {
    return `${change > 0 ? "+" : ""}${String(metricCell(m, change))}`;
  }
  return "";
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
    until: UntilArg,
  },
  output: {
    ...MetricsOut,
    stored: z
      .number()
      .int()
      .nullable()
      .describe("Samples of every group stored as history; null when this server stores none"),
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const r = metricsReport(ctx.storage, project.id, analysisWindow(ctx, args, "7d").period);
    return {
      projectId: project.id,
      period: periodOut(r.period),
      previous: periodOut(r.previous),
      metrics: r.metrics.filter((m) => args.group === undefined || m.group === args.group),
      stored: ctx.analysis === undefined ? null : ctx.analysis.recordMetrics(r),
    };
  },
  render: renderMetrics,
  cli: {
    command: ["analyze", "metrics"],
    summary: "productivity, quality, performance and collaboration against the previous period",
  },
  table: {
    rows: "metrics",
    caption: (r) => {
      const p = r["period"] as { from: string; to: string };
      const q = r["previous"] as { from: string; to: string };
      return `metrics ${p.from} – ${p.to}, against ${q.from} – ${q.to}`;
    },
    columns: [
      { header: "metric", value: (m) => m["name"] as string },
      { header: "value", value: (m) => metricCell(m, m["value"]) },
      { header: "previous", value: (m) => metricCell(m, m["previous"]) },
      { header: "change", value: changeCell },
      {
        header: "trend",
        value: (m) => {
          const trend = typeof m["trend"] === "string" ? m["trend"] : "";
          const assessment = typeof m["assessment"] === "string" ? m["assessment"] : "";
          return trend === "" ? "" : `${trend}${assessment ? ` (${assessment})` : ""}`;
        },
      },
    ],
  },
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

const Finding = z.object({
  kind: z.string(),
  subject: z.string(),
  type: z.string(),
  severity: z.enum(["warning", "error"]),
  impact: z.string(),
  value: z.number(),
  threshold: z.number(),
  suggestion: z.string(),
  evidence: z.array(z.string()),
});

const detectBottlenecksTool = defineOperation({
  name: "detect_bottlenecks",
  title: "Bottlenecks",
  description:
    "What slows the project down now: slow or slowing builds and tests, failing test streaks, CPU/memory saturation, a stage stuck past its usual duration, files with rising churn, long-idle branches. Each finding has severity, impact, the measured value and threshold, evidence and a concrete suggestion.",
  toolset: "metrics",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    until: z
      .string()
      .max(64)
      .optional()
      .describe(
        "When to check: an ISO date or date-time (UTC), epoch ms, now/today/yesterday, or an age like 2d; default now.",
      ),
  },
  output: {
    projectId: z.string(),
    at: z.string(),
    findings: z.array(Finding),
    opened: z
      .array(z.object({ kind: z.string(), subject: z.string() }))
      .nullable()
      .describe("Findings not open at the last check; null when this server records none"),
    resolved: z
      .array(z.object({ kind: z.string(), subject: z.string(), openedAt: z.string() }))
      .nullable()
      .describe("Findings open at the last check and gone now; null when this server records none"),
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const at = analysisWindow(ctx, args, "7d").until;
    if (ctx.analysis === undefined) {
      const findings = detectBottlenecks(gatherBottleneckInput(ctx.storage, project.id, at));
      return {
        projectId: project.id,
        at: new Date(at).toISOString(),
        findings,
        opened: null,
        resolved: null,
      };
    }
    // The stuck-stage finding needs the stage analysis current.
    await ctx.analysis.refreshStages(project.id, at);
    const u = await ctx.analysis.refreshBottlenecks(project.id, at);
    return {
      projectId: project.id,
      at: new Date(at).toISOString(),
      findings: u.findings,
      opened: u.opened.map((f) => ({ kind: f.kind, subject: f.subject })),
      resolved: u.resolved.map((f) => ({
        kind: f.kind,
        subject: f.subject,
        openedAt: new Date(f.openedAt).toISOString(),
      })),
    };
  },
  render: (r) =>
    [
      ...(r.findings.length === 0 ? ["no bottlenecks found"] : []),
      ...r.findings.flatMap((f) => [
        `${f.severity.toUpperCase()} ${f.kind} (${f.type}): ${f.subject}`,
        `  impact: ${f.impact}`,
        ...f.evidence.map((e) => `  evidence: ${e}`),
        `  suggestion: ${f.suggestion}`,
      ]),
      ...(r.opened === null || r.resolved === null
        ? []
        : [
            `${r.opened.length} newly opened, ${r.resolved.length} resolved since the last check.`,
            ...r.resolved.map((f) => `  resolved: ${f.kind} ${f.subject}`),
          ]),
    ].join("\n"),
  cli: {
    command: ["analyze", "bottlenecks"],
    summary:
      "slow or failing builds and tests, saturation, stuck stages, rising churn, idle branches",
  },
});

/** The `metrics` toolset. */
export const metricsTools: readonly Operation[] = [
  getMetrics,
  getMetricSeries,
  analyzeProductivity,
  detectBottlenecksTool,
];
