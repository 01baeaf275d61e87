/** The `git` toolset: hotspots, coupling, churn, ownership and age (see also git-commits.ts). */
import {
  absoluteChurn,
  authorChurn,
  buildAggregates,
  codeAge,
  coupling,
  entityChurn,
  hotspots,
  mainDeveloper,
} from "@devflow/analyzers";
import { countLinesOfCode, trackedFiles } from "@devflow/monitors";
import { z } from "zod";
import { projectFor } from "../context.js";
import { pagedRows, PageInput, PageOutput } from "../pagination.js";
import { column, defineOperation, READ_ONLY, type Operation } from "../tool.js";
import { GitScopeInput, gitScope, NowInput, ThresholdInput, thresholdsOf } from "./git-scope.js";
import { ProjectArg } from "./shared.js";

const Trend = z.object({
  months: z.array(
    z.object({
      month: z.string(),
      added: z.number().int(),
      deleted: z.number().int(),
      revisions: z.number().int(),
    }),
  ),
  slope: z.number(),
  direction: z.enum(["rising", "falling", "flat"]),
});

const analyzeHotspots = defineOperation({
  name: "analyze_hotspots",
  title: "Hotspots",
  description:
    "Files that change often AND are large (revisions × current lines of code, counted in the working tree), ranked, each with its churn trend over recent months (rising/falling/flat). Hotspots are where refactoring pays most and where defects concentrate. Paginated.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    ...NowInput,
    trendMonths: z.number().int().min(1).max(36).optional(),
    ...PageInput,
  },
  output: {
    total: z.number().int(),
    rows: z.array(
      z.object({
        rank: z.number().int(),
        entity: z.string(),
        revisions: z.number().int(),
        loc: z.number().int(),
        score: z.number(),
        added: z.number().int(),
        deleted: z.number().int(),
        trend: Trend,
      }),
    ),
    ...PageOutput,
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope, now } = gitScope(ctx, project, args);
    const agg = buildAggregates(ctx.storage.commits, scope);
    const paths = (await trackedFiles(project.rootPath)).filter((p) => {
      const entity = agg.scope.mapper(p);
      return entity !== null && agg.dict.entities.find(entity) !== undefined;
    });
    const loc = await countLinesOfCode(project.rootPath, paths);
    const rows = hotspots(agg, {
      loc,
      now,
      ...(args.trendMonths === undefined ? {} : { trendMonths: args.trendMonths }),
    });
    return pagedRows(rows, args);
  },
  render: (r) =>
    r.rows.length === 0
      ? "no hotspots"
      : r.rows
          .map(
            (h) =>
              `${h.rank}. ${h.entity}: ${h.revisions} revisions × ${h.loc} lines (churn ${h.trend.direction})`,
          )
          .join("\n"),
  cli: { command: ["analyze", "hotspots"], files: ["group"] },
  table: {
    rows: "rows",
    columns: [
      column("rank", "rank"),
      column("entity", "entity"),
      column("n-revs", "revisions"),
      column("loc", "loc"),
      column("score", "score"),
      column("added", "added"),
      column("deleted", "deleted"),
      { header: "trend", value: (r) => (r["trend"] as { direction: string }).direction },
      { header: "slope", value: (r) => (r["trend"] as { slope: number }).slope },
    ],
  },
});

const analyzeChangeCoupling = defineOperation({
  name: "analyze_change_coupling",
  title: "Change coupling",
  description:
    "Pairs of files that change together (code-maat coupling): degree = shared revisions ÷ mean revisions of the pair, in percent, with shared and mean revisions. High coupling between unrelated modules signals hidden dependencies. Thresholds default to code-maat's (min-revs 5, min-shared-revs 5, min-coupling 30 %, changesets over 30 files skipped). Paginated, strongest first.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, ...GitScopeInput, ...ThresholdInput, ...PageInput },
  output: {
    total: z.number().int(),
    rows: z.array(
      z.object({
        entity: z.string(),
        coupled: z.string(),
        degree: z.number(),
        averageRevs: z.number(),
        sharedRevs: z.number().int(),
        entityRevs: z.number().int(),
        coupledRevs: z.number().int(),
      }),
    ),
    ...PageOutput,
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope } = gitScope(ctx, project, args);
    const rows = coupling(ctx.storage.commits, scope, thresholdsOf(args));
    return pagedRows(rows, args);
  },
  render: (r) =>
    r.rows.length === 0
      ? "no coupled pairs above the thresholds"
      : r.rows
          .map((c) => `${c.entity} ↔ ${c.coupled}: ${c.degree} % (${c.sharedRevs} shared)`)
          .join("\n"),
  cli: { command: ["analyze", "coupling"], files: ["group"] },
  table: {
    rows: "rows",
    columns: [
      column("entity", "entity"),
      column("coupled", "coupled"),
      column("degree", "degree"),
      column("average-revs", "averageRevs"),
    ],
  },
});

