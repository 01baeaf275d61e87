/**
 * Natural time ranges for tools, the MCP face of the one time grammar (`@devflow/events`):
 * `today`, `yesterday`, `this_week`, `last_week`, `this_month`, `last_month`, `this_year`,
 * durations back from now (`90m` = minutes, `24h`, `7d`, `4w`, `3mo` = months), ISO dates (a
 * whole UTC day), ISO instants and `A/B` or `A..B` ranges. All in UTC.
 */
import { parsePeriod as parseTimePeriod, PERIOD_HINT, type TimeRange } from "@devflow/events";
import { z } from "zod";

export { previousRange } from "@devflow/events";
export type { TimeRange } from "@devflow/events";

/** The zod schema of a period argument, described for a model. */
export const PeriodSchema = z
  .string()
  .max(64)
  .describe(`Time range (UTC): ${PERIOD_HINT}. Default 7d.`);

/**
 * Parses a period at `now` in UTC. A range that runs to `now` (a duration, a lone instant)
 * ends at `now + 1` ms, so it includes what happened at `now`.
 *
 * @throws DevflowError `EVENTS_BAD_PERIOD` naming the value and listing what is accepted.
 */
export function parsePeriod(period: string | undefined, now: Date, fallback = "7d"): TimeRange {
  const t = now.getTime();
  const range = parseTimePeriod(period ?? fallback, { now: t, zone: "UTC" });
  return range.to === t ? { from: range.from, to: t + 1 } : range;
}
