/** The `stage` toolset: the development stage, its history, methodology and change classes. */
import { commitsReport, methodologyReport, stageReport } from "@devflow/analyzers";
import { z } from "zod";
import { projectFor } from "../context.js";
import { pageOf, PageInput, PageOutput } from "../pagination.js";
import { PeriodSchema } from "../time-range.js";
import { renderMethodology, renderStage } from "./stage-render.js";
import { column, defineOperation, READ_ONLY, type Operation } from "../tool.js";
import {
  analysisPeriod,
  analysisWindow,
  iso,
  PeriodOut,
  periodOut,
  ProjectArg,
  UntilArg,
} from "./shared.js";

const Transition = z.object({
  at: z.string(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  subStage: z.string().nullable(),
  confidence: z.number(),
});

/** The events behind a stored transition (subject and rules), at most 20. */
const TransitionEvidence = z.array(z.object({ subject: z.string(), rules: z.array(z.string()) }));

function transitionEvidence(evidence: unknown): z.infer<typeof TransitionEvidence> {
  const events = (evidence as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return [];
  return events.slice(0, 20).flatMap((e: unknown) => {
    const { subject, rules } = (e ?? {}) as { subject?: unknown; rules?: unknown };
    return typeof subject === "string" && Array.isArray(rules)
      ? [{ subject, rules: rules.filter((r): r is string => typeof r === "string") }]
      : [];
  });
}

const StageTimeRow = z.object({
  key: z.string(),
  minutes: z.number(),
  share: z.number(),
  activeMinutes: z.number(),
});
const minutes = (ms: number) => Math.round(ms / 600) / 100;

const analyzeStage = defineOperation({
  name: "analyze_stage",
  title: "Development stage",
  description:
    "Which of the 13 development stages (prd, planning, erd, design, frontend, backend, coding, testing, review, deployment, operation, …) the project is in now, with confidence (0-1), the competing stages' shares, the evidence (events and rules), the transitions in the period and the time spent per stage (minutes). Brings the analysis up to date first.",
  toolset: "stage",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, period: PeriodSchema.optional(), until: UntilArg },
  output: {
    projectId: z.string(),
    projectName: z.string(),
    period: PeriodOut,
    current: z.object({
      stage: z.string().nullable(),
      subStage: z.string().nullable(),
      since: z.string().nullable(),
      confidence: z.number(),
      scores: z.array(z.object({ stage: z.string(), share: z.number(), support: z.number() })),
      evidence: z.array(
        z.object({
          eventId: z.string(),
          type: z.string(),
          timestamp: z.string(),
          subject: z.string(),
          rules: z.array(z.string()),
        }),
      ),
    }),
    transitions: z.array(Transition.extend({ evidence: TransitionEvidence })),
    timeInStage: z.array(StageTimeRow),
    timeInSubStage: z.array(StageTimeRow),
    analysedEvents: z.number().int(),
    newTransitions: z.number().int(),
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { period, until } = analysisWindow(ctx, args, "7d");
    const update = (await ctx.analysis?.refreshStages(project.id, until)) ?? {
      processed: 0,
      stored: 0,
    };
    const r = stageReport(ctx.storage, project.id, period);
    const time = (rows: typeof r.timeInStage) =>
      rows.map((t) => ({
        key: t.key,
        minutes: minutes(t.ms),
        share: t.share,
        activeMinutes: minutes(t.activeMs),
      }));
    return {
      projectId: project.id,
      projectName: project.name,
      period: periodOut(period),
      current: {
        stage: r.current.stage,
        subStage: r.current.subStage,
        since: iso(r.current.since),
        confidence: r.current.confidence,
        scores: r.current.scores.map((s) => ({
          stage: s.stage,
          share: s.share,
          support: s.support,
        })),
        evidence: r.current.evidence.slice(0, 20).map((e) => ({
          eventId: e.eventId,
          type: e.type,
          timestamp: new Date(e.timestamp).toISOString(),
          subject: e.subject,
          rules: e.rules,
        })),
      },
      transitions: r.transitions.map((t) => ({
        at: new Date(t.timestamp).toISOString(),
        fromStage: t.fromStage,
        toStage: t.toStage,
        subStage: t.subStage,
        confidence: t.confidence,
        evidence: transitionEvidence(t.evidence),
      })),
      timeInStage: time(r.timeInStage),
      timeInSubStage: time(r.timeInSubStage),
      analysedEvents: update.processed,
      newTransitions: update.stored,
    };
  },
  render: renderStage,
  cli: {
    command: ["analyze", "stage"],
    summary: "the development stage now, its transitions and the time spent per stage",
    text: "render",
  },
});

const getStageHistory = defineOperation({
  name: "get_stage_history",
  title: "Stage history",
  description:
    "The stored stage transitions of a project in a period, oldest first, each with confidence (0-1). Paginated. Run analyze_stage to bring them up to date.",
  toolset: "stage",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, period: PeriodSchema.optional(), ...PageInput },
  output: { transitions: z.array(Transition), ...PageOutput },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const period = analysisPeriod(ctx, args.period, "30d");
    const all = ctx.storage.work
      .transitions({ projectId: project.id, from: period.from, to: period.to })
      .map((t) => ({
        at: new Date(t.timestamp).toISOString(),
        fromStage: t.fromStage,
        toStage: t.toStage,
        subStage: t.subStage,
        confidence: t.confidence,
      }));
    const page = pageOf(all, args);
    return { transitions: page.items, nextCursor: page.nextCursor };
  },
  render: (r) =>
    r.transitions.length === 0
      ? "no transitions in that period"
      : r.transitions
          .map(
            (t) =>
              `${t.at} ${t.fromStage ?? "∅"} → ${t.toStage}${t.subStage ? `/${t.subStage}` : ""} (${t.confidence.toFixed(2)})`,
          )
          .join("\n"),
});

