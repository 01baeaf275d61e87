// JSONL export/import: exact round trip of every table, idempotent re-import, bad lines.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { EXPORT_TABLES, type Storage } from "../src/index.js";
import { activitiesTable, metricsTable, stageTransitionsTable } from "../src/schema-index.js";
import {
  DAY,
  fileEvent,
  heartbeat,
  HOUR,
  openTemp,
  readRows,
  spreadEvents,
  T0,
  tempDir,
} from "./helpers.js";
import { drizzleOf } from "../src/testing.js";

const ORDER: Record<string, string> = {
  projects: "id",
  settings: "key",
  events: "id",
  metrics: "id",
  stage_transitions: "id",
  activities: "id",
  commits: "project_id, hash",
  commit_files: "project_id, hash, path",
  security_events: "seq",
  audit_anchors: "seq",
  rollups: "bucket, bucket_start, project_id, type",
};

function dump(storage: Storage): Record<string, unknown[]> {
  return Object.fromEntries(
    EXPORT_TABLES.map((t) => [
      t,
      readRows(storage.path, `SELECT * FROM ${t} ORDER BY ${ORDER[t]}`),
    ]),
  );
}

async function populate(storage: Storage): Promise<void> {
  storage.projects.add({
    name: "alpha",
    rootPath: join(tempDir(), "alpha"),
    settings: { lang: "ts" },
  });
  storage.projects.add({ name: "beta", rootPath: join(tempDir(), "beta") });
  storage.settings.set("ui", { theme: "dark", order: [3, 1, 2] });
  storage.settings.set("flag", false);
  storage.settings.set("empty", null);
  const events = spreadEvents(3000, 40);
  for (let i = 0; i < events.length; i += 700) storage.sink.write(events.slice(i, i + 700));
  const hbs = [0.1, 0.2, 0.7].map((duration, i) =>
    heartbeat({ timestamp: T0 + 35 * DAY + i, duration }),
  );
  storage.sink.write(hbs);
  storage.sink.write([
    { ...hbs[0]!, duration: 1.1 },
    { ...hbs[1]!, duration: 2.35 },
  ]);
  storage.sink.write([
    fileEvent({
      timestamp: T0 + 36 * DAY,
      metadata: { host: "h", n: 1 },
      correlationId: "c",
      parentId: "p",
      severity: "warning",
    }),
  ]);
  await storage.prune({ now: T0 + 45 * DAY }); // rollups of pruned events survive only as rollups
  await storage.audit.appendMany(
    Array.from({ length: 1500 }, (_, i) => ({
      type: "security.login_failed" as const,
      subject: `user${i % 7}`,
      ip: "10.0.0.1",
      details: { reason: "bad_password", n: i },
    })),
  );
  drizzleOf(storage)
    .insert(metricsTable)
    .values([
      {
        id: "m1",
        projectId: "p1",
        name: "build.ms",
        value: 1234.5,
        unit: "ms",
        timestamp: T0,
        tags: { tool: "tsup" },
      },
      {
        id: "m2",
        projectId: null,
        name: "cpu",
        value: 0.25,
        unit: null,
        timestamp: T0 + 1,
        tags: null,
      },
    ])
    .run();
  drizzleOf(storage)
    .insert(stageTransitionsTable)
    .values({
      id: "s1",
      projectId: "p1",
      fromStage: null,
      toStage: "coding",
      subStage: "feature",
      confidence: 0.8,
      timestamp: T0,
      evidence: [{ kind: "commits", n: 3 }],
    })
    .run();
  drizzleOf(storage)
    .insert(activitiesTable)
    .values({
      id: "a1",
      projectId: "p2",
      start: T0,
      end: T0 + HOUR,
      durationMs: HOUR,
      category: "coding",
      language: "ts",
      entity: "src/a.ts",
    })
    .run();
  storage.commits.insertMany([
    {
      projectId: "p1",
      hash: "abc1234",
      parents: [],
      authorName: "Ada",
      authorEmail: "a@x",
      authoredAt: T0,
      message: null,
      files: [{ path: "a.bin", insertions: null, deletions: null }],
    },
    {
      projectId: "p2",
      hash: "def5678",
      parents: ["abc1234", "1234567"],
      authorName: "Bob",
      authorEmail: "b@x",
      authoredAt: T0 + 1,
      trailers: [{ key: "Signed-off-by", value: "Bob" }],
      files: [{ path: "src/x.ts", insertions: 4, deletions: 2 }],
    },
  ]);
}

