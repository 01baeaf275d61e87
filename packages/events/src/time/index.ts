/**
 * @module time
 * The one time grammar of DevFlow: durations, instants, periods and time zones. Every face (CLI
 * flags, MCP tool arguments, analyzer options) parses times through it, so `90m` is 90 minutes
 * everywhere.
 */
export {
  DURATION_HINT,
  DURATION_UNITS,
  durationMs,
  parseDuration,
  shiftInstant,
} from "./duration.js";
export type { Duration } from "./duration.js";
export { INSTANT_HINT, parseDay, parseInstant, zoneOf } from "./instant.js";
export type { TimeContext } from "./instant.js";
export { PERIOD_HINT, PERIOD_WORDS, parsePeriod, periodBetween, previousRange } from "./period.js";
export type { TimeRange } from "./period.js";
export { DAY_MS, TimeZone } from "./zone.js";
export type { LocalParts } from "./zone.js";
