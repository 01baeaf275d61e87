/**
 * The `maat` toolset: code-maat's analyses over the stored history, with code-maat's column
 * names (`devflow analyze summary|revisions|authors|ownership|effort|fragmentation|
 * communication|soc|messages`). Not enabled in MCP by default (`--toolsets maat` or `all`).
 */
import {
  authors,
  buildAggregates,
  communication,
  entityEffort,
  entityOwnership,
  FIX_PATTERN,
  fragmentation,
  type GitAggregates,
  messageMatches,
  revisions,
  sumOfCoupling,
  summary,
} from "@devflow/analyzers";
import { z } from "zod";
import { projectFor, type ToolContext } from "../context.js";
import { pagedRows, PageInput, PageOutput } from "../pagination.js";
import { column, defineOperation, type Operation, READ_ONLY } from "../tool.js";
import { type GitScopeArgs, GitScopeInput, gitScope } from "./git-scope.js";
import { ProjectArg } from "./shared.js";

type Row = Record<string, string | number | null>;

interface TableSpec {
  name: string;
  command: string;
  title: string;
  description: string;
  columns: ReadonlyArray<readonly [header: string, key: string]>;
  row: z.ZodRawShape;
  rows: (agg: GitAggregates) => Row[];
}

function aggregatesOf(
  ctx: ToolContext,
  args: GitScopeArgs & { project?: string | undefined },
): GitAggregates {
  const project = projectFor(ctx, args.project);
  return buildAggregates(ctx.storage.commits, gitScope(ctx, project, args).scope);
}

function tableOperation(spec: TableSpec): Operation {
  return defineOperation({
    name: spec.name,
    title: spec.title,
    description: `${spec.description} Paginated.`,
    toolset: "maat",
    permission: "project:read",
    annotations: READ_ONLY,
    input: { project: ProjectArg, ...GitScopeInput, ...PageInput },
    output: { total: z.number().int(), rows: z.array(z.object(spec.row)), ...PageOutput },
    run: (args, ctx) => pagedRows(spec.rows(aggregatesOf(ctx, args)), args),
    render: (r) =>
      r.rows.length === 0
        ? "no rows"
        : r.rows
            .map((row) => spec.columns.map(([, key]) => String((row as Row)[key] ?? "")).join("  "))
            .join("\n"),
    cli: { command: ["analyze", spec.command], files: ["group"] },
    table: { rows: "rows", columns: spec.columns.map(([header, key]) => column(header, key)) },
  });
}

const int = z.number().int();

const gitSummary = tableOperation({
  name: "get_git_summary",
  command: "summary",
  title: "History summary",
  description:
    "Commits, entities (files), entity changes and authors in the scope (code-maat summary).",
  columns: [
    ["statistic", "statistic"],
    ["value", "value"],
  ],
  row: { statistic: z.string(), value: z.number() },
  rows: (agg) => summary(agg).map((r) => ({ ...r })),
});

const analyzeRevisions = tableOperation({
  name: "analyze_revisions",
  command: "revisions",
  title: "Revisions",
  description: "Change frequency: revisions per file, most changed first (code-maat revisions).",
  columns: [
    ["entity", "entity"],
    ["n-revs", "revisions"],
  ],
  row: { entity: z.string(), revisions: int },
  rows: (agg) => revisions(agg).map((r) => ({ ...r })),
});

const analyzeAuthors = tableOperation({
  name: "analyze_authors",
  command: "authors",
  title: "Authors per file",
  description:
    "Distinct authors and revisions per file, most authors first (code-maat authors): many authors on one file predict defects.",
  columns: [
    ["entity", "entity"],
    ["n-authors", "authors"],
    ["n-revs", "revisions"],
  ],
  row: { entity: z.string(), authors: int, revisions: int },
  rows: (agg) => authors(agg).map((r) => ({ ...r })),
});

const analyzeEntityOwnership = tableOperation({
  name: "analyze_entity_ownership",
  command: "ownership",
  title: "Lines per author per file",
  description: "Lines added and deleted by each author of each file (code-maat entity-ownership).",
  columns: [
    ["entity", "entity"],
    ["author", "author"],
    ["added", "added"],
    ["deleted", "deleted"],
  ],
  row: { entity: z.string(), author: z.string(), added: int, deleted: int },
  rows: (agg) => entityOwnership(agg).map((r) => ({ ...r })),
});

