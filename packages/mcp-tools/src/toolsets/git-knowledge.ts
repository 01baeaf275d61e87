/** The `git` toolset, continued: knowledge distribution (bus factor, knowledge loss). */
import { buildAggregates, busFactor, knowledgeLoss } from "@devflow/analyzers";
import { trackedFiles } from "@devflow/monitors";
import { z } from "zod";
import { projectFor } from "../context.js";
import { pagedRows, PageInput, PageOutput } from "../pagination.js";
import { column, defineOperation, type Operation, READ_ONLY } from "../tool.js";
import { GitScopeInput, gitScope, NowInput } from "./git-scope.js";
import { iso, ProjectArg } from "./shared.js";

const int = z.number().int();

const analyzeBusFactor = defineOperation({
  name: "analyze_bus_factor",
  title: "Bus factor",
  description:
    "Per folder (and `.` for the whole project), the fewest main developers whose leaving would orphan more than half of its current files, with those developers and how many files each owns. 1 means one person holds most of the knowledge. Paginated.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    depth: z.number().int().min(0).max(20).optional().describe("Folder levels (default 2)"),
    ...PageInput,
  },
  output: {
    total: int,
    rows: z.array(
      z.object({
        folder: z.string(),
        files: int,
        busFactor: int,
        owners: z.array(z.object({ author: z.string(), files: int })),
      }),
    ),
    ...PageOutput,
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope } = gitScope(ctx, project, args);
    const rows = busFactor(buildAggregates(ctx.storage.commits, scope), {
      files: await trackedFiles(project.rootPath),
      ...(args.depth === undefined ? {} : { depth: args.depth }),
    });
    return pagedRows(rows, args);
  },
  render: (r) =>
    r.rows.map((b) => `${b.folder}: bus factor ${b.busFactor} (${b.files} files)`).join("\n") ||
    "no files",
  cli: { command: ["analyze", "bus-factor"], files: ["group"] },
  table: {
    rows: "rows",
    columns: [
      column("folder", "folder"),
      column("files", "files"),
      column("bus-factor", "busFactor"),
      {
        header: "owners",
        value: (r) =>
          (r["owners"] as Array<{ author: string; files: number }>)
            .map((o) => `${o.author} (${o.files})`)
            .join("; "),
      },
    ],
  },
});

const analyzeKnowledgeLoss = defineOperation({
  name: "analyze_knowledge_loss",
  title: "Knowledge loss",
  description:
    "Current files whose main developer has not committed for a while (default 90 days): knowledge that may have left the team, with the share of files affected and the inactive developers. Paginated.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    ...NowInput,
    inactiveDays: z
      .number()
      .int()
      .min(0)
      .max(36_500)
      .optional()
      .describe("Inactive for at least this many days (default 90)"),
    ...PageInput,
  },
  output: {
    files: int.describe("current files considered"),
    share: z.number().describe("share of them with an inactive main developer, 0-1"),
    authors: z.array(
      z.object({ author: z.string(), lastActiveAt: z.string(), inactiveDays: int, files: int }),
    ),
    total: int,
    rows: z.array(
      z.object({
        entity: z.string(),
        mainDev: z.string(),
        ownership: z.number(),
        lastActiveAt: z.string(),
        inactiveDays: int,
      }),
    ),
    ...PageOutput,
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope, now } = gitScope(ctx, project, args);
    const r = knowledgeLoss(buildAggregates(ctx.storage.commits, scope), {
      now,
      files: await trackedFiles(project.rootPath),
      ...(args.inactiveDays === undefined ? {} : { inactiveDays: args.inactiveDays }),
    });
    return {
      files: r.files,
      share: r.share,
      authors: r.authors.map((a) => ({ ...a, lastActiveAt: iso(a.lastActiveAt)! })),
      ...pagedRows(
        r.rows.map((row) => ({ ...row, lastActiveAt: iso(row.lastActiveAt)! })),
        args,
      ),
    };
  },
  render: (r) =>
    [
      `${r.total} of ${r.files} files (${Math.round(r.share * 100)} %) have an inactive main developer.`,
      ...r.rows.map((k) => `${k.entity}: ${k.mainDev}, inactive ${k.inactiveDays} days`),
    ].join("\n"),
  cli: { command: ["analyze", "knowledge-loss"], files: ["group"] },
  table: {
    rows: "rows",
    caption: (r) =>
      `${String(r["total"])} of ${String(r["files"])} files (${Math.round(Number(r["share"]) * 100)} %) have an inactive main developer.`,
    columns: [
      column("entity", "entity"),
      column("main-dev", "mainDev"),
      column("ownership", "ownership"),
      { header: "last-active", value: (r) => String(r["lastActiveAt"]).slice(0, 10) },
      column("inactive-days", "inactiveDays"),
    ],
  },
});

/** Bus factor and knowledge loss (toolset `git`). */
export const gitKnowledgeTools: readonly Operation[] = [analyzeBusFactor, analyzeKnowledgeLoss];
