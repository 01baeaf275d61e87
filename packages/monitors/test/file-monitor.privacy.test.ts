/**
 * Privacy: file contents never leave the file. A canary string written into watched files
 * (created, edited, renamed, deleted) must appear in no byte of the SQLite files (database,
 * WAL, shared memory), in no row of any table, in no log line and in no live event, while the
 * events themselves are stored with relative paths.
 */
import { randomUUID } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startMonitor, summary, tempDir, writeTree } from "./file-monitor-fixtures.js";
import { sqliteOf } from "@devflow/storage/testing";

describe("FileMonitor privacy", () => {
  it("stores no file contents anywhere: database bytes, tables, logs, live events", async () => {
    const canary = `CANARY-${randomUUID()}`;
    const root = tempDir();
    writeTree(root, { "config/settings.json": `{ "token": "${canary}" }\n` });
    const h = await startMonitor(root);
    writeTree(root, {
      "src/secret.ts": `export const apiKey = "${canary}";\n`,
      "notes.md": `# ${canary}\n\n${canary}\n`,
    });
    await h.settle();
    appendFileSync(join(root, "src/secret.ts"), `// ${canary}\n`);
    appendFileSync(join(root, "config/settings.json"), `${canary}\n`);
    writeFileSync(join(root, ".env.tmp-save"), `KEY=${canary}\n`);
    renameSync(join(root, ".env.tmp-save"), join(root, "src/secret.ts"));
    renameSync(join(root, "notes.md"), join(root, "notes-old.md"));
    await h.settle();
    rmSync(join(root, "notes-old.md"));
    await h.settle();
    await h.monitor.stop();
    await h.engine.drain();

    const stored = h.stored();
    expect(summary(stored)).toEqual([
      "file.changed config/settings.json",
      "file.changed src/secret.ts",
      "file.created notes.md",
      "file.created src/secret.ts",
      "file.deleted notes-old.md",
      "file.renamed notes.md -> notes-old.md",
    ]);
    for (const { data } of stored) {
      expect(data.path.startsWith("/")).toBe(false);
      expect(JSON.stringify(data)).not.toContain(root);
    }

    // Every row of every table.
    const db = sqliteOf(h.storage);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all() as Array<{ name: string }>;
    expect(tables.length).toBeGreaterThan(3);
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
      expect([name, JSON.stringify(rows).includes(canary)]).toEqual([name, false]);
    }
    // The raw bytes of the database, its WAL and shared memory (checkpointed and not).
    const files = [h.storage.path, `${h.storage.path}-wal`, `${h.storage.path}-shm`].filter((f) =>
      existsSync(f),
    );
    for (const file of files)
      expect([file, readFileSync(file).includes(canary)]).toEqual([file, false]);
    db.pragma("wal_checkpoint(TRUNCATE)");
    expect(readFileSync(h.storage.path).includes(canary)).toBe(false);

    // Logs (debug level included) and live events.
    expect(h.logs.filter((line) => line.includes(canary))).toEqual([]);
    expect(JSON.stringify(h.events).includes(canary)).toBe(false);
    expect(JSON.stringify(h.monitor.status()).includes(canary)).toBe(false);
  });
});
