/** The `git` toolset: commit statistics, hotspots, coupling, churn, ownership, age, co-changes. */
import { realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import { DevflowError } from "@devflow/events";
import {
  absoluteChurn,
  authorChurn,
  buildAggregates,
  codeAge,
  coChanges,
  commitStats,
  coupling,
  entityChurn,
  hotspots,
  mainDeveloper,
} from "@devflow/analyzers";
import { countLinesOfCode, trackedFiles, workingTreeChanges } from "@devflow/monitors";
import { z } from "zod";
import { projectFor } from "../context.js";
import { pagedRows, PageInput, PageOutput } from "../pagination.js";
import { defineTool, READ_ONLY, type DevflowTool } from "../tool.js";
import { GitScopeInput, gitScope, ThresholdInput, thresholdsOf } from "./git-scope.js";
import { ProjectArg } from "./shared.js";

const getCommitStats = defineTool({
  name: "get_commit_stats",
  title: "Commit statistics",
  description:
    "Commits per author (with lines added/removed and active days), per day, weekday, hour (0-23) and month, with totals, in the given time zone — git-quick-stats style. Merges are left out unless includeMerges.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, ...GitScopeInput, includeMerges: z.boolean().optional() },
  output: {
    timeZone: z.string(),
    totals: z.object({
      commits: z.number().int(),
      authors: z.number().int(),
      activeDays: z.number().int(),
      insertions: z.number().int(),
      deletions: z.number().int(),
      firstAt: z.string().nullable(),
      lastAt: z.string().nullable(),
    }),
    authors: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
    days: z.array(
      z.object({
        date: z.string(),
        commits: z.number().int(),
        insertions: z.number().int(),
        deletions: z.number().int(),
      }),
    ),
    weekdays: z.array(z.object({ weekday: z.string(), commits: z.number().int() })),
    hours: z.array(z.object({ hour: z.number().int(), commits: z.number().int() })),
    months: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope } = gitScope(ctx, project, args);
    const s = commitStats(ctx.storage.commits, scope, {
      includeMerges: args.includeMerges === true,
    });
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      timeZone: s.timeZone,
      totals: { ...s.totals, firstAt: iso(s.totals.firstAt), lastAt: iso(s.totals.lastAt) },
      authors: s.authors.map((a) => ({ ...a })),
      days: s.days,
      weekdays: s.weekdays,
      hours: s.hours,
      months: s.months.map((m) => ({ ...m })),
    };
  },
  render: (r) =>
    [
      `${r.totals.commits} commits by ${r.totals.authors} authors on ${r.totals.activeDays} days (+${r.totals.insertions} −${r.totals.deletions})`,
      ...r.authors
        .slice(0, 10)
        .map((a) => `${String(a["author"])}: ${String(a["commits"])} commits`),
    ].join("\n"),
});

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

const analyzeHotspots = defineTool({
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
});

const analyzeChangeCoupling = defineTool({
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
});

const analyzeChurn = defineTool({
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
});

const analyzeOwnership = defineTool({
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
    const rows = mainDeveloper(buildAggregates(ctx.storage.commits, scope), {
      by: args.by ?? "added",
    });
    return pagedRows(rows, args);
  },
  render: (r) =>
    r.rows
      .map((o) => `${o.entity}: ${o.mainDev} (${Math.round(o.ownership * 100)} %)`)
      .join("\n") || "no files",
});

const analyzeCodeAge = defineTool({
  name: "analyze_code_age",
  title: "Code age",
  description:
    "Months since each file last changed (code-maat age), youngest first: young code is still settling, old stable code is rarely the problem. Paginated.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, ...GitScopeInput, ...PageInput },
  output: {
    total: z.number().int(),
    rows: z.array(
      z.object({ entity: z.string(), ageMonths: z.number(), lastChangedAt: z.string() }),
    ),
    ...PageOutput,
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope, now } = gitScope(ctx, project, {
      ...args,
      until: args.until ?? new Date(ctx.clock()).toISOString(),
    });
    const rows = codeAge(buildAggregates(ctx.storage.commits, scope), { now }).map((r) => ({
      entity: r.entity,
      ageMonths: r.ageMonths,
      lastChangedAt: new Date(r.lastChangedAt).toISOString(),
    }));
    return pagedRows(rows, args);
  },
  render: (r) => r.rows.map((a) => `${a.entity}: ${a.ageMonths} months`).join("\n") || "no files",
});

const checkCoChanges = defineTool({
  name: "check_co_changes",
  title: "Co-change check",
  description:
    "Call before committing: given the changed files (default: the working tree's staged + unstaged diff), the files that historically change together with them (coupling above the thresholds) but are NOT in the change — each with its coupling degree (%) and shared revisions. An empty list means nothing usual is missing.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    files: z
      .array(z.string().max(4096))
      .max(1000)
      .optional()
      .describe("Changed files, relative to the project root; default the working tree's diff"),
    ...ThresholdInput,
  },
  output: {
    changed: z.array(z.string()),
    ignored: z.array(z.string()),
    rows: z.array(
      z.object({
        changed: z.string(),
        missing: z.string(),
        degree: z.number(),
        sharedRevs: z.number().int(),
        averageRevs: z.number(),
        changedRevs: z.number().int(),
        missingRevs: z.number().int(),
      }),
    ),
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope } = gitScope(ctx, project, {});
    const changed =
      args.files === undefined
        ? await workingTreeChanges(project.rootPath)
        : args.files.map((f) => {
            const rel = relative(
              realpathSync(project.rootPath),
              ctx.roots.resolve(f, project.rootPath),
            );
            if (rel === "" || rel.startsWith("..")) {
              throw new DevflowError(
                "TOOLS_BAD_PATH",
                `${f.slice(0, 256)} is not a file inside ${project.name}.`,
              );
            }
            return rel.split(sep).join("/");
          });
    const r = coChanges(ctx.storage.commits, scope, changed, thresholdsOf(args));
    return { changed: r.changed, ignored: r.ignored, rows: r.rows };
  },
  render: (r) =>
    [
      `changed: ${r.changed.join(", ") || "nothing"}`,
      ...(r.rows.length === 0
        ? ["no usual co-changes are missing"]
        : r.rows.map(
            (c) =>
              `missing ${c.missing} (changes with ${c.changed} ${c.degree} % of the time, ${c.sharedRevs} shared revisions)`,
          )),
    ].join("\n"),
});

/** The `git` toolset. */
export const gitTools: readonly DevflowTool[] = [
  getCommitStats,
  analyzeHotspots,
  analyzeChangeCoupling,
  analyzeChurn,
  analyzeOwnership,
  analyzeCodeAge,
  checkCoChanges,
];
