/**
 * @module @devflow/events
 * The bottom layer of DevFlow: the event envelope and typed catalog (zod), the batching
 * event engine, heartbeat merging, the `Logger` interface, `DevflowError` and the time grammar
 * (durations, instants, periods, time zones).
 * Everything exported here is public API.
 */
export { EngineConfigSchema } from "./config.js";
export type { EngineConfig } from "./config.js";
export { EventEngine } from "./engine.js";
export type { EmitOutcome, EmitResult, EventEngineOptions, EventHandler } from "./engine.js";
export {
  CATEGORIES,
  defineEvent,
  newEventId,
  RelativePathSchema,
  SEVERITIES,
  SeveritySchema,
} from "./envelope.js";
export type { Category, Severity } from "./envelope.js";
export { DevflowError, EVENTS_ERRORS, isDevflowError, toDevflowError } from "./errors.js";
export type {
  DevflowErrorCode,
  DevflowErrorCodes,
  DevflowErrorOptions,
  ErrorCodeShape,
  ErrorCodes,
  ErrorLayer,
  EventsErrorCode,
} from "./errors.js";
export { HeartbeatMerger, isHeartbeat, mergeHeartbeat } from "./heartbeat.js";
export type { HeartbeatEvent } from "./heartbeat.js";
export { noopLogger } from "./logger.js";
export type { LogFn, Logger } from "./logger.js";
export { compilePattern } from "./pattern.js";
export { DevflowEventSchema, EVENT_TYPES } from "./schemas.js";
export type { DevflowEvent, EventData, EventInput, EventOf, EventType } from "./schemas.js";
export { SECURITY_ACTIONS } from "./catalog/people.js";
export type { BatchReport, EventSink, SinkResult } from "./sink.js";
export type { EngineStatsSnapshot } from "./stats.js";
export {
  DAY_MS,
  DURATION_HINT,
  DURATION_UNITS,
  durationMs,
  INSTANT_HINT,
  PERIOD_HINT,
  PERIOD_WORDS,
  parseDay,
  parseDuration,
  parseInstant,
  parsePeriod,
  periodBetween,
  previousRange,
  shiftInstant,
  TimeZone,
  zoneOf,
} from "./time/index.js";
export type { Duration, LocalParts, TimeContext, TimeRange } from "./time/index.js";
export {
  DEFAULT_MAX_DATA_BYTES,
  isValidatedEvent,
  toFieldIssues,
  validateEvent,
} from "./validate.js";
export type { FieldIssue, ValidateEventOptions } from "./validate.js";
