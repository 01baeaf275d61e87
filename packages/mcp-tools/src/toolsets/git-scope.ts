/** How the git tools turn their arguments into an analyzer scope, as `devflow analyze` does. */
import { type GitScope, parseComponentGroups, parseDateOption } from "@devflow/analyzers";
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
  timezone: z
    .string()
    .max(64)
    .optional()
    .describe("IANA zone for days and months (default: DevFlow's zone, else UTC)"),
  group: z
    .string()
    .max(65_536)
    .optional()
    .describe(
      "Component grouping: one `regex => name` per line; paths matching a regex count as that component (code-maat -g). On the command line: a file.",
    ),
  temporalPeriod: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe("One author's commits within this many days count as one change"),
  byEmail: z.boolean().optional().describe("Identify authors by e-mail instead of name"),
};

/** The `now` argument of analyses that measure ages or trends. */
export const NowInput = {
  now: z
    .string()
    .max(64)
    .optional()
    .describe("Measure ages and trends as of this instant (default: now)"),
};

/** The parsed scope arguments. */
export interface GitScopeArgs {
  since?: string | undefined;
  until?: string | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  timezone?: string | undefined;
  group?: string | undefined;
  temporalPeriod?: number | undefined;
  byEmail?: boolean | undefined;
  now?: string | undefined;
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
  const zone = TimeZone.of(args.timezone ?? ctx.defaultTimeZone ?? "UTC");
  const clock = ctx.clock().getTime();
  const scope: GitScope = { projectId: project.id, timeZone: zone.name };
  const date = (value: string, name: string): number => {
    try {
      return parseDateOption(value, clock, zone);
    } catch (err) {
      if (!isDevflowError(err)) throw err;
      throw new DevflowError(err.code, `${name}: ${err.message}`, { cause: err, data: err.data });
    }
  };
  const now = args.now === undefined ? clock : date(args.now, "now");
  if (args.since !== undefined) scope.since = date(args.since, "since");
  if (args.until !== undefined) scope.until = date(args.until, "until");
  if (args.include?.length) scope.include = args.include;
  if (args.exclude?.length) scope.exclude = args.exclude;
  if (args.group !== undefined) scope.groups = parseComponentGroups(args.group);
  if (args.temporalPeriod !== undefined) scope.temporalPeriodDays = args.temporalPeriod;
  if (args.byEmail === true) scope.authorKey = "email";
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
  maxCoupling: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe("Maximum coupling degree in percent (default 100)"),
};

/** The thresholds given in `args`. */
export function thresholdsOf(args: {
  minRevs?: number | undefined;
  minSharedRevs?: number | undefined;
  minCoupling?: number | undefined;
  maxChangesetSize?: number | undefined;
  maxCoupling?: number | undefined;
}): {
  minRevs?: number;
  minSharedRevs?: number;
  minCoupling?: number;
  maxChangesetSize?: number;
  maxCoupling?: number;
} {
  return {
    ...(args.maxCoupling === undefined ? {} : { maxCoupling: args.maxCoupling }),
    ...(args.minRevs === undefined ? {} : { minRevs: args.minRevs }),
    ...(args.minSharedRevs === undefined ? {} : { minSharedRevs: args.minSharedRevs }),
    ...(args.minCoupling === undefined ? {} : { minCoupling: args.minCoupling }),
    ...(args.maxChangesetSize === undefined ? {} : { maxChangesetSize: args.maxChangesetSize }),
  };
}
