/** How the git tools turn their arguments into an analyzer scope, as `devflow analyze` does. */
import { type GitScope, parseDateOption } from "@devflow/analyzers";
import { DevflowError, isDevflowError, TimeZone } from "@devflow/events";
import type { Project } from "@devflow/storage";
import { z } from "zod";
import type { ToolContext } from "../context.js";

/** The scope arguments of every git tool. */
export const GitScopeInput = {
  since: z
    .string()
    .max(64)
    .optional()
    .describe(
      "Only commits from this time: YYYY-MM-DD, ISO, now/today/yesterday, or an age like 90m (minutes), 7d, 3mo (months). Default: all history.",
    ),
  until: z.string().max(64).optional().describe("Only commits before this date"),
  include: z
    .array(z.string().max(256))
    .max(20)
    .optional()
    .describe("Only paths matching these globs (src/**, *.ts)"),
  exclude: z
    .array(z.string().max(256))
    .max(20)
    .optional()
    .describe("Leave out paths matching these globs"),
  timezone: z.string().max(64).optional().describe("IANA zone for days and months (default UTC)"),
};

/** The parsed scope arguments. */
export interface GitScopeArgs {
  since?: string | undefined;
  until?: string | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  timezone?: string | undefined;
}

/**
 * The scope, the zone and "now" of a git tool call; fails when no commits are stored. `since`
 * and `until` go through the one time grammar (`90m` = 90 minutes, `3mo` = months).
 *
 * @throws DevflowError `TOOLS_NO_COMMITS`, `EVENTS_BAD_TIME_ZONE` for an unknown zone,
 *   `EVENTS_BAD_INSTANT` naming the argument, the value and what is accepted.
 */
export function gitScope(
  ctx: ToolContext,
  project: Project,
  args: GitScopeArgs,
): { scope: GitScope; zone: TimeZone; now: number } {
  if (ctx.storage.commits.count(project.id) === 0) {
    throw new DevflowError(
      "TOOLS_NO_COMMITS",
      `No commits are stored for ${project.name} yet; DevFlow imports the history when it starts (or run \`devflow import git ${project.rootPath}\`).`,
    );
  }
  const zone = TimeZone.of(args.timezone ?? "UTC");
  const now = ctx.clock().getTime();
  const scope: GitScope = { projectId: project.id, timeZone: zone.name };
  const date = (value: string, name: string): number => {
    try {
      return parseDateOption(value, now, zone);
    } catch (err) {
      if (!isDevflowError(err)) throw err;
      throw new DevflowError(err.code, `${name}: ${err.message}`, { cause: err, data: err.data });
    }
  };
  if (args.since !== undefined) scope.since = date(args.since, "since");
  if (args.until !== undefined) scope.until = date(args.until, "until");
  if (args.include?.length) scope.include = args.include;
  if (args.exclude?.length) scope.exclude = args.exclude;
  return { scope, zone, now };
}

/** Coupling thresholds as tool arguments (code-maat's defaults). */
export const ThresholdInput = {
  minRevs: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe("Minimum mean revisions of a pair (default 5)"),
  minSharedRevs: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe("Minimum shared revisions (default 5)"),
  minCoupling: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe("Minimum coupling degree in percent (default 30)"),
  maxChangesetSize: z
    .number()
    .int()
    .min(2)
    .max(10_000)
    .optional()
    .describe("Skip changes touching more files (default 30)"),
};

/** The thresholds given in `args`. */
export function thresholdsOf(args: {
  minRevs?: number | undefined;
  minSharedRevs?: number | undefined;
  minCoupling?: number | undefined;
  maxChangesetSize?: number | undefined;
}): { minRevs?: number; minSharedRevs?: number; minCoupling?: number; maxChangesetSize?: number } {
  return {
    ...(args.minRevs === undefined ? {} : { minRevs: args.minRevs }),
    ...(args.minSharedRevs === undefined ? {} : { minSharedRevs: args.minSharedRevs }),
    ...(args.minCoupling === undefined ? {} : { minCoupling: args.minCoupling }),
    ...(args.maxChangesetSize === undefined ? {} : { maxChangesetSize: args.maxChangesetSize }),
  };
}
