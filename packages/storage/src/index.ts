/**
 * @module @devflow/storage
 * DevFlow's SQLite storage: the drizzle schema and committed migrations, repositories, the
 * batch event sink with incremental rollups, retention, online backup and JSONL export/import.
 * Everything exported here is public API; add names deliberately. The drizzle tables are the
 * `@devflow/storage/schema` subpath.
 */
export { STORAGE_ERRORS } from "./errors.js";
export type { StorageErrorCode } from "./errors.js";
export { StorageConfigSchema, SYNCHRONOUS_MODES } from "./config.js";
export type { StorageConfig, SynchronousMode } from "./config.js";
export { MIGRATIONS_FOLDER } from "./database.js";
export type { StorageDatabase } from "./database.js";
export { EXPORT_FORMAT, EXPORT_VERSION } from "./jsonl-export.js";
export type { ExportOptions, ExportResult } from "./jsonl-export.js";
export { IMPORT_BATCH_ROWS, MAX_REPORTED_ERRORS } from "./jsonl-import.js";
export type { ImportError, ImportResult } from "./jsonl-import.js";
export { PRUNE_CHUNK_ROWS } from "./maintenance.js";
export type {
  AppliedMigration,
  BackupResult,
  IntegrityReport,
  PruneOptions,
  PruneResult,
  StorageInfo,
} from "./maintenance.js";
export { openStorage } from "./open.js";
export type { OpenStorageOptions, Storage } from "./open.js";
/** The hash-chained security audit log on SQLite (`storage.audit`). */
export {
  AUDIT_PAGE_ROWS,
  AUDIT_QUERY_DEFAULT_LIMIT,
  AUDIT_QUERY_MAX_LIMIT,
  DEFAULT_AUDIT_ANCHOR_EVERY,
  SqliteAuditStore,
} from "./repositories/audit.js";
export type { AuditQuery, AuditRepository, AuditStoreOptions } from "./repositories/audit.js";
/** Accounts and credentials (`storage.auth`) and the encrypted vault (`storage.vault`). */
export { SqliteAuthStore } from "./repositories/auth.js";
export { SqliteVaultStore } from "./repositories/vault.js";
export { CommitInputSchema, SqliteCommitRepository } from "./repositories/commits.js";
export type {
  CommitAuthorKey,
  CommitCursor,
  CommitFile,
  CommitFileChangeRow,
  CommitFileStreamQuery,
  CommitInput,
  CommitNode,
  CommitRepository,
  CommitStreamQuery,
  CommitTotalsRow,
  StoredCommit,
} from "./repositories/commits.js";
export { SqliteEventRepository } from "./repositories/events.js";
export type {
  DurationByValue,
  EventCursor,
  EventFilter,
  EventQuery,
  EventRepository,
  FieldStats,
  HourlyTypeCount,
  NumericStats,
  TimeRangeQuery,
  TypeRangeQuery,
} from "./repositories/events.js";
export { SqliteProjectRepository } from "./repositories/projects.js";
export {
  canonicalPath,
  listProjects,
  looksLikePath,
  MAX_LISTED_PROJECTS,
  resolveProjectRef,
} from "./repositories/project-resolver.js";
export type { ResolveProjectOptions } from "./repositories/project-resolver.js";
export type { NewProject, Project, ProjectRepository } from "./repositories/projects.js";
export { SqliteRollupRepository } from "./repositories/rollups.js";
export type { RollupPoint, RollupRepository, RollupSeriesQuery } from "./repositories/rollups.js";
export { SqliteSettingsRepository } from "./repositories/settings.js";
export type { SettingsRepository } from "./repositories/settings.js";
export { SqliteWorkRepository } from "./repositories/work.js";
export type {
  CommitRangeQuery,
  MetricQuery,
  MetricSampleInput,
  StageTransitionInput,
  StageTransitionQuery,
  StoredMetricSample,
  StoredStageTransition,
  WorkRepository,
} from "./repositories/work.js";
/** The AI readers' incremental state (`storage.aiReaders`); never exported. */
export { SqliteAiReaderRepository } from "./repositories/ai-readers.js";
export type {
  AiFileCursorRow,
  AiReaderChange,
  AiReaderChanges,
  AiReaderCounts,
  AiReaderDirRow,
  AiReaderFileRow,
  AiReaderRepository,
  AiReaderRow,
  AiSessionSpanRow,
  AiUsageKeyRow,
} from "./repositories/ai-readers.js";
export { BUCKET_MS, bucketStart, ROLLUP_BUCKETS } from "./rollup-buckets.js";
export type { RollupBucket } from "./rollup-buckets.js";
export type { StorageSink } from "./sink.js";
export { EXPORT_TABLES } from "./tables.js";
export type { ExportTable } from "./tables.js";
