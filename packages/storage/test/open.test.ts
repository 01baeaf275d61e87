// Opening the database: pragmas, directory creation, migrations, open failures, config schema.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import { openStorage, StorageConfigSchema } from "../src/index.js";
import { fileEvent, openTemp, readRows, tempDir } from "./helpers.js";
import { sqliteOf } from "../src/testing.js";

function pragma(storage: ReturnType<typeof openTemp>, name: string): unknown {
  return sqliteOf(storage).pragma(name, { simple: true });
}

describe("openStorage", () => {
  it("sets WAL, synchronous=FULL, busy_timeout, foreign keys, checkpoint and journal limit", () => {
    const storage = openTemp();
    expect(pragma(storage, "journal_mode")).toBe("wal");
    expect(pragma(storage, "synchronous")).toBe(2); // FULL
    expect(pragma(storage, "busy_timeout")).toBe(5000);
    expect(pragma(storage, "foreign_keys")).toBe(1);
    expect(pragma(storage, "wal_autocheckpoint")).toBe(1000);
    expect(pragma(storage, "journal_size_limit")).toBe(64 * 1024 * 1024);
  });

  it("honours synchronous and busyTimeoutMs options", () => {
    const storage = openTemp({ synchronous: "NORMAL", busyTimeoutMs: 1234 });
    expect(pragma(storage, "synchronous")).toBe(1);
    expect(pragma(storage, "busy_timeout")).toBe(1234);
  });

  it("creates missing parent directories", () => {
    const path = join(tempDir(), "a", "b", "devflow.db");
    const storage = openStorage({ path });
    storage.close();
    expect(readRows(path, "SELECT name FROM sqlite_master WHERE name = 'events'")).toHaveLength(1);
  });

  it("creates every table and applies the migration once, also on reopen", () => {
    const path = join(tempDir(), "devflow.db");
    const first = openStorage({ path });
    first.sink.write([fileEvent()]);
    first.close();
    const second = openStorage({ path });
    const info = second.info();
    second.close();
    expect(info.migrations.map((m) => m.tag)).toEqual([
      "0000_init",
      "0001_audit",
      "0002_auth",
      "0003_ai_readers",
    ]);
    expect(info.events).toBe(1);
    expect(readRows(path, "SELECT COUNT(*) AS n FROM __drizzle_migrations")).toEqual([{ n: 4 }]);
    const tables = readRows(
      path,
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ).map((r) => r.name);
    for (const table of [
      "projects",
      "events",
      "metrics",
      "rollups",
      "stage_transitions",
      "activities",
      "commits",
      "commit_files",
      "settings",
      "security_events",
      "audit_anchors",
      "ai_readers",
      "ai_reader_files",
      "ai_reader_dirs",
      "ai_reader_usage_keys",
      "ai_reader_sessions",
    ]) {
      expect(tables).toContain(table);
    }
  });

  it("indexes every time-range query of events", () => {
    const storage = openTemp();
    const plan = (sql: string): string =>
      (sqliteOf(storage).prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(" | ");
    expect(plan("SELECT * FROM events WHERE timestamp >= 1 AND timestamp < 2")).toMatch(
      /USING INDEX idx_events_timestamp/,
    );
    expect(plan("SELECT * FROM events WHERE project_id = 'p' AND timestamp >= 1")).toMatch(
      /idx_events_project_ts/,
    );
    expect(plan("SELECT * FROM events WHERE type = 'x' AND timestamp >= 1")).toMatch(
      /idx_events_type_ts/,
    );
  });

  it("fails with STORAGE_OPEN_FAILED naming the path for a file that is not a database", () => {
    const path = join(tempDir(), "garbage.db");
    writeFileSync(path, "this is definitely not an SQLite database file, just text ".repeat(100));
    let error: unknown;
    try {
      openStorage({ path });
    } catch (err) {
      error = err;
    }
    expect(isDevflowError(error)).toBe(true);
    expect((error as { code: string }).code).toBe("STORAGE_OPEN_FAILED");
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/not a database/);
  });

  it("fails with STORAGE_OPEN_FAILED when the path is a directory", () => {
    const path = join(tempDir(), "dir.db");
    mkdirSync(path);
    expect(() => openStorage({ path })).toThrow(
      expect.objectContaining({ code: "STORAGE_OPEN_FAILED" }),
    );
  });

  it("works in memory", () => {
    const storage = openStorage({ path: ":memory:" });
    expect(storage.sink.write([fileEvent()]).stored).toBe(1);
    expect(storage.info()).toMatchObject({ sizeBytes: 0, walBytes: 0, events: 1 });
    storage.close();
    storage.close(); // idempotent
  });
});

describe("StorageConfigSchema", () => {
  it("fills the defaults", () => {
    expect(StorageConfigSchema.parse({})).toEqual({
      synchronous: "FULL",
      busyTimeoutMs: 5000,
      retentionDays: 30,
    });
  });

  it("rejects unknown keys and bad values", () => {
    expect(StorageConfigSchema.safeParse({ pth: "x" }).success).toBe(false);
    expect(StorageConfigSchema.safeParse({ synchronous: "FAST" }).success).toBe(false);
    expect(StorageConfigSchema.safeParse({ retentionDays: 1.5 }).success).toBe(false);
  });
});
