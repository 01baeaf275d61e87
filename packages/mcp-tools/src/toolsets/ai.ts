/** The `ai` toolset: assistant usage and cost, and how much of the code the assistants wrote. */
import { collaborationReport, loadUsage, USAGE_GROUPINGS, usageReport } from "@devflow/analyzers";
import { existsSync } from "node:fs";
import { join, parse } from "node:path";
import { DevflowError } from "@devflow/events";
import { attributeCommits, gitLineReader, PRICE_TABLE_SOURCE } from "@devflow/monitors";
import { z } from "zod";
import { allowedProjects, projectFor } from "../context.js";
import { defineOperation, READ_ONLY, type Operation } from "../tool.js";
import { ProjectArg } from "./shared.js";

const Totals = {
  requests: z.number().int(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheWriteTokens: z.number(),
  cacheReadTokens: z.number(),
  reasoningTokens: z.number(),
  totalTokens: z.number(),
  costUsd: z.number(),
  unpricedRequests: z.number().int(),
  placeholderInputs: z.number().int(),
};

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe("YYYY-MM-DD in the time zone");

const getAiUsage = defineOperation({
  name: "get_ai_usage",
  title: "AI usage and cost",
  description: `Tokens (input, output, cache write, cache read, reasoning) and estimated cost in USD of AI assistants (Claude Code, Codex, Gemini, Aider), grouped by ${USAGE_GROUPINGS.join(", ")} (block = Claude's 5-hour windows with burn rate). Costs are list-price estimates; Claude Code's logs undercount input. Only sessions of the given project, else of every project this server may read.`,
  toolset: "ai",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: {
    by: z.enum(USAGE_GROUPINGS).optional().describe("Default day"),
    since: Day.optional(),
    until: Day.optional(),
    timezone: z.string().max(64).optional().describe("IANA zone, default UTC"),
    project: ProjectArg,
  },
  output: {
    by: z.string(),
    timezone: z.string(),
    rows: z.array(
      z.object({
        key: z.string(),
        firstAt: z.string(),
        lastAt: z.string(),
        ...Totals,
        models: z.array(z.object({ model: z.string(), ...Totals }).passthrough()),
        tool: z.string().optional(),
        projectId: z.string().optional(),
        weekStart: z.string().optional(),
        block: z
          .object({
            start: z.string(),
            end: z.string(),
            isActive: z.boolean(),
            burnRate: z.object({ tokensPerMinute: z.number(), costPerHour: z.number() }).nullable(),
          })
          .optional(),
      }),
    ),
    totals: z.object(Totals),
    cost: z.object({
      estimate: z.literal(true),
      source: z.string(),
      sources: z.record(z.string(), z.number()),
    }),
  },
  run: (args, ctx) => {
    const project = args.project === undefined ? undefined : projectFor(ctx, args.project);
    const names = new Map(allowedProjects(ctx).map((p) => [p.id, p.name]));
    // Only usage of projects this server may read (sessions outside every project too when
    // its roots cover the whole file system, as on the command line).
    const everything = ctx.roots.contains(parse(ctx.home).root);
    const entries = loadUsage(ctx.storage, project ? { projectId: project.id } : {}).filter((e) =>
      e.projectId === undefined ? everything : names.has(e.projectId),
    );
    const r = usageReport(entries, {
      by: args.by ?? "day",
      timezone: args.timezone ?? "UTC",
      now: ctx.clock().getTime(),
      projectNames: names,
      ...(args.since ? { since: args.since } : {}),
      ...(args.until ? { until: args.until } : {}),
    });
    return {
      by: r.by,
      timezone: r.timezone,
      rows: r.rows.map((row) => ({
        key: row.key,
        firstAt: new Date(row.firstAt).toISOString(),
        lastAt: new Date(row.lastAt).toISOString(),
        requests: row.requests,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        cacheWriteTokens: row.cacheWriteTokens,
        cacheReadTokens: row.cacheReadTokens,
        reasoningTokens: row.reasoningTokens,
        totalTokens: row.totalTokens,
        costUsd: row.costUsd,
        unpricedRequests: row.unpricedRequests,
        placeholderInputs: row.placeholderInputs,
        models: row.models.map((m) => ({ ...m })),
        ...(row.tool === undefined ? {} : { tool: row.tool }),
        ...(row.projectId === undefined ? {} : { projectId: row.projectId }),
        ...(row.weekStart === undefined ? {} : { weekStart: row.weekStart }),
        ...(row.block === undefined
          ? {}
          : {
              block: {
                start: new Date(row.block.start).toISOString(),
                end: new Date(row.block.end).toISOString(),
                isActive: row.block.isActive,
                burnRate: row.block.burnRate,
              },
            }),
      })),
      totals: { ...r.totals },
      cost: { estimate: true as const, source: PRICE_TABLE_SOURCE, sources: r.cost.sources },
    };
  },
  render: (r) =>
    r.rows.length === 0
      ? "no AI usage recorded (is the AI monitor running? see `devflow ai sources`)"
      : [
          ...r.rows.map(
            (row) =>
              `${row.key}: ${row.totalTokens} tokens, ~$${row.costUsd.toFixed(2)} (${row.requests} requests)`,
          ),
          `total: ${r.totals.totalTokens} tokens, ~$${r.totals.costUsd.toFixed(2)} (estimate, ${r.cost.source})`,
        ].join("\n"),
});

const Fate = z.object({
  measured: z.number().int(),
  survived: z.number().int(),
  reworked: z.number().int(),
  reverted: z.number().int(),
  pending: z.number().int(),
  survivalRate: z.number().nullable(),
});

const analyzeAiCollaboration = defineOperation({
  name: "analyze_ai_collaboration",
  title: "AI collaboration",
  description:
    "How much of a project's code AI assistants wrote and how it held up: the share of commits with AI evidence (trailers, co-authors, agent branches, notes, or lines matching assistant edits) by confidence and tool, the share of added lines that came from assistant edits, survival of AI-written lines after 7 and 30 days (survived, reworked, reverted) against human-written lines in the same files, and AI sessions per development stage. Reads the git history; can take a few seconds.",
  toolset: "ai",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg },
  output: {
    projectId: z.string(),
    commits: z.object({
      total: z.number().int(),
      aiAssisted: z.number().int(),
      share: z.number().nullable(),
      byConfidence: z.object({
        high: z.number().int(),
        medium: z.number().int(),
        low: z.number().int(),
      }),
      byTool: z.record(z.string(), z.number().int()),
    }),
    lines: z.object({
      added: z.number().int(),
      aiAdded: z.number().int(),
      share: z.number().nullable(),
    }),
    survival: z.array(z.object({ horizonDays: z.number().int(), ai: Fate, human: Fate })),
    sessionsByStage: z.record(z.string(), z.number().int()),
    attributed: z.array(
      z.object({
        hash: z.string(),
        committedAt: z.string(),
        confidence: z.string().nullable(),
        tools: z.array(z.string()),
        linesAdded: z.number().int(),
        aiLinesAdded: z.number().int(),
      }),
    ),
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    if (!existsSync(join(project.rootPath, ".git"))) {
      throw new DevflowError(
        "TOOLS_NOT_A_REPOSITORY",
        `${project.name} is not a git repository; AI collaboration is measured on git history.`,
      );
    }
    await attributeCommits({ storage: ctx.storage, project });
    const r = await collaborationReport({
      storage: ctx.storage,
      project,
      git: gitLineReader(project.rootPath),
      asOf: ctx.clock().getTime(),
    });
    return {
      projectId: project.id,
      commits: r.commits,
      lines: r.lines,
      survival: r.survival,
      sessionsByStage: r.sessionsByStage,
      attributed: r.attributed
        .slice(0, 50)
        .map((a) => ({ ...a, committedAt: new Date(a.committedAt).toISOString() })),
    };
  },
  render: (r) => {
    const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)} %`);
    return [
      `AI-assisted commits: ${r.commits.aiAssisted}/${r.commits.total} (${pct(r.commits.share)})`,
      `AI line share: ${r.lines.aiAdded}/${r.lines.added} (${pct(r.lines.share)})`,
      ...r.survival.map(
        (s) =>
          `after ${s.horizonDays} d: AI ${pct(s.ai.survivalRate)} survive vs human ${pct(s.human.survivalRate)}`,
      ),
    ].join("\n");
  },
});

/** The `ai` toolset. */
export const aiTools: readonly Operation[] = [getAiUsage, analyzeAiCollaboration];
