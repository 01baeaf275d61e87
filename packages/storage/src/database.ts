import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { DevflowError, type Logger } from "@devflow/events";
import type { SynchronousMode } from "./config.js";
import * as schema from "./schema.js";

/** The committed drizzle-kit migrations; `../drizzle` from both `src/` (vitest) and `dist/`. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** The drizzle handle over the one writer connection; `$client` is the better-sqlite3 database. */
export type StorageDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  path: string;
  synchronous: SynchronousMode;
  busyTimeoutMs: number;
  logger: Logger;
}

/** WAL checkpoint after this many pages (SQLite's default, stated explicitly). */
const WAL_AUTOCHECKPOINT_PAGES = 1000;
/** Truncate the WAL back to this size after a checkpoint. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for paths SQLite treats as in-memory or temporary databases. */
export function isMemoryPath(path: string): boolean {
  return path === "" || path === ":memory:" || path.startsWith("file::memory:");
}

/**
 * Opens (creating when missing) the database file, sets the pragmas and applies pending
 * migrations in one transaction.
 *
 * @throws {@link DevflowError} `STORAGE_OPEN_FAILED` naming the path and the cause.
 */
export function openDatabase(options: OpenDatabaseOptions): StorageDatabase {
  const { path, logger } = options;
  let client: Database.Database | undefined;
  let stage = "opening the file";
  try {
    if (!isMemoryPath(path)) {
      stage = "creating its directory";
      mkdirSync(dirname(path), { recursive: true });
      // A new database holds credentials (hashes) and activity: readable by its owner only.
      // SQLite gives the -wal and -shm files the database file's permissions.
      if (!existsSync(path)) closeSync(openSync(path, "wx", 0o600));
    }
    stage = "opening the file";
    client = new Database(path, { timeout: options.busyTimeoutMs });
    stage = "setting the pragmas";
    client.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
    client.pragma("journal_mode = WAL");
    client.pragma(`synchronous = ${options.synchronous}`);
    client.pragma("foreign_keys = ON");
    client.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    client.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    const db = drizzle({ client, schema });
    stage = "applying the migrations";
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    logger.debug({ path, synchronous: options.synchronous }, "storage opened");
    return db;
  } catch (err) {
    try {
      client?.close();
    } catch {
      // the original error is the one to report
    }
    throw new DevflowError(
      "STORAGE_OPEN_FAILED",
      `cannot open the DevFlow database at ${path} (${stage}): ${message(err)}`,
      { cause: err, data: { path, stage } },
    );
  }
}
