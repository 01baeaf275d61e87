import type Database from "better-sqlite3";
import { DevflowError } from "@devflow/events";

/** Global key/value settings holding JSON values. */
export interface SettingsRepository {
  /** The value stored under `key`, or `undefined`. */
  get<TValue = unknown>(key: string): TValue | undefined;
  /**
   * Stores a JSON-serialisable value (objects, arrays, strings, numbers, booleans, null).
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` for `undefined`, functions or other
   *   values JSON cannot represent.
   */
  set(key: string, value: unknown): void;
  /** Removes `key`; false when it was not set. */
  delete(key: string): boolean;
  /** Every setting, by key. */
  all(): Record<string, unknown>;
}

/** The SQLite implementation of {@link SettingsRepository}. */
export class SqliteSettingsRepository implements SettingsRepository {
  readonly #get: Database.Statement<[string], { value: string }>;
  readonly #set: Database.Statement<[string, string, number]>;
  readonly #delete: Database.Statement<[string]>;
  readonly #all: Database.Statement<[], { key: string; value: string }>;

  constructor(db: Database.Database) {
    this.#get = db.prepare("SELECT value FROM settings WHERE key = ?");
    this.#set = db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.#delete = db.prepare("DELETE FROM settings WHERE key = ?");
    this.#all = db.prepare("SELECT key, value FROM settings ORDER BY key");
  }

  get<TValue = unknown>(key: string): TValue | undefined {
    const row = this.#get.get(key);
    return row === undefined ? undefined : (JSON.parse(row.value) as TValue);
  }

  set(key: string, value: unknown): void {
    if (key === "")
      throw new DevflowError("STORAGE_BAD_ARGUMENT", "a setting key must not be empty");
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      throw new DevflowError(
        "STORAGE_BAD_ARGUMENT",
        `setting ${key}: value is not serialisable as JSON`,
        {
          cause: err,
        },
      );
    }
    if (json === undefined) {
      throw new DevflowError(
        "STORAGE_BAD_ARGUMENT",
        `setting ${key}: value is not serialisable as JSON`,
      );
    }
    this.#set.run(key, json, Date.now());
  }

  delete(key: string): boolean {
    return this.#delete.run(key).changes > 0;
  }

  all(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const row of this.#all.all()) result[row.key] = JSON.parse(row.value) as unknown;
    return result;
  }
}
