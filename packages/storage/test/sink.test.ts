// The batch sink: idempotency, per-event rejection, heartbeat extension, rollups kept in step.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { DevflowEvent } from "@devflow/events";
import type { Storage } from "../src/index.js";
import {
  DAY,
  fileEvent,
  heartbeat,
  HOUR,
  MINUTE,
  openTemp,
  readRows,
  spreadEvents,
  T0,
} from "./helpers.js";
import { sqliteOf } from "../src/testing.js";

/** Rollups recomputed from raw events, in the rollups table's shape and order. */
function rollupsFromRaw(storage: Storage): unknown[] {
  const parts = [
    ["5m", 5 * MINUTE],
    ["1h", HOUR],
    ["1d", DAY],
  ].map(
    ([
      bucket,
      size,
    ]) => `SELECT '${bucket}' AS bucket, (timestamp / ${size}) * ${size} AS bucket_start,
      COALESCE(project_id, '') AS project_id, type, COUNT(*) AS count, SUM(COALESCE(duration, 0)) AS duration_ms
      FROM events GROUP BY 2, 3, 4`,
  );
  return readRows(
    storage.path,
    `${parts.join(" UNION ALL ")} ORDER BY bucket, bucket_start, project_id, type`,
  );
}

function storedRollups(storage: Storage): unknown[] {
  return readRows(
    storage.path,
    "SELECT * FROM rollups ORDER BY bucket, bucket_start, project_id, type",
  );
}

