/**
 * @module @devflow/monitors
 * DevFlow monitors: files, git, builds and tests, the machine, and active time.
 * Everything exported here is public API, listed by name; internal helpers stay inside.
 */
export { MONITORS_ERRORS } from "./errors.js";
export type { MonitorsErrorCode } from "./errors.js";
export { BaseMonitor } from "./base-monitor.js";
export type {
  MonitorContext,
  MonitorHealth,
  MonitorProject,
  MonitorStatus,
} from "./base-monitor.js";
export { MonitorsConfigSchema } from "./config.js";
export type { MonitorsConfig } from "./config.js";
export { applyMessagePolicy, REDACTED_EMAIL, REDACTED_SECRET, redactText } from "./privacy.js";
export type { MessagePolicy } from "./privacy.js";
export { GitMonitor, gitMonitorStateKey } from "./git-monitor.js";
export { productionBranch, readTags, trackedFiles, workingTreeChanges } from "./git/repo-facts.js";
export type { GitTagRef } from "./git/repo-facts.js";
export type { GitMonitorOptions } from "./git-monitor.js";
export { gitImportStateKey, IMPORT_BATCH_SIZE, importGitHistory } from "./git/history-import.js";
export type {
  GitImportState,
  ImportGitHistoryOptions,
  ImportGitHistoryResult,
} from "./git/history-import.js";
export {
  GIT_LOG_FORMAT,
  gitLogArgs,
  GitLogParser,
  parseGitLog,
  unquoteGitPath,
} from "./git/git-log-parser.js";
export type { ParsedCommit, ParsedFile } from "./git/git-log-parser.js";
export {
  canonicalTrailerKey,
  groupTrailers,
  parseConventionalCommit,
  parseTrailers,
} from "./git/conventional.js";
export type { ConventionalCommit, Trailer } from "./git/conventional.js";
export type { GitMonitorState } from "./git/scan.js";
export { countLinesOfCode, countNonBlankLines } from "./git/loc.js";
export type { CountLinesOptions } from "./git/loc.js";
export { blameOrigins, commitLines, gitLineReader } from "./git/line-history.js";
export type { GitCommitLines, GitLineReader } from "./git/line-history.js";
export { FileMonitor } from "./file-monitor.js";
export type { FileMonitorConfig, FileMonitorOptions, WatcherFactory } from "./file-monitor.js";
export { createIgnoreMatcher, isTempFileName } from "./ignore-rules.js";
export type { IgnoreMatcher, IgnoreMatcherOptions, PathKind } from "./ignore-rules.js";
export { detectLanguage } from "./language.js";
export { PerfMonitor } from "./perf-monitor.js";
export type { PerfMonitorOptions, RunOptions, RunResult } from "./perf-monitor.js";
export { classifyCommand, classifyScript, sanitizeCommand } from "./perf/classify.js";
export type { RunClass } from "./perf/classify.js";
export { parseIstanbulSummary, parseJUnitXml, parseLcov } from "./perf/reports.js";
export type { CoverageSummary, JUnitSummary, ReportFormat } from "./perf/reports.js";
export { reportFormatOf } from "./perf/report-watcher.js";
export { diskUsedPercent, SystemMonitor, SystemSampler } from "./system-monitor.js";
export type { SystemMonitorOptions, SystemSample } from "./system-monitor.js";
export { ACTIVITY_SIGNAL_PATTERNS, ActivityTracker } from "./activity-tracker.js";
export type { ActivityTrackerOptions } from "./activity-tracker.js";
export { activeTime, computeActiveTime } from "./activity/active-time.js";
export type {
  ActiveTimeGrouping,
  ActiveTimeQuery,
  ActiveTimeResult,
  ActivitySpan,
} from "./activity/active-time.js";
export { heartbeatOf, isTestPath } from "./activity/signals.js";
export type { HeartbeatData } from "./activity/signals.js";

// AI-assistant sessions: readers, normalised events, pricing, process detection, attribution.
export {
  AI_SESSIONS_STATE_KEY,
  AiderReader,
  AiMonitor,
  AiMonitorConfigSchema,
  AiProcessScanner,
  aiReaderStateKey,
  AiReaderStates,
  AiSessionSpans,
  aiSourceEnvironment,
  attributeCommits,
  betterRank,
  classifyAiProcess,
  ClaudeCodeReader,
  claudeProjectDirs,
  CodexReader,
  emptyReaderState,
  GeminiCliReader,
  lineFingerprint,
  MemoryUsageKeys,
  messageEvidence,
  ModelPriceSchema,
  normaliseModelId,
  parseAiderCount,
  parseAiNote,
  PRICE_TABLE_SOURCE,
  PriceTable,
  emitAiSources,
  readAiEvents,
  recordToEvent,
  syncAiSources,
} from "./ai/index.js";
export type {
  AiderReaderOptions,
  AiEvidence,
  AiMonitorConfig,
  AiMonitorOptions,
  AiNote,
  AiProcess,
  AiProcessClass,
  AiProcessRow,
  AiProjectRoot,
  AiReadResult,
  AiRecord,
  AiSourceReader,
  AiSourceRoots,
  AiTool,
  AttributeCommitsOptions,
  AttributeCommitsResult,
  EmitAiSourcesOptions,
  ClaudeCodeReaderOptions,
  CodexReaderOptions,
  CommitAttribution,
  CommitIdentity,
  CommitWithLines,
  Confidence,
  CostEstimate,
  DirectoryCache,
  DirListing,
  EditRecord,
  FileCursor,
  GeminiCliReaderOptions,
  LineSlice,
  ModelPrice,
  PromptRecord,
  ReadAiEventsOptions,
  ReaderFileState,
  ReaderState,
  ReadOptions,
  ReadStats,
  RecordToEventOptions,
  SessionRecord,
  SourceEnvironment,
  SourceRoot,
  StateChanges,
  SyncAiResult,
  TailResult,
  TokenCounts,
  ToolCategory,
  ToolUseRecord,
  UsageKeyStore,
  UsageRank,
  UsageRecord,
} from "./ai/index.js";
