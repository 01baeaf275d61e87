import { readFileSync } from "node:fs";
import {
  type CouplingThresholds,
  type GitScope,
  parseComponentGroups,
  parseDateOption,
  type Table,
  TimeZone,
  toCsv,
  toTextTable,
} from "@devflow/analyzers";
import { DevflowError } from "@devflow/events";
import { importGitHistory } from "@devflow/monitors";
import { resolveProject } from "@devflow/runtime";
import type { Project, Storage } from "@devflow/storage";
import { type Command, InvalidArgumentError } from "commander";
import { configFrom, openConfiguredStorage, wantsJson } from "../context.js";

/** The options every git analysis takes. */
export interface ScopeFlags {
  project?: string;
  since?: string;
  until?: string;
  include: string[];
  exclude: string[];
  group?: string;
  temporalPeriod?: number;
  byEmail?: boolean;
  timezone?: string;
  rows?: number;
  csv?: boolean;
  import?: boolean;
}

/** Coupling thresholds as flags. */
export interface ThresholdFlags {
  minRevs?: number;
  minSharedRevs?: number;
  minCoupling?: number;
  maxCoupling?: number;
  maxChangesetSize?: number;
}

/** Parses a non-negative integer flag value. */
export function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds the scope flags (project, period, paths, grouping, output) to `cmd`. */
export function scopeFlags(cmd: Command): Command {
  return cmd
    .option("--project <path|id>", "project (default: the one containing the current directory)")
    .option("--since <date>", "only commits from this date (YYYY-MM-DD, ISO, or an age like 90d)")
    .option("--until <date>", "only commits before this date")
    .option("--include <glob>", "only paths matching (repeatable; `*.ts`, `src/**`)", collect, [])
    .option("--exclude <glob>", "leave out paths matching (repeatable)", collect, [])
    .option("--group <file>", "component grouping file: one `regex => name` per line")
    .option(
      "--temporal-period <days>",
      "one author's commits within N days are one change",
      integer,
    )
    .option("--by-email", "identify authors by e-mail instead of name")
    .option("--timezone <zone>", "IANA time zone for days and hours (default: the local zone)")
    .option("--rows <n>", "print at most N rows", integer)
    .option("--csv", "CSV output with code-maat's column names")
    .option("--import", "import new commits of the project first");
}

/** Adds the coupling threshold flags with code-maat's defaults. */
export function thresholdFlags(cmd: Command): Command {
  return cmd
    .option("--min-revs <n>", "minimum mean revisions of a pair (default 5)", integer)
    .option("--min-shared-revs <n>", "minimum shared revisions (default 5)", integer)
    .option("--min-coupling <percent>", "minimum coupling degree (default 30)", integer)
    .option("--max-coupling <percent>", "maximum coupling degree (default 100)", integer)
    .option("--max-changeset-size <n>", "skip changes with more files (default 30)", integer);
}

/** The thresholds given on the command line (defaults are filled in by the analyzers). */
export function thresholdsOf(flags: ThresholdFlags): CouplingThresholds {
  const t: CouplingThresholds = {};
  if (flags.minRevs !== undefined) t.minRevs = flags.minRevs;
  if (flags.minSharedRevs !== undefined) t.minSharedRevs = flags.minSharedRevs;
  if (flags.minCoupling !== undefined) t.minCoupling = flags.minCoupling;
  if (flags.maxCoupling !== undefined) t.maxCoupling = flags.maxCoupling;
  if (flags.maxChangesetSize !== undefined) t.maxChangesetSize = flags.maxChangesetSize;
  return t;
}

/** What a git analysis command runs with. */
export interface AnalysisContext {
  storage: Storage;
  project: Project;
  scope: GitScope;
  /** "Now" for ages and trends (`--now`, else the clock). */
  now: number;
  zone: TimeZone;
  flags: ScopeFlags;
}

/** Parses a date flag in the analysis time zone. */
export function dateFlag(
  value: string | undefined,
  now: number,
  zone: TimeZone,
): number | undefined {
  return value === undefined ? undefined : parseDateOption(value, now, zone);
}

