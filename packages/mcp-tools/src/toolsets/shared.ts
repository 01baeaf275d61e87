/** Arguments and helpers several toolsets share. */
import type { Period } from "@devflow/analyzers";
import { parsePeriod as parseTimePeriod } from "@devflow/events";
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

/**
 * A period as the analyzers take it, by the one time grammar in UTC: a duration back from now
 * (`90m` = 90 minutes, `7d`, `3mo`), `all`, or any natural range (`today`, `last_week`, `A/B`),
 * ending at most at now (the same grammar as `parsePeriod`).
 *
 * @throws DevflowError `EVENTS_BAD_PERIOD` naming the value and listing what is accepted.
 */
export function analysisPeriod(
  ctx: ToolContext,
  period: string | undefined,
  fallback: string,
): Period {
  const now = ctx.clock().getTime();
  const range = parseTimePeriod(period ?? fallback, { now, zone: "UTC" });
  return { from: range.from, to: Math.min(range.to, now + 1) };
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