const analyzeEffort = tableOperation({
  name: "analyze_effort",
  command: "effort",
  title: "Effort per author per file",
  description: "Revisions per author per file with the file's total (code-maat entity-effort).",
  columns: [
    ["entity", "entity"],
    ["author", "author"],
    ["author-revs", "authorRevisions"],
    ["total-revs", "totalRevisions"],
  ],
  row: { entity: z.string(), author: z.string(), authorRevisions: int, totalRevisions: int },
  rows: (agg) => entityEffort(agg).map((r) => ({ ...r })),
});

const analyzeFragmentation = tableOperation({
  name: "analyze_fragmentation",
  command: "fragmentation",
  title: "Fragmentation",
  description:
    "How scattered each file's authorship is: the fractal value (0 = one author, towards 1 = many authors with small shares), with total revisions (code-maat fragmentation).",
  columns: [
    ["entity", "entity"],
    ["fractal-value", "fractalValue"],
    ["total-revs", "totalRevisions"],
  ],
  row: { entity: z.string(), fractalValue: z.number(), totalRevisions: int },
  rows: (agg) => fragmentation(agg).map((r) => ({ ...r })),
});

const analyzeCommunication = tableOperation({
  name: "analyze_communication",
  command: "communication",
  title: "Communication needs",
  description:
    "Pairs of authors working on the same files: shared files, the mean of their file counts and the strength in percent (code-maat communication, Conway's law).",
  columns: [
    ["author", "author"],
    ["peer", "peer"],
    ["shared", "shared"],
    ["average", "average"],
    ["strength", "strength"],
  ],
  row: {
    author: z.string(),
    peer: z.string(),
    shared: int,
    average: z.number(),
    strength: z.number(),
  },
  rows: (agg) => communication(agg).map((r) => ({ ...r })),
});

const analyzeSumOfCoupling = defineOperation({
  name: "analyze_sum_of_coupling",
  title: "Sum of coupling",
  description:
    "Per file, how many other files changed with it in total over its revisions (code-maat soc): the files most entangled with the rest. Paginated.",
  toolset: "maat",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    minRevs: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe("Keep files whose sum exceeds this (default 5)"),
    ...PageInput,
  },
  output: {
    total: int,
    rows: z.array(z.object({ entity: z.string(), soc: int })),
    ...PageOutput,
  },
  run: (args, ctx) =>
    pagedRows(
      sumOfCoupling(
        aggregatesOf(ctx, args),
        args.minRevs === undefined ? {} : { minRevs: args.minRevs },
      ),
      args,
    ),
  render: (r) => r.rows.map((x) => `${x.entity}: ${x.soc}`).join("\n") || "no rows",
  cli: { command: ["analyze", "soc"], files: ["group"] },
  table: { rows: "rows", columns: [column("entity", "entity"), column("soc", "soc")] },
});

const analyzeMessages = defineOperation({
  name: "analyze_messages",
  title: "Files touched by matching commits",
  description:
    "Files most often changed by commits whose message matches an expression (default: fixes and bugs), with how many changes had no stored message (message policy). Paginated.",
  toolset: "maat",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    ...GitScopeInput,
    expression: z
      .string()
      .max(256)
      .optional()
      .describe("Case-insensitive message expression (default: fix/bug words)"),
    ...PageInput,
  },
  output: {
    pattern: z.string(),
    changes: int,
    changesWithoutMessage: int,
    total: int,
    rows: z.array(z.object({ entity: z.string(), matches: int })),
    ...PageOutput,
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope } = gitScope(ctx, project, args);
    const r = messageMatches(ctx.storage.commits, scope, {
      pattern: args.expression ?? FIX_PATTERN,
    });
    return {
      pattern: r.pattern,
      changes: r.changes,
      changesWithoutMessage: r.changesWithoutMessage,
      ...pagedRows(r.rows, args),
    };
  },
  render: (r) =>
    [
      ...(r.changesWithoutMessage > 0
        ? [`${r.changesWithoutMessage} of ${r.changes} changes have no stored message`]
        : []),
      ...r.rows.map((x) => `${x.entity}: ${x.matches}`),
    ].join("\n") || "no matching changes",
  cli: { command: ["analyze", "messages"], files: ["group"] },
  table: { rows: "rows", columns: [column("entity", "entity"), column("matches", "matches")] },
});

/** The `maat` toolset. */
export const maatTools: readonly Operation[] = [
  gitSummary,
  analyzeRevisions,
  analyzeAuthors,
  analyzeEntityOwnership,
  analyzeEffort,
  analyzeFragmentation,
  analyzeCommunication,
  analyzeSumOfCoupling,
  analyzeMessages,
];
