/** AI-assistant sessions: readers, normalised events, pricing, process detection, attribution. */
export { AiderReader, parseAiderCount } from "./aider.js";
export type { AiderReaderOptions } from "./aider.js";
export { ClaudeCodeReader } from "./claude.js";
export type { ClaudeCodeReaderOptions } from "./claude.js";
export { CodexReader } from "./codex.js";
export type { CodexReaderOptions } from "./codex.js";
export { AiMonitorConfigSchema, ModelPriceSchema } from "./config.js";
export type { AiMonitorConfig } from "./config.js";
export type { FileCursor, LineSlice, TailResult } from "./file-cursor.js";
export { lineFingerprint } from "./fingerprint.js";
export { GeminiCliReader } from "./gemini.js";
export type { GeminiCliReaderOptions } from "./gemini.js";
export { emptyReaderState } from "./incremental.js";
export type {
  AiSourceReader,
  ReaderFileState,
  ReaderState,
  ReadOptions,
  ReadStats,
  SourceRoot,
  StateChanges,
} from "./incremental.js";
export { PRICE_TABLE_SOURCE } from "./price-table.js";
export type { ModelPrice } from "./price-table.js";
export { normaliseModelId, PriceTable } from "./pricing.js";
export type { CostEstimate } from "./pricing.js";
export { betterRank, MemoryUsageKeys } from "./records.js";
export type {
  AiRecord,
  AiTool,
  EditRecord,
  PromptRecord,
  SessionRecord,
  TokenCounts,
  ToolCategory,
  ToolUseRecord,
  UsageKeyStore,
  UsageRank,
  UsageRecord,
} from "./records.js";
export { aiSourceEnvironment, claudeProjectDirs } from "./roots.js";
export type { AiSourceRoots, DirectoryCache, DirListing, SourceEnvironment } from "./roots.js";
export { aiReaderStateKey, AiReaderStates } from "./reader-store.js";
export { AI_SESSIONS_STATE_KEY, AiSessionSpans } from "./session-spans.js";
export { emitAiSources, readAiEvents, syncAiSources } from "./sync.js";
export type {
  AiReadResult,
  EmitAiSourcesOptions,
  ReadAiEventsOptions,
  SyncAiResult,
} from "./sync.js";
export { recordToEvent } from "./to-events.js";
export type { AiProjectRoot, RecordToEventOptions } from "./to-events.js";
export { attributeCommits } from "./attribution.js";
export type {
  AttributeCommitsOptions,
  AttributeCommitsResult,
  CommitAttribution,
} from "./attribution.js";
export { messageEvidence, parseAiNote } from "./attribution-signals.js";
export type { AiEvidence, AiNote, CommitIdentity, Confidence } from "./attribution-signals.js";
export type { CommitWithLines } from "./commit-log.js";
export { AiMonitor } from "./ai-monitor.js";
export type { AiMonitorOptions } from "./ai-monitor.js";
export { AiProcessScanner, classifyAiProcess } from "./process-detect.js";
export type { AiProcess, AiProcessClass, AiProcessRow } from "./process-detect.js";
