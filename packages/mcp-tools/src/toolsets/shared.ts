/** Arguments and helpers several toolsets share. */
import type { Period } from "@devflow/analyzers";
import { parseInstant, parsePeriod as parseTimePeriod } from "@devflow/events";
import { z } from "zod";
import type { ToolContext } from "../context.js";

/** The `project` argument. */
export const ProjectArg = z
  .string()
  .max(4096)
  .optional()
  .describe(
    "Project id, exact name, or a path inside the project (absolute or ./relative); omit when only one project is available.",
  );

/** The `until` argument of the analyses of the work: the end of their period. */
export const UntilArg = z
  .string()
  .max(64)
  .optional()
  .describe(
    "End of the period: an ISO date or date-time (UTC), epoch ms, now/today/yesterday, or an age like 2d; default now.",
  );

/**
 * A period as the analyzers take it, by the one time grammar in UTC: a duration back from
 * `until` (default now; `90m` = 90 minutes, `7d`, `3mo`), `all`, or any natural range
 * (`today`, `last_week`, `A/B`), ending at most at `until`; plus `until` itself (ms).
 *
 * @throws DevflowError `EVENTS_BAD_PERIOD` / `EVENTS_BAD_INSTANT` naming the value and listing
 *   what is accepted.
 */
export function analysisWindow(
  ctx: ToolContext,
  args: { period?: string | undefined; until?: string | undefined },
  fallback: string,
): { period: Period; until: number } {
  const now = ctx.clock().getTime();
  const until = args.until === undefined ? now : parseInstant(args.until, { now, zone: "UTC" });
  const range = parseTimePeriod(args.period ?? fallback, { now: until, zone: "UTC" });
  return { period: { from: range.from, to: Math.min(range.to, until + 1) }, until };
}

/** {@link analysisWindow}'s period ending now. */
export function analysisPeriod(
  ctx: ToolContext,
  period: string | undefined,
  fallback: string,
): Period {
  return analysisWindow(ctx, { period }, fallback).period;
}

/** ms → ISO 8601, null-safe. */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** A period as ISO strings. */
export const PeriodOut = z.object({ from: z.string(), to: z.string() });

/** {@link Period} as ISO strings. */
export function periodOut(p: Period): { from: string; to: string } {
  return { from: new Date(p.from).toISOString(), to: new Date(p.to).toISOString() };
}