const checkMethodology = defineOperation({
  name: "check_methodology",
  title: "Methodology check",
  description:
    "How much the work follows DDD, TDD (tests changed before or with their implementation), BDD and EDA: a 0-100 score and level per methodology with the facts and evidence, plus file events and commits per activity category.",
  toolset: "stage",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, period: PeriodSchema.optional(), until: UntilArg },
  output: {
    projectId: z.string(),
    period: PeriodOut,
    fileEvents: z.number().int(),
    commits: z.number().int(),
    scores: z.array(
      z.object({
        methodology: z.string(),
        score: z.number(),
        level: z.string(),
        summary: z.string(),
        facts: z.record(z.string(), z.number()),
        evidence: z.array(z.string()),
      }),
    ),
    activity: z.record(
      z.string(),
      z.object({ fileEvents: z.number().int(), commits: z.number().int() }),
    ),
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { period } = analysisWindow(ctx, args, "30d");
    const r = methodologyReport(ctx.storage, project.id, period);
    return {
      projectId: project.id,
      period: periodOut(period),
      fileEvents: r.fileEvents,
      commits: r.commits,
      scores: r.scores,
      activity: r.activity,
    };
  },
  render: renderMethodology,
  cli: {
    command: ["analyze", "methodology"],
    summary: "how much the work follows DDD, TDD, BDD and EDA, with evidence",
  },
});

interface Agreement {
  total: number;
  correct: number;
  accuracy: number;
}

function agreementLine(a: Agreement): string {
  return a.total > 0
    ? `agreement with conventional types: ${(100 * a.accuracy).toFixed(1)} % of ${a.total} commits (the prediction never reads the message)`
    : "no commits with a conventional type to compare with";
}

const classifyChanges = defineOperation({
  name: "classify_changes",
  title: "Classify changes",
  description:
    "Each commit's activity category (feature, fix, test, docs, refactor, build/ci, release, design, planning, config) predicted from its paths and line counts without reading the message, with confidence and reasons, next to the conventional-commit type of its message; plus how often they agree. Paginated, newest first.",
  toolset: "stage",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, period: PeriodSchema.optional(), until: UntilArg, ...PageInput },
  output: {
    projectId: z.string(),
    period: PeriodOut,
    total: z.number().int(),
    commits: z.array(
      z.object({
        hash: z.string(),
        authoredAt: z.string(),
        isMerge: z.boolean(),
        category: z.string(),
        confidence: z.number(),
        reasons: z.array(z.string()),
        conventionalType: z.string().nullable(),
        agrees: z.boolean().nullable(),
      }),
    ),
    agreement: z.object({
      total: z.number().int(),
      correct: z.number().int(),
      accuracy: z.number(),
    }),
    ...PageOutput,
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { period } = analysisWindow(ctx, args, "30d");
    const r = commitsReport(ctx.storage, project.id, period);
    const rows = [...r.commits].reverse().map((c) => ({
      hash: c.hash,
      authoredAt: new Date(c.authoredAt).toISOString(),
      isMerge: c.isMerge,
      category: c.category,
      confidence: c.confidence,
      reasons: c.reasons,
      conventionalType: c.conventionalType,
      agrees: c.agrees,
    }));
    const page = pageOf(rows, args);
    return {
      projectId: project.id,
      period: periodOut(period),
      total: rows.length,
      commits: page.items,
      agreement: {
        total: r.agreement.total,
        correct: r.agreement.correct,
        accuracy: r.agreement.accuracy,
      },
      nextCursor: page.nextCursor,
    };
  },
  render: (r) =>
    [
      ...r.commits.map(
        (c) =>
          `${c.hash.slice(0, 8)} ${c.category} (${c.confidence.toFixed(2)})${c.conventionalType ? ` msg:${c.conventionalType}` : ""}`,
      ),
      agreementLine(r.agreement),
    ].join("\n"),
  cli: {
    command: ["analyze", "commits"],
    summary: "each commit's activity category from its paths and line counts, against its message",
  },
  table: {
    rows: "commits",
    caption: (r) =>
      `${String(r["total"])} commits, ${(r["period"] as { from: string }).from} – ${(r["period"] as { to: string }).to}; ${agreementLine(r["agreement"] as Agreement)}`,
    columns: [
      column("commit", "hash"),
      { header: "date", value: (c) => String(c["authoredAt"]).slice(0, 10) },
      {
        header: "category",
        value: (c) =>
          c["isMerge"] === true && c["confidence"] === 0 ? "(merge)" : (c["category"] as string),
      },
      { header: "confidence", value: (c) => (c["confidence"] as number).toFixed(2) },
      column("conventional", "conventionalType"),
    ],
  },
});

/** The `stage` toolset. */
export const stageTools: readonly Operation[] = [
  analyzeStage,
  getStageHistory,
  checkMethodology,
  classifyChanges,
];
