/** Arguments and helpers several toolsets share. */
import { periodEnding, type Period } from "@devflow/analyzers";
import { DevflowError } from "@devflow/events";
import { z } from "zod";
import type { ToolContext } from "../context.js";
import { parsePeriod } from "../time-range.js";

/** The `project` argument. */
export const ProjectArg = z
  .string()
  .max(4096)
  .optional()
  .describe("Project id or a path inside the project; omit when only one project is available.");

/** A period as the analyzers take it: `7d`-style durations (as the CLI) or natural ranges. */
export function analysisPeriod(
  ctx: ToolContext,
  period: string | undefined,
  fallback: string,
): Period {
  const value = (period ?? fallback).trim();
  const now = ctx.clock().getTime();
  if (/^(\d{1,5})(m|h|d|w)$/.test(value) || value === "all") {
    try {
      return periodEnding(value, now);
    } catch (err) {
      throw new DevflowError("TOOLS_BAD_PERIOD", err instanceof Error ? err.message : String(err));
    }
  }
  const range = parsePeriod(value, ctx.clock());
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
