/** AI collaboration: usage per day/week/month/session/model/project/block, attribution shares, survival, sessions per stage. */
export { BLOCK_MS, sessionBlocks } from "./blocks.js";
export type { BlockInfo } from "./blocks.js";
export { dedupeUsage, loadUsage, preferUsage } from "./usage-events.js";
export type { UsageEntry, UsageFilter } from "./usage-events.js";
export {
  addUsage,
  emptyTotals,
  modelKey,
  mondayOf,
  USAGE_GROUPINGS,
  usageReport,
} from "./usage-report.js";
export type {
  ModelUsage,
  UsageGrouping,
  UsageReport,
  UsageReportOptions,
  UsageRow,
  UsageTotals,
} from "./usage-report.js";
export { collaborationReport } from "./collaboration.js";
export type {
  CollaborationGit,
  CollaborationOptions,
  CollaborationReport,
  GitCommitLines,
  LineFate,
} from "./collaboration.js";
export { aiStageReport, NO_PROJECT_STAGE, StageTimeline, UNKNOWN_STAGE } from "./stages.js";
export type { AiStageReport, AiStageReportOptions, StageAiRow } from "./stages.js";
