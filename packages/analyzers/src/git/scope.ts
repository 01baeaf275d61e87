import { z } from "zod";
import { DevflowError, TimeZone, toFieldIssues } from "@devflow/events";
import { type ComponentGroup, createEntityMapper, type EntityMapper } from "./paths.js";

const ms = z.number().int().nonnegative();

/** Schema of a {@link GitScope}; see the field docs there. */
export const GitScopeSchema = z
  .strictObject({
    projectId: z.string().min(1),
    since: ms.optional(),
    until: ms.optional(),
    include: z.array(z.string().min(1)).optional(),
    exclude: z.array(z.string().min(1)).optional(),
    groups: z
      .array(z.strictObject({ pattern: z.instanceof(RegExp), name: z.string().min(1) }))
      .optional(),
    temporalPeriodDays: z.number().int().min(1).max(3660).optional(),
    authorKey: z.enum(["name", "email"]).optional(),
    timeZone: z.string().min(1).optional(),
  })
  .refine((s) => s.since === undefined || s.until === undefined || s.since < s.until, {
    message: "since must be before until",
    path: ["since"],
  });

/**
 * Which stored commit facts an analysis reads, and how it groups them: the project, an
 * authored-time range, path filters, component grouping and temporal grouping.
 */
export interface GitScope {
  /** The project whose `commits`/`commit_files` rows are read. */
  projectId: string;
  /** Only commits authored at or after this instant (ms). */
  since?: number;
  /** Only commits authored before this instant (ms). */
  until?: number;
  /** Globs a path must match (see {@link createPathMatcher}); none means all paths. */
  include?: string[];
  /** Globs that drop paths. */
  exclude?: string[];
  /** Component grouping (code-maat's `-g` layers); see {@link parseComponentGroups}. */
  groups?: ComponentGroup[];
  /**
   * Temporal grouping: all commits of one author within the same period of this many local
   * days form one logical change (1: a day; 7: a week from Monday; periods are counted from
   * Monday 1970-01-05). Unset: every commit is a change.
   */
  temporalPeriodDays?: number;
  /** What identifies an author: the (`.mailmap`-resolved) name, as code-maat, or the e-mail. */
  authorKey?: "name" | "email";
  /** IANA zone for days, months and temporal periods; default `UTC`. */
  timeZone?: string;
}

/** A validated {@link GitScope} with its mapper and zone built. */
export interface ResolvedScope {
  readonly projectId: string;
  readonly since: number | undefined;
  readonly until: number | undefined;
  readonly mapper: EntityMapper;
  readonly temporalPeriodDays: number | undefined;
  readonly authorKey: "name" | "email";
  readonly zone: TimeZone;
  /** The scope as given (for reports). */
  readonly scope: GitScope;
}

/**
 * Validates a scope and builds its entity mapper and time zone.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` naming the bad field, `EVENTS_BAD_TIME_ZONE`
 *   for an unknown zone.
 */
export function resolveScope(scope: GitScope | ResolvedScope): ResolvedScope {
  if ("mapper" in scope) return scope;
  const parsed = GitScopeSchema.safeParse(scope);
  if (!parsed.success) throw badOptions(parsed.error, "scope");
  return {
    projectId: scope.projectId,
    since: scope.since,
    until: scope.until,
    mapper: createEntityMapper(scope),
    temporalPeriodDays: scope.temporalPeriodDays,
    authorKey: scope.authorKey ?? "name",
    zone: TimeZone.of(scope.timeZone),
    scope,
  };
}

/** A `ANALYZERS_BAD_ARGUMENT` error listing every issue of a failed zod parse. */
export function badOptions(error: z.ZodError, what: string): DevflowError {
  const issues = toFieldIssues(error, what);
  return new DevflowError(
    "ANALYZERS_BAD_ARGUMENT",
    `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    { data: { issues } },
  );
}

/** Parses `value` with `schema`, throwing {@link badOptions} on failure. */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw badOptions(parsed.error, what);
  return parsed.data;
}
