import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setImmediate as nextTick } from "node:timers/promises";
import type Database from "better-sqlite3";
import { DevflowError, type Logger } from "@devflow/events";
import { isMemoryPath, MIGRATIONS_FOLDER } from "./database.js";

/** Options of `storage.prune`. */
export interface PruneOptions {
  /** Keep raw events this many days back; defaults to the storage's `retentionDays` (30). */
  retentionDays?: number;
  /** The current time (ms UTC), for tests and replays. */
  now?: number;
}

/** What `storage.prune` removed. */
export interface PruneResult {
  /** Raw events deleted. */
  deleted: number;
  /** Events with `timestamp < cutoff` were deleted (ms UTC). */
  cutoff: number;
}

/** Rows deleted per transaction, so a long purge never holds the write lock for long. */
export const PRUNE_CHUNK_ROWS = 5000;
const DAY_MS = 86_400_000;

/** Deletes raw events older than the cutoff in chunks, yielding to the event loop in between. */
export async function pruneEvents(
  db: Database.Database,
  options: PruneOptions & { retentionDays: number },
  logger: Logger,
): Promise<PruneResult> {
  const { retentionDays } = options;
  if (!Number.isFinite(retentionDays) || retentionDays < 0) {
    throw new DevflowError("STORAGE_BAD_ARGUMENT", "retentionDays must be a non-negative number");
  }
  const cutoff = (options.now ?? Date.now()) - Math.round(retentionDays * DAY_MS);
  const chunk = db.prepare<[number, number]>(
    "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE timestamp < ? LIMIT ?)",
  );
  const deleteChunk = db.transaction(() => chunk.run(cutoff, PRUNE_CHUNK_ROWS).changes);
  let deleted = 0;
  for (;;) {
    const n = deleteChunk.immediate();
    deleted += n;
    if (n < PRUNE_CHUNK_ROWS) break;
    await nextTick();
  }
  logger.info({ deleted, cutoff, retentionDays }, "storage pruned raw events");
  return { deleted, cutoff };
}

/** What `storage.backup` wrote. */
export interface BackupResult {
  /** Absolute path of the backup file. */
  path: string;
  bytes: number;
  durationMs: number;
}

/**
 * Copies the live database with SQLite's online backup API (never a raw file copy).
 *
 * @throws {@link DevflowError} `STORAGE_BACKUP_EXISTS` when `destPath` exists,
 *   `STORAGE_BACKUP_FAILED` when the copy fails (the partial file is removed).
 */
export async function backupDatabase(
  db: Database.Database,
  destPath: string,
  logger: Logger,
): Promise<BackupResult> {
  const path = resolve(destPath);
  if (existsSync(path)) {
    throw new DevflowError(
      "STORAGE_BACKUP_EXISTS",
      `backup target ${path} already exists; refusing to overwrite it`,
      {
        data: { path },
      },
    );
  }
  const started = performance.now();
  try {
    mkdirSync(dirname(path), { recursive: true });
    await db.backup(path);
  } catch (err) {
    rmSync(path, { force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw new DevflowError("STORAGE_BACKUP_FAILED", `backup to ${path} failed: ${reason}`, {
      cause: err,
      data: { path },
    });
  }
  const result = { path, bytes: statSync(path).size, durationMs: performance.now() - started };
  logger.info(result, "storage backup written");
  return result;
}

/** The result of `storage.integrityCheck`. */
export interface IntegrityReport {
  ok: boolean;
  /** `PRAGMA integrity_check` messages and foreign-key violations; empty when ok. */
  problems: string[];
}

/** Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check`. */
export function checkIntegrity(db: Database.Database): IntegrityReport {
  const integrity = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
  const problems = integrity.map((r) => r.integrity_check).filter((m) => m !== "ok");
  const violations = db.pragma("foreign_key_check") as Array<{
    table: string;
    rowid: number;
    parent: string;
  }>;
  for (const v of violations) {
    problems.push(
      `foreign key violation: ${v.table} row ${v.rowid} references a missing ${v.parent} row`,
    );
  }
  return { ok: problems.length === 0, problems };
}

/** One applied drizzle migration. */
export interface AppliedMigration {
  /** The migration's file name without `.sql`, e.g. `0000_init`. */
  tag: string;
  hash: string;
  /** When the migration was generated (ms UTC), drizzle's ordering key. */
  createdAt: number;
}

/** The result of `storage.info`. */
export interface StorageInfo {
  path: string;
  /** Size of the main database file (0 in memory). */
  sizeBytes: number;
  /** Size of the `-wal` file (0 when absent). */
  walBytes: number;
  /** Raw events stored. */
  events: number;
  oldestEventAt: number | null;
  newestEventAt: number | null;
  migrations: AppliedMigration[];
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function journalTags(): Map<number, string> {
  const journal = JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  ) as {
    entries: Array<{ when: number; tag: string }>;
  };
  return new Map(journal.entries.map((e) => [e.when, e.tag]));
}

/** Sizes, event span and applied migrations of the database. */
export function describeDatabase(db: Database.Database, path: string): StorageInfo {
  const span = db
    .prepare("SELECT COUNT(*) AS n, MIN(timestamp) AS oldest, MAX(timestamp) AS newest FROM events")
    .get() as { n: number; oldest: number | null; newest: number | null };
  const tags = journalTags();
  const applied = db
    .prepare("SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at")
    .all() as Array<{ hash: string; created_at: number | string }>;
  const memory = isMemoryPath(path);
  return {
    path,
    sizeBytes: memory ? 0 : fileSize(path),
    walBytes: memory ? 0 : fileSize(`${path}-wal`),
    events: span.n,
    oldestEventAt: span.oldest,
    newestEventAt: span.newest,
    migrations: applied.map((m) => {
      const createdAt = Number(m.created_at);
      return { tag: tags.get(createdAt) ?? "unknown", hash: m.hash, createdAt };
    }),
  };
}