describe("storage sink", () => {
  it("is idempotent on event id: a replayed batch is stored once and counted as duplicates", () => {
    const storage = openTemp();
    const batch = [fileEvent(), fileEvent({ timestamp: T0 + 1 }), heartbeat()];
    expect(storage.sink.write(batch)).toEqual({ stored: 3, duplicates: 0, rejected: [] });
    expect(storage.sink.write(batch)).toEqual({ stored: 0, duplicates: 3, rejected: [] });
    expect(readRows(storage.path, "SELECT COUNT(*) AS n FROM events")).toEqual([{ n: 3 }]);
    expect(
      readRows(storage.path, "SELECT SUM(count) AS n FROM rollups WHERE bucket = '1h'"),
    ).toEqual([{ n: 3 }]);
  });

  it("stores every valid event of a mixed batch and reports each bad one naming the field", () => {
    const storage = openTemp();
    const good = [fileEvent(), fileEvent({ timestamp: T0 + 5 }), heartbeat()];
    const wrongType = { ...fileEvent(), type: "file.exploded" };
    const missingSource = { ...fileEvent() } as Record<string, unknown>;
    delete missingSource.source;
    const oversized = fileEvent({ data: { path: "a.ts", language: "x".repeat(70_000) } });
    const batch = [
      good[0],
      wrongType,
      good[1],
      missingSource,
      oversized,
      "{not json",
      good[2],
    ] as DevflowEvent[];
    const result = storage.sink.write(batch);
    expect(result.stored).toBe(3);
    expect(result.duplicates).toBe(0);
    expect(result.rejected).toHaveLength(4);
    const [type, source, size, json] = result.rejected;
    expect(type).toEqual({
      id: wrongType.id,
      error: expect.stringMatching(/^invalid event: type: unknown event type "file.exploded"/),
    });
    expect(source?.id).toBe(missingSource.id);
    expect(source?.error).toMatch(/source:/);
    expect(size?.id).toBe(oversized.id);
    expect(size?.error).toMatch(/data: is \d+ bytes, more than the 65536 allowed/);
    expect(json).toEqual({
      id: "batch[5]",
      error: expect.stringMatching(/\(root\): not valid JSON/),
    });
    const ids = readRows(storage.path, "SELECT id FROM events ORDER BY timestamp, id").map(
      (r) => r.id,
    );
    expect(ids.sort()).toEqual(good.map((e) => e.id).sort());
  });

  it("reports a row that fails to insert and still stores the rest of the batch", () => {
    const storage = openTemp();
    const bad = fileEvent({ source: "forbidden" });
    sqliteOf(storage)
      .exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.source = 'forbidden'
      BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`);
    const ok = [fileEvent(), fileEvent()];
    const result = storage.sink.write([ok[0]!, bad, ok[1]!]);
    expect(result.stored).toBe(2);
    expect(result.rejected).toEqual([
      { id: bad.id, error: expect.stringContaining("refused by trigger") },
    ]);
    expect(storage.events.count()).toBe(2);
    expect(storedRollups(storage)).toEqual(rollupsFromRaw(storage));
  });

  it("writes a batch all or nothing: a locked database stores none of it, a retry stores all", () => {
    const storage = openTemp({ busyTimeoutMs: 20 });
    const other = new Database(storage.path);
    other.exec("BEGIN IMMEDIATE");
    const batch = [fileEvent(), fileEvent(), heartbeat()];
    expect(() => storage.sink.write(batch)).toThrow(/locked|busy/i);
    other.exec("ROLLBACK");
    other.close();
    expect(storage.events.count()).toBe(0);
    expect(storage.sink.write(batch)).toMatchObject({ stored: 3, duplicates: 0 });
  });

  it("extends a stored heartbeat when its id comes back with a longer duration", () => {
    const storage = openTemp();
    const first = heartbeat({ timestamp: T0 + 10 * MINUTE, duration: 1000 });
    storage.sink.write([first]);
    expect(storage.sink.write([{ ...first, duration: 61_000 }])).toEqual({
      stored: 0,
      duplicates: 1,
      rejected: [],
    });
    expect(storage.events.get(first.id)?.duration).toBe(61_000);
    // a shorter (stale) duration never shrinks the row
    storage.sink.write([{ ...first, duration: 5000 }]);
    expect(storage.events.get(first.id)?.duration).toBe(61_000);
    const hour = storage.rollups.series({ bucket: "1h", from: T0, to: T0 + HOUR });
    expect(hour).toEqual([
      {
        bucketStart: T0,
        projectId: "p1",
        type: "activity.heartbeat",
        count: 1,
        durationMs: 61_000,
      },
    ]);
    expect(storedRollups(storage)).toEqual(rollupsFromRaw(storage));
  });

  it("does not extend a non-heartbeat event that shares the id", () => {
    const storage = openTemp();
    const event = fileEvent({ duration: 10 });
    storage.sink.write([event]);
    storage.sink.write([heartbeat({ id: event.id, duration: 99_999 })]);
    expect(storage.events.get(event.id)).toMatchObject({ type: "file.changed", duration: 10 });
  });

  it("keeps 5m/1h/1d rollups equal to counts from raw events, across replays and merges", () => {
    const storage = openTemp({ synchronous: "NORMAL" });
    const events = spreadEvents(3000, 3);
    for (let i = 0; i < events.length; i += 250) storage.sink.write(events.slice(i, i + 250));
    // replays of whole and partial batches, as a retrying engine would send them
    storage.sink.write(events.slice(0, 250));
    storage.sink.write(events.slice(1000, 1100).concat(spreadEvents(50, 3, 7)));
    const hb = heartbeat({
      timestamp: T0 + DAY + 59 * MINUTE,
      duration: 2000,
      projectId: undefined,
    });
    storage.sink.write([hb]);
    storage.sink.write([{ ...hb, duration: 4500.5 }]);
    const raw = rollupsFromRaw(storage);
    expect(raw.length).toBeGreaterThan(1000);
    expect(storedRollups(storage)).toEqual(raw);
    expect(
      storage.rollups
        .series({ bucket: "1d", from: T0, to: T0 + 3 * DAY })
        .reduce((n, p) => n + p.count, 0),
    ).toBe(3051);
  });

  it("puts buckets on UTC boundaries and events without a project under ''", () => {
    const storage = openTemp();
    const at = T0 + 2 * DAY + 13 * HOUR + 47 * MINUTE + 12_345;
    storage.sink.write([fileEvent({ timestamp: at, projectId: undefined })]);
    const starts = readRows(
      storage.path,
      "SELECT bucket, bucket_start, project_id FROM rollups ORDER BY bucket",
    );
    expect(starts).toEqual([
      { bucket: "1d", bucket_start: T0 + 2 * DAY, project_id: "" },
      { bucket: "1h", bucket_start: T0 + 2 * DAY + 13 * HOUR, project_id: "" },
      { bucket: "5m", bucket_start: T0 + 2 * DAY + 13 * HOUR + 45 * MINUTE, project_id: "" },
    ]);
  });
});
