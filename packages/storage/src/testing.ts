/**
 * @module @devflow/storage/testing
 * Test-only access to the SQLite connection behind a {@link Storage}, for tests that must
 * reach under the repositories (corrupting a row, forcing a WAL checkpoint, inspecting the
 * ciphertext on disk). Product code never imports this entry (a lint rule enforces it): it
 * goes through the repositories, which are what another backend implements.
 */
import Database from "better-sqlite3";
import type { StorageDatabase } from "./database.js";
import { connectionOf } from "./open.js";
import type { Storage } from "./open.js";

/**
 * The better-sqlite3 connection of an open storage (tests only).
 *
 * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` for an object `openStorage` did not return.
 */
export function sqliteOf(storage: Storage): Database.Database {
  return connectionOf(storage).$client;
}

/**
 * The drizzle handle of an open storage (tests only).
 *
 * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` for an object `openStorage` did not return.
 */
export function drizzleOf(storage: Storage): StorageDatabase {
  return connectionOf(storage);
}

/**
 * A separate read-only connection to a database file (tests only), to check what is really on
 * disk, e.g. after the process that wrote it was killed. The caller closes it.
 */
export function openReadonly(path: string): Database.Database {
  return new Database(path, { readonly: true });
}
