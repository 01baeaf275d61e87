import {
  absoluteChurn,
  authorChurn,
  authors,
  buildAggregates,
  codeAge,
  communication,
  coupling,
  entityChurn,
  entityEffort,
  entityOwnership,
  FIX_PATTERN,
  fragmentation,
  GIT_COLUMNS,
  type MainDevMetric,
  mainDeveloper,
  messageMatches,
  revisions,
  sumOfCoupling,
  summary,
} from "@devflow/analyzers";
import { DevflowError } from "@devflow/events";
import type { Command } from "commander";
import { registerGitInsights } from "./analyze-git-insights.js";
import {
  gitAnalysis,
  integer,
  printTable,
  type ScopeFlags,
  type ThresholdFlags,
  thresholdFlags,
  thresholdsOf,
} from "./analyze-git-options.js";

const none = (cmd: Command): Command => cmd;

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value))
    return value as T | undefined;
  throw new DevflowError(
    "CLI_BAD_ARGUMENT",
    `${flag} must be one of ${allowed.join(", ")} (got "${value}")`,
  );
}

/**
 * Registers the git analyses under `devflow analyze`: code-maat's analyses, hotspots,
 * knowledge, the co-change check, commit statistics and DORA.
 */
export function registerGitAnalyses(analyze: Command): void {
  gitAnalysis(
    analyze,
    "summary",
    "commits, entities, changes and authors (code-maat summary)",
    none,
    (ctx, _f, cmd) =>
      printTable(cmd, ctx, "summary", {
        columns: GIT_COLUMNS.summary,
        rows: summary(buildAggregates(ctx.storage.commits, ctx.scope)),
      }),
  );
  gitAnalysis(analyze, "revisions", "change frequency per file", none, (ctx, _f, cmd) =>
    printTable(cmd, ctx, "revisions", {
      columns: GIT_COLUMNS.revisions,
      rows: revisions(buildAggregates(ctx.storage.commits, ctx.scope)),
    }),
  );
  gitAnalysis(analyze, "authors", "distinct authors and revisions per file", none, (ctx, _f, cmd) =>
    printTable(cmd, ctx, "authors", {
      columns: GIT_COLUMNS.authors,
      rows: authors(buildAggregates(ctx.storage.commits, ctx.scope)),
    }),
  );
  gitAnalysis<ScopeFlags & { by?: string }>(
    analyze,
    "churn",
    "lines added and deleted per file, author or day",
    (cmd) => cmd.option("--by <what>", "entity (default), author or date"),
    (ctx, flags, cmd) => {
      const by = oneOf(flags.by, ["entity", "author", "date"] as const, "--by") ?? "entity";
      const agg = buildAggregates(ctx.storage.commits, ctx.scope);
      if (by === "date")
        printTable(cmd, ctx, "abs-churn", {
          columns: GIT_COLUMNS.absChurn,
          rows: absoluteChurn(agg),
        });
      else if (by === "author")
        printTable(cmd, ctx, "author-churn", {
          columns: GIT_COLUMNS.authorChurn,
          rows: authorChurn(agg),
        });
      else
        printTable(cmd, ctx, "entity-churn", {
          columns: GIT_COLUMNS.entityChurn,
          rows: entityChurn(agg),
        });
    },
  );
  gitAnalysis(
    analyze,
    "ownership",
    "lines added and deleted by each author of each file",
    none,
    (ctx, _f, cmd) =>
      printTable(cmd, ctx, "entity-ownership", {
        columns: GIT_COLUMNS.ownership,
        rows: entityOwnership(buildAggregates(ctx.storage.commits, ctx.scope)),
      }),
  );
  gitAnalysis<ScopeFlags & { by?: string }>(
    analyze,
    "main-dev",
    "the main developer of each file",
    (cmd) => cmd.option("--by <metric>", "added lines (default), removed lines or revisions"),
    (ctx, flags, cmd) => {
      const by: MainDevMetric =
        oneOf(flags.by, ["added", "removed", "revisions"] as const, "--by") ?? "added";
      const columns =
        by === "added"
          ? GIT_COLUMNS.mainDev
          : by === "removed"
            ? GIT_COLUMNS.refactoringMainDev
            : GIT_COLUMNS.mainDevByRevs;
      const name =
        by === "added"
          ? "main-dev"
          : by === "removed"
            ? "refactoring-main-dev"
            : "main-dev-by-revs";
      printTable(cmd, ctx, name, {
        columns,
        rows: mainDeveloper(buildAggregates(ctx.storage.commits, ctx.scope), { by }),
      });
    },
  );
  gitAnalysis(
    analyze,
    "effort",
    "revisions per author per file (code-maat entity-effort)",
    none,
    (ctx, _f, cmd) =>
      printTable(cmd, ctx, "entity-effort", {
        columns: GIT_COLUMNS.effort,
        rows: entityEffort(buildAggregates(ctx.storage.commits, ctx.scope)),
      }),
  );
  gitAnalysis(
    analyze,
    "fragmentation",
    "how scattered each file's authorship is (fractal value)",
    none,
    (ctx, _f, cmd) =>
      printTable(cmd, ctx, "fragmentation", {
        columns: GIT_COLUMNS.fragmentation,
        rows: fragmentation(buildAggregates(ctx.storage.commits, ctx.scope)),
      }),
  );
  gitAnalysis(
    analyze,
    "communication",
    "pairs of authors working on the same files",
    none,
    (ctx, _f, cmd) =>
      printTable(cmd, ctx, "communication", {
        columns: GIT_COLUMNS.communication,
        rows: communication(buildAggregates(ctx.storage.commits, ctx.scope)),
      }),
  );
  gitAnalysis<ScopeFlags & { now?: string }>(
    analyze,
    "age",
    "months since each file last changed",
    (cmd) => cmd.option("--now <date>", "age as of this date (code-maat --age-time-now)"),
    (ctx, _f, cmd) => {
      const scope = { ...ctx.scope, until: Math.min(ctx.scope.until ?? ctx.now, ctx.now) };
      printTable(cmd, ctx, "age", {
        columns: GIT_COLUMNS.age,
        rows: codeAge(buildAggregates(ctx.storage.commits, scope), { now: ctx.now }),
      });
    },
  );
  gitAnalysis<ScopeFlags & ThresholdFlags>(
    analyze,
    "coupling",
    "files that change together (code-maat logical coupling)",
    thresholdFlags,
    (ctx, flags, cmd) =>
      printTable(cmd, ctx, "coupling", {
        columns: GIT_COLUMNS.coupling,
        rows: coupling(ctx.storage.commits, ctx.scope, thresholdsOf(flags)),
      }),
  );
  gitAnalysis<ScopeFlags & { minRevs?: number }>(
    analyze,
    "soc",
    "sum of coupling per file",
    (cmd) => cmd.option("--min-revs <n>", "keep files whose sum exceeds N (default 5)", integer),
    (ctx, flags, cmd) =>
      printTable(cmd, ctx, "soc", {
        columns: GIT_COLUMNS.soc,
        rows: sumOfCoupling(
          buildAggregates(ctx.storage.commits, ctx.scope),
          flags.minRevs === undefined ? {} : { minRevs: flags.minRevs },
        ),
      }),
  );
  gitAnalysis<ScopeFlags & { expression?: string }>(
    analyze,
    "messages",
    "files most often touched by commits whose message matches (default: fixes)",
    (cmd) =>
      cmd.option("--expression <regex>", "message expression, case-insensitive (default: fix/bug)"),
    (ctx, flags, cmd) => {
      const r = messageMatches(ctx.storage.commits, ctx.scope, {
        pattern: flags.expression ?? FIX_PATTERN,
      });
      printTable(
        cmd,
        ctx,
        "messages",
        { columns: GIT_COLUMNS.messages, rows: r.rows },
        {
          json: {
            pattern: r.pattern,
            changes: r.changes,
            changesWithoutMessage: r.changesWithoutMessage,
          },
          header:
            r.changesWithoutMessage > 0
              ? [
                  `${r.changesWithoutMessage} of ${r.changes} changes have no stored message (message policy).`,
                ]
              : [],
        },
      );
    },
  );
  registerGitInsights(analyze);
}
