// Retention, online backup, integrity check and info.
import { closeSync, existsSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStorage, PRUNE_CHUNK_ROWS } from "../src/index.js";
import { DAY, fileEvent, openTemp, readRows, spreadEvents, T0, tempDir } from "./helpers.js";
import { sqliteOf } from "../src/testing.js";

describe("prune", () => {
  it("deletes only events older than the retention, in several chunks, and keeps every rollup", async () => {
    const storage = openTemp({ synchronous: "OFF" });
    const events = spreadEvents(12_000, 40);
    for (let i = 0; i < events.length; i += 2000) storage.sink.write(events.slice(i, i + 2000));
    const rollupsBefore = readRows(
      storage.path,
      "SELECT * FROM rollups ORDER BY bucket, bucket_start, project_id, type",
    );
    const now = T0 + 60 * DAY;
    const cutoff = now - 30 * DAY;
    const old = events.filter((e) => e.timestamp < cutoff).length;
    expect(old).toBeGreaterThan(PRUNE_CHUNK_ROWS); // more than one chunk

    const result = await storage.prune({ now });

    expect(result).toEqual({ deleted: old, cutoff });
    expect(storage.events.count()).toBe(events.length - old);
    expect(storage.events.count({ to: cutoff })).toBe(0);
    expect(
      readRows(
        storage.path,
        "SELECT * FROM rollups ORDER BY bucket, bucket_start, project_id, type",
      ),
    ).toEqual(rollupsBefore);
    expect(storage.rollups.series({ bucket: "1d", from: T0, to: T0 + DAY }).length).toBeGreaterThan(
      0,
    );
    expect(await storage.prune({ now })).toEqual({ deleted: 0, cutoff });
  });

  it("uses the retentionDays given to openStorage unless the call overrides it", async () => {
    const storage = openTemp({ retentionDays: 2 });
    storage.sink.write([
      fileEvent({ timestamp: T0 }),
      fileEvent({ timestamp: T0 + 3 * DAY }),
      fileEvent({ timestamp: T0 + 5 * DAY }),
    ]);
    expect(await storage.prune({ now: T0 + 6 * DAY })).toMatchObject({
      deleted: 2,
      cutoff: T0 + 4 * DAY,
    });
    expect(await storage.prune({ now: T0 + 6 * DAY, retentionDays: 0 })).toMatchObject({
      deleted: 1,
    });
    expect(storage.events.count()).toBe(0);
  });
});

describe("backup", () => {
  it("writes an online copy that opens, passes integrity_check and holds the same rows", async () => {
    const storage = openTemp();
    storage.sink.write(spreadEvents(500, 2));
    storage.commits.insertMany([
      {
        projectId: "p1",
        hash: "abcdef1",
        authorName: "a",
        authorEmail: "a@x",
        authoredAt: T0,
        files: [{ path: "a", insertions: 1, deletions: 0 }],
      },
    ]);
    const dest = join(tempDir(), "nested", "backup.db");
    const result = await storage.backup(dest);
    expect(result.path).toBe(dest);
    expect(result.bytes).toBe(statSync(dest).size);
    expect(result.bytes).toBeGreaterThan(0);
    const copy = openStorage({ path: dest });
    try {
      expect(copy.integrityCheck()).toEqual({ ok: true, problems: [] });
      expect(copy.events.count()).toBe(500);
      expect(copy.commits.count("p1")).toBe(1);
    } finally {
      copy.close();
    }
  });

  it("refuses to overwrite an existing file", async () => {
    const storage = openTemp();
    const dest = join(tempDir(), "exists.db");
    await storage.backup(dest);
    const size = statSync(dest).size;
    await expect(storage.backup(dest)).rejects.toMatchObject({ code: "STORAGE_BACKUP_EXISTS" });
    expect(statSync(dest).size).toBe(size);
  });
});

describe("integrityCheck", () => {
  it("reports a foreign-key violation", () => {
    const storage = openTemp();
    const db = sqliteOf(storage);
    db.pragma("foreign_keys = OFF");
    db.prepare(
      "INSERT INTO commit_files (project_id, hash, path) VALUES ('p', 'deadbeef', 'x')",
    ).run();
    db.pragma("foreign_keys = ON");
    const report = storage.integrityCheck();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      "foreign key violation: commit_files row 1 references a missing commits row",
    ]);
  });

  it("detects a corrupted file", () => {
    const path = join(tempDir(), "corrupt.db");
    const storage = openStorage({ path });
    storage.sink.write(spreadEvents(3000, 2));
    storage.close(); // checkpoints the WAL into the main file
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(4096 * 4, 0x5a), 0, 4096 * 4, size - 4096 * 6);
    closeSync(fd);
    let problems: string[] | undefined;
    try {
      const damaged = openStorage({ path });
      problems = damaged.integrityCheck().problems;
      damaged.close();
    } catch (err) {
      problems = [(err as Error).message]; // refusing to open is an acceptable detection too
    }
    expect(problems.length).toBeGreaterThan(0);
  });
});

describe("info", () => {
  it("reports sizes, the event span and the applied migrations", () => {
    const storage = openTemp();
    storage.sink.write([fileEvent({ timestamp: T0 + 5 }), fileEvent({ timestamp: T0 - 5 })]);
    const info = storage.info();
    expect(info).toMatchObject({
      path: storage.path,
      events: 2,
      oldestEventAt: T0 - 5,
      newestEventAt: T0 + 5,
    });
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(info.walBytes).toBeGreaterThan(0);
    expect(info.migrations).toEqual([
      {
        tag: "0000_init",
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        createdAt: expect.any(Number),
      },
      {
        tag: "0001_audit",
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        createdAt: expect.any(Number),
      },
      {
        tag: "0002_auth",
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        createdAt: expect.any(Number),
      },
      {
        tag: "0003_ai_readers",
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        createdAt: expect.any(Number),
      },
    ]);
    expect(existsSync(`${storage.path}-wal`)).toBe(true);
  });
});