const analyzeChurn = defineOperation({
  name: "analyze_churn",
  title: "Churn",
  description:
    "Lines added and deleted and commits, per file (by: entity, default), per author (by: author) or per day (by: absolute), from the stored history. Paginated, most churn first (by day: oldest first).",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    by: z.enum(["entity", "author", "absolute"]).optional(),
    ...PageInput,
  },
  output: {
    by: z.string(),
    total: z.number().int(),
    rows: z.array(
      z.object({
        key: z.string().describe("file, author or date"),
        added: z.number().int(),
        deleted: z.number().int(),
        commits: z.number().int(),
      }),
    ),
    ...PageOutput,
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope } = gitScope(ctx, project, args);
    const agg = buildAggregates(ctx.storage.commits, scope);
    const by = args.by ?? "entity";
    const rows =
      by === "author"
        ? authorChurn(agg).map((r) => ({
            key: r.author,
            added: r.added,
            deleted: r.deleted,
            commits: r.commits,
          }))
        : by === "absolute"
          ? absoluteChurn(agg).map((r) => ({
              key: r.date,
              added: r.added,
              deleted: r.deleted,
              commits: r.commits,
            }))
          : entityChurn(agg).map((r) => ({
              key: r.entity,
              added: r.added,
              deleted: r.deleted,
              commits: r.commits,
            }));
    return { by, ...pagedRows(rows, args) };
  },
  render: (r) =>
    r.rows.map((c) => `${c.key}: +${c.added} −${c.deleted} (${c.commits} commits)`).join("\n") ||
    "no churn",
  cli: { command: ["analyze", "churn"], files: ["group"] },
  table: {
    rows: "rows",
    columns: (r) => [
      column(r["by"] === "author" ? "author" : r["by"] === "absolute" ? "date" : "entity", "key"),
      column("added", "added"),
      column("deleted", "deleted"),
      column("commits", "commits"),
    ],
  },
});

const analyzeOwnership = defineOperation({
  name: "analyze_ownership",
  title: "Ownership",
  description:
    "The main developer of each file (code-maat main-dev: the author with most lines added, or by removed lines or revisions) with their share of the file (0-1) — knowledge concentration and who to ask. Paginated.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    by: z.enum(["added", "removed", "revisions"]).optional(),
    ...PageInput,
  },
  output: {
    by: z.enum(["added", "removed", "revisions"]),
    total: z.number().int(),
    rows: z.array(
      z.object({
        entity: z.string(),
        mainDev: z.string(),
        contribution: z.number(),
        total: z.number(),
        ownership: z.number(),
      }),
    ),
    ...PageOutput,
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope } = gitScope(ctx, project, args);
    const by = args.by ?? "added";
    const rows = mainDeveloper(buildAggregates(ctx.storage.commits, scope), { by });
    return { by, ...pagedRows(rows, args) };
  },
  render: (r) =>
    r.rows
      .map((o) => `${o.entity}: ${o.mainDev} (${Math.round(o.ownership * 100)} %)`)
      .join("\n") || "no files",
  cli: { command: ["analyze", "main-dev"], files: ["group"] },
  table: {
    rows: "rows",
    columns: (r) => [
      column("entity", "entity"),
      column("main-dev", "mainDev"),
      column(r["by"] === "removed" ? "removed" : "added", "contribution"),
      column(r["by"] === "removed" ? "total-removed" : "total-added", "total"),
      column("ownership", "ownership"),
    ],
  },
});

const analyzeCodeAge = defineOperation({
  name: "analyze_code_age",
  title: "Code age",
  description:
    "Months since each file last changed (code-maat age), youngest first: young code is still settling, old stable code is rarely the problem. Paginated.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, ...GitScopeInput, ...NowInput, ...PageInput },
  output: {
    total: z.number().int(),
    rows: z.array(
      z.object({ entity: z.string(), ageMonths: z.number(), lastChangedAt: z.string() }),
    ),
    ...PageOutput,
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope, now } = gitScope(ctx, project, args);
    const aged = { ...scope, until: Math.min(scope.until ?? now, now) };
    const rows = codeAge(buildAggregates(ctx.storage.commits, aged), { now }).map((r) => ({
      entity: r.entity,
      ageMonths: r.ageMonths,
      lastChangedAt: new Date(r.lastChangedAt).toISOString(),
    }));
    return pagedRows(rows, args);
  },
  render: (r) => r.rows.map((a) => `${a.entity}: ${a.ageMonths} months`).join("\n") || "no files",
  cli: { command: ["analyze", "age"], files: ["group"] },
  table: { rows: "rows", columns: [column("entity", "entity"), column("age-months", "ageMonths")] },
});

/** The `git` toolset. */
export const gitTools: readonly Operation[] = [
  analyzeHotspots,
  analyzeChangeCoupling,
  analyzeChurn,
  analyzeOwnership,
  analyzeCodeAge,
];