describe("JSONL export/import", () => {
  it("round-trips every table exactly into an empty database, rollups of pruned events included", async () => {
    const source = openTemp();
    await populate(source);
    const file = join(tempDir(), "export.jsonl");
    const exported = await source.exportJsonl(file);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(JSON.parse(lines[0]!)).toMatchObject({
      format: "devflow-export",
      version: 1,
      exportedAt: expect.any(Number),
    });
    expect(JSON.parse(lines.at(-1)!).table).toBe("rollups");
    expect(lines.length).toBe(1 + Object.values(exported.rows).reduce((a, b) => a + b, 0));
    const eventLine = JSON.parse(lines.find((l) => l.includes('"metadata":{'))!);
    expect(eventLine.row.metadata).toEqual({ host: "h", n: 1 }); // JSON columns are JSON values

    const target = openTemp();
    const result = await target.importJsonl(file);
    expect(result.errors).toEqual([]);
    expect(result.inserted.events).toBe(exported.rows.events);
    expect(result.inserted.commit_files).toBe(2);
    const before = dump(source);
    expect(before.rollups!.length).toBeGreaterThan(exported.rows.events);
    expect(dump(target)).toEqual(before);
    // the imported audit chain verifies against its imported anchor
    expect(result.inserted.security_events).toBe(1500);
    expect(result.inserted.audit_anchors).toBe(1);
    await expect(target.audit.verify()).resolves.toEqual({ ok: true, checked: 1500 });

    // importing again changes nothing and reports everything as duplicates
    const again = await target.importJsonl(file);
    expect(Object.values(again.inserted).every((n) => n === 0)).toBe(true);
    expect(again.duplicates).toBe(lines.length - 1);
    expect(dump(target)).toEqual(before);
  });

  it("exports one project to a stream, leaving global settings out", async () => {
    const source = openTemp();
    await populate(source);
    const p1 = source.projects.list()[0]!;
    source.sink.write([fileEvent({ projectId: p1.id, timestamp: T0 + 44 * DAY })]);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const result = await source.exportJsonl(out, { projectId: p1.id });
    const lines = Buffer.concat(chunks)
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => JSON.parse(l) as { row: Record<string, unknown> });
    expect(result.rows).toMatchObject({ projects: 1, settings: 0, events: 1, rollups: 3 });
    expect(new Set(lines.map((l) => l.row.project_id ?? l.row.id))).toEqual(new Set([p1.id]));
  });

  it("reports bad lines with their numbers and stores every good one", async () => {
    const target = openTemp();
    const good = fileEvent({ timestamp: T0 + HOUR });
    const bad = { ...fileEvent(), data: { path: "/etc/passwd" } };
    const text = [
      JSON.stringify({ format: "devflow-export", version: 1, exportedAt: T0 }),
      JSON.stringify({
        table: "events",
        row: {
          id: good.id,
          type: good.type,
          category: "file",
          severity: "info",
          timestamp: good.timestamp,
          source: good.source,
          project_id: "p1",
          data: good.data,
          received_at: T0,
        },
      }),
      '{"table":"events","row":{"id":"x"', // line 3: malformed JSON
      JSON.stringify({ table: "users", row: { id: "u" } }), // line 4: unknown table
      JSON.stringify({
        table: "events",
        row: {
          id: bad.id,
          type: bad.type,
          category: "file",
          severity: "info",
          timestamp: T0,
          source: "t",
          data: bad.data,
        },
      }), // 5
      JSON.stringify({ table: "settings", row: { key: "k", value: { a: 1 }, updated_at: T0 } }), // 6
      JSON.stringify({
        table: "commit_files",
        row: { project_id: "p", hash: "0000000", path: "x", insertions: 1, deletions: 1 },
      }), // 7: no parent commit
      JSON.stringify({
        table: "metrics",
        row: { id: "m", name: "n", value: 1, timestamp: T0, colour: "red" },
      }), // 8: unknown column
      JSON.stringify({
        table: "rollups",
        row: {
          bucket: "2h",
          bucket_start: T0,
          project_id: "",
          type: "x",
          count: 1,
          duration_ms: 0,
        },
      }), // 9
      "", // blank lines are skipped
      JSON.stringify({
        table: "projects",
        row: { id: "p9", name: "n", root_path: "/r", created_at: T0, updated_at: T0, settings: {} },
      }), // 11
    ].join("\n");
    const result = await target.importJsonl(Readable.from([text]));
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 7, 8, 9]);
    const [json, table, event, fk, column, rollup] = result.errors.map((e) => e.error);
    expect(json).toMatch(/malformed JSON/);
    expect(table).toMatch(/unknown table "users"/);
    expect(event).toMatch(/data\.path: must be relative/);
    expect(fk).toMatch(/FOREIGN KEY constraint failed/);
    expect(column).toMatch(/unknown column colour/);
    expect(rollup).toMatch(/rollups\.bucket/);
    expect(result.errorCount).toBe(6);
    expect(result.inserted).toMatchObject({ events: 1, settings: 1, projects: 1, rollups: 0 });
    expect(target.events.get(good.id)).toEqual(good);
    expect(readRows(target.path, "SELECT received_at FROM events")).toEqual([{ received_at: T0 }]);
    expect(target.settings.get("k")).toEqual({ a: 1 });
    expect(target.projects.get("p9")?.rootPath).toBe("/r");
    // the imported event reached the rollups through the sink path
    expect(target.rollups.countByTypePerHour({ from: T0, to: T0 + 2 * HOUR })).toEqual([
      { type: "file.changed", hourStart: T0 + HOUR, count: 1 },
    ]);
  });

  it("keeps the larger count when an imported rollup meets an existing one", async () => {
    const target = openTemp();
    target.sink.write([fileEvent(), fileEvent(), fileEvent()]);
    const rollup = (bucket: string, count: number) =>
      JSON.stringify({
        table: "rollups",
        row: {
          bucket,
          bucket_start: T0,
          project_id: "p1",
          type: "file.changed",
          count,
          duration_ms: 0,
        },
      });
    const text = [
      JSON.stringify({ format: "devflow-export", version: 1, exportedAt: T0 }),
      rollup("1h", 1),
      rollup("1d", 10),
    ].join("\n");
    const result = await target.importJsonl(Readable.from([text]));
    expect(result.inserted.rollups).toBe(1);
    expect(result.duplicates).toBe(1);
    const counts = readRows(target.path, "SELECT bucket, count FROM rollups ORDER BY bucket");
    expect(counts).toEqual([
      { bucket: "1d", count: 10 },
      { bucket: "1h", count: 3 },
      { bucket: "5m", count: 3 },
    ]);
  });

  it("refuses a file without the export header and stores nothing", async () => {
    const target = openTemp();
    const file = join(tempDir(), "bad.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({ table: "settings", row: { key: "k", value: 1, updated_at: T0 } })}\n`,
    );
    await expect(target.importJsonl(file)).rejects.toMatchObject({
      code: "STORAGE_IMPORT_INVALID",
    });
    expect(target.settings.all()).toEqual({});
    await expect(target.importJsonl(join(tempDir(), "missing.jsonl"))).rejects.toMatchObject({
      code: "STORAGE_IMPORT_FAILED",
    });
  });
});