/**
 * Opens the database, resolves the project, optionally imports new commits, builds the scope,
 * runs `fn` and closes everything.
 *
 * @throws {@link DevflowError} `CLI_NO_COMMITS` when the project has no stored commits.
 */
export async function withAnalysis(
  cmd: Command,
  flags: ScopeFlags & { now?: string },
  fn: (ctx: AnalysisContext) => Promise<void> | void,
): Promise<void> {
  const config = configFrom(cmd);
  const storage = openConfiguredStorage(config);
  try {
    const project = resolveProject(storage, flags.project ?? process.cwd());
    if (flags.import) {
      await importGitHistory({ storage, project, messages: config.monitors.git.messages });
    }
    if (storage.commits.count(project.id) === 0) {
      throw new DevflowError(
        "CLI_NO_COMMITS",
        `no commits stored for ${project.name}; run \`devflow import git ${project.rootPath}\` (or add --import)`,
      );
    }
    const zone = TimeZone.of(flags.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
    const clock = Date.now();
    const now = dateFlag(flags.now, clock, zone) ?? clock;
    const scope: GitScope = { projectId: project.id, timeZone: zone.name };
    const since = dateFlag(flags.since, now, zone);
    const until = dateFlag(flags.until, now, zone);
    if (since !== undefined) scope.since = since;
    if (until !== undefined) scope.until = until;
    if (flags.include.length) scope.include = flags.include;
    if (flags.exclude.length) scope.exclude = flags.exclude;
    if (flags.group) scope.groups = parseComponentGroups(readGroupFile(flags.group));
    if (flags.temporalPeriod !== undefined) scope.temporalPeriodDays = flags.temporalPeriod;
    if (flags.byEmail) scope.authorKey = "email";
    await fn({ storage, project, scope, now, zone, flags });
  } finally {
    storage.close();
  }
}

function readGroupFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new DevflowError("CLI_BAD_ARGUMENT", `cannot read the group file ${path}`, {
      cause: err,
    });
  }
}

/**
 * Prints a table result: CSV with `--csv`, `{ analysis, project, rows, … }` with `--json`,
 * else aligned text (with `header` lines above it).
 */
export function printTable<T>(
  cmd: Command,
  ctx: AnalysisContext,
  analysis: string,
  table: Table<T>,
  extra: { json?: Record<string, unknown>; header?: string[]; empty?: string } = {},
): void {
  const rows = ctx.flags.rows === undefined ? table.rows : table.rows.slice(0, ctx.flags.rows);
  if (ctx.flags.csv) {
    process.stdout.write(toCsv({ columns: table.columns, rows }));
    return;
  }
  if (wantsJson(cmd)) {
    const project = { id: ctx.project.id, name: ctx.project.name };
    process.stdout.write(`${JSON.stringify({ analysis, project, ...extra.json, rows })}\n`);
    return;
  }
  const lines = [...(extra.header ?? [])];
  lines.push(
    rows.length ? toTextTable({ columns: table.columns, rows }) : (extra.empty ?? "No rows."),
  );
  if (rows.length < table.rows.length)
    lines.push(`(${table.rows.length - rows.length} more rows; --rows to show more)`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Formats a duration in ms for people (`3.5 h`, `2.0 d`). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "n/a";
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(0)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

type Run<F> = (ctx: AnalysisContext, flags: F, cmd: Command) => Promise<void> | void;

/** Adds `devflow analyze <name>` with the scope flags; `configure` adds its own flags. */
export function gitAnalysis<F extends ScopeFlags>(
  analyze: Command,
  name: string,
  description: string,
  configure: (cmd: Command) => Command,
  run: Run<F>,
): Command {
  return configure(scopeFlags(analyze.command(name).description(description))).action(
    async (...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      const flags = cmd.opts<F>();
      await withAnalysis(cmd, flags, (ctx) => run(ctx, flags, cmd));
    },
  );
}
