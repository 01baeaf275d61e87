import { resolve } from "node:path";
import { DevflowError, type Logger, noopLogger } from "@devflow/events";
import type { SynchronousMode } from "./config.js";
import { isMemoryPath, openDatabase, type StorageDatabase } from "./database.js";
import { type ExportOptions, type ExportResult, exportJsonl } from "./jsonl-export.js";
import { type ImportResult, importJsonl } from "./jsonl-import.js";
import {
  type BackupResult,
  backupDatabase,
  checkIntegrity,
  describeDatabase,
  type IntegrityReport,
  type PruneOptions,
  type PruneResult,
  pruneEvents,
  type StorageInfo,
} from "./maintenance.js";
import { type AuditRepository, SqliteAuditStore } from "./repositories/audit.js";
import { SqliteAuthStore } from "./repositories/auth.js";
import { SqliteVaultStore } from "./repositories/vault.js";
import { type CommitRepository, SqliteCommitRepository } from "./repositories/commits.js";
import { type EventRepository, SqliteEventRepository } from "./repositories/events.js";
import { type ProjectRepository, SqliteProjectRepository } from "./repositories/projects.js";
import { type RollupRepository, SqliteRollupRepository } from "./repositories/rollups.js";
import { type SettingsRepository, SqliteSettingsRepository } from "./repositories/settings.js";
import { SqliteWorkRepository, type WorkRepository } from "./repositories/work.js";
import { type AiReaderRepository, SqliteAiReaderRepository } from "./repositories/ai-readers.js";
import { createStorageSink, EventWriter, type StorageSink } from "./sink.js";

/** Options of {@link openStorage}. */
export interface OpenStorageOptions {
  /** Database file (its directory is created), or `:memory:`. */
  path: string;
  /** SQLite `synchronous` level; default `FULL` (commits survive power loss). */
  synchronous?: SynchronousMode;
  /** Wait this long for another connection's lock before `SQLITE_BUSY` (ms); default 5000. */
  busyTimeoutMs?: number;
  /** Default retention of `prune()` in days; default 30. */
  retentionDays?: number;
  /** Anchor the audit chain after every this many entries; default 1000. */
  auditAnchorEvery?: number;
  logger?: Logger;
}

/**
 * An open DevFlow database: the repositories, the batch sink and maintenance operations over
 * one writer connection. Every write runs in a `BEGIN IMMEDIATE` transaction.
 */
export interface Storage {
  /** The database path as opened (absolute for files). */
  readonly path: string;
  /** The event sink the engine writes batches to. */
  readonly sink: StorageSink;
  readonly events: EventRepository;
  readonly rollups: RollupRepository;
  readonly projects: ProjectRepository;
  readonly settings: SettingsRepository;
  readonly commits: CommitRepository;
  /** The hash-chained security audit log (`security_events`, `audit_anchors`). */
  readonly audit: AuditRepository;
  /** Users, role bindings, sessions, refresh tokens, API keys and login throttling. */
  readonly auth: SqliteAuthStore;
  /** The encrypted secrets vault (ciphertexts only). */
  readonly vault: SqliteVaultStore;
  /** Stage transitions, metric samples and the commit reads of the analyses of the work. */
  readonly work: WorkRepository;
  /** The AI readers' incremental state (cursors, listings, de-duplication keys, sessions). */
  readonly aiReaders: AiReaderRepository;
  /** Deletes raw events older than the retention in chunks of 5000 rows; rollups are kept. */
  prune(options?: PruneOptions): Promise<PruneResult>;
  /** Online backup to a new file; refuses to overwrite (`STORAGE_BACKUP_EXISTS`). */
  backup(destPath: string): Promise<BackupResult>;
  /** `PRAGMA integrity_check` plus `PRAGMA foreign_key_check`. */
  integrityCheck(): IntegrityReport;
  /** File sizes, event count and span, applied migrations. */
  info(): StorageInfo;
  /** Streams every table (or one project's rows) as JSONL; see the README for the format. */
  exportJsonl(
    target: string | NodeJS.WritableStream,
    options?: ExportOptions,
  ): Promise<ExportResult>;
  /** Imports a JSONL export, reporting bad lines without aborting. */
  importJsonl(source: string | NodeJS.ReadableStream): Promise<ImportResult>;
  /** Closes the connection; further calls fail. Idempotent. */
  close(): void;
}

/**
 * Opens (creating and migrating when needed) the DevFlow database: WAL, `synchronous=FULL`
 * by default, `busy_timeout`, `foreign_keys=ON`, `wal_autocheckpoint=1000`,
 * `journal_size_limit=64 MiB`.
 *
 * @throws {@link DevflowError} `STORAGE_OPEN_FAILED` (corrupt file, not a database, no
 *   permission, failed migration) with the path in the message.
 */
export function openStorage(options: OpenStorageOptions): Storage {
  const logger = options.logger ?? noopLogger;
  const path = isMemoryPath(options.path) ? options.path : resolve(options.path);
  const retentionDays = options.retentionDays ?? 30;
  const orm = openDatabase({
    path,
    synchronous: options.synchronous ?? "FULL",
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    logger,
  });
  const db = orm.$client;
  const writer = new EventWriter(db);
  const sink = createStorageSink(db, writer, logger);
  const storage: Storage = {
    path,
    sink,
    events: new SqliteEventRepository(db, sink),
    rollups: new SqliteRollupRepository(db),
    projects: new SqliteProjectRepository(orm),
    settings: new SqliteSettingsRepository(db),
    commits: new SqliteCommitRepository(db),
    audit: new SqliteAuditStore(
      db,
      options.auditAnchorEvery === undefined ? {} : { anchorEvery: options.auditAnchorEvery },
    ),
    work: new SqliteWorkRepository(db, sink),
    aiReaders: new SqliteAiReaderRepository(db),
    auth: new SqliteAuthStore(db),
    vault: new SqliteVaultStore(db),
    prune: (opts = {}) =>
      pruneEvents(db, { ...opts, retentionDays: opts.retentionDays ?? retentionDays }, logger),
    backup: (destPath) => backupDatabase(db, destPath, logger),
    integrityCheck: () => checkIntegrity(db),
    info: () => describeDatabase(db, path),
    exportJsonl: (target, opts = {}) => exportJsonl(db, target, opts, logger),
    importJsonl: (source) => importJsonl(db, writer, source, logger),
    close: () => {
      if (db.open) db.close();
    },
  };
  connections.set(storage, orm);
  return storage;
}

/**
 * The connection behind each open {@link Storage}: reachable inside this package only (and
 * from tests through the `@devflow/storage/testing` entry), never through the `Storage` type.
 */
const connections = new WeakMap<Storage, StorageDatabase>();

/**
 * The drizzle handle of an open storage, for this package's own modules and its test entry.
 *
 * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` for an object `openStorage` did not return.
 */
export function connectionOf(storage: Storage): StorageDatabase {
  const orm = connections.get(storage);
  if (!orm) {
    throw new DevflowError("STORAGE_BAD_ARGUMENT", "not a storage returned by openStorage()");
  }
  return orm;
}
