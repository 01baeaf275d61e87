/** The `git` toolset, continued: commit statistics and the co-change check. */
import { realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import { DevflowError } from "@devflow/events";
import { coChanges, commitStats } from "@devflow/analyzers";
import { workingTreeChanges } from "@devflow/monitors";
import { z } from "zod";
import { projectFor } from "../context.js";
import { column, defineOperation, type Operation, READ_ONLY } from "../tool.js";
import { GitScopeInput, gitScope, ThresholdInput, thresholdsOf } from "./git-scope.js";
import { ProjectArg } from "./shared.js";

const count = (key: string) => [column(key, key), column("commits", "commits")];
const lines = [column("insertions", "insertions"), column("deletions", "deletions")];
const BREAKDOWN = {
  author: [
    column("author", "author"),
    column("commits", "commits"),
    ...lines,
    column("active-days", "activeDays"),
    column("percent", "percent"),
  ],
  day: [...count("date"), ...lines],
  weekday: count("weekday"),
  hour: count("hour"),
  month: count("month"),
};

const getCommitStats = defineOperation({
  name: "get_commit_stats",
  title: "Commit statistics",
  description:
    "Commits per author (with lines added/removed and active days), per day, weekday, hour (0-23) and month, with totals, in the given time zone — git-quick-stats style. Merges are left out unless includeMerges.",
  toolset: "git",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    includeMerges: z.boolean().optional().describe("Count merge commits too"),
    by: z
      .enum(["author", "day", "weekday", "hour", "month"])
      .optional()
      .describe("The breakdown a table shows (default author); every breakdown is in the answer"),
  },
  output: {
    by: z.enum(["author", "day", "weekday", "hour", "month"]),
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
      by: args.by ?? "author",
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
  cli: { command: ["analyze", "commit-stats"], files: ["group"] },
  table: {
    rows: (r) => (r["by"] === "author" ? "authors" : `${String(r["by"])}s`),
    caption: (r) => {
      const t = r["totals"] as { commits: number; authors: number; activeDays: number };
      return `${t.commits} commits by ${t.authors} authors on ${t.activeDays} active days (${String(r["timeZone"])})`;
    },
    columns: (r) => BREAKDOWN[r["by"] as keyof typeof BREAKDOWN],
  },
});

const checkCoChanges = defineOperation({
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
  cli: { command: ["analyze", "co-changes"], positional: ["files"] },
  table: {
    rows: "rows",
    columns: [
      column("changed", "changed"),
      column("missing", "missing"),
      column("degree", "degree"),
      column("shared-revs", "sharedRevs"),
      column("average-revs", "averageRevs"),
    ],
  },
});

/** Commit statistics and the co-change check (toolset `git`). */
export const gitCommitTools: readonly Operation[] = [getCommitStats, checkCoChanges];
