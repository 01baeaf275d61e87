/**
 * Heartbeat merging (ActivityWatch's rule): `mergeHeartbeat` cases, `HeartbeatMerger` keys, and
 * the engine extending the first heartbeat's duration (same id, one row) whether it is still
 * queued, being written, or already stored.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  HeartbeatMerger,
  isHeartbeat,
  mergeHeartbeat,
  validateEvent,
  type HeartbeatEvent,
} from "../src/index.js";
import { exampleEvent } from "./fixtures.js";
import { createEngine, fileChanged, heartbeat, RecordingSink, stopEngines } from "./helpers.js";

afterEach(stopEngines);

const T0 = 1_700_000_000_000;
const PULSE = 120_000;

function hb(...args: Parameters<typeof heartbeat>): HeartbeatEvent {
  const event = validateEvent(heartbeat(...args));
  if (!isHeartbeat(event)) throw new Error("not a heartbeat");
  return event;
}

describe("mergeHeartbeat", () => {
  it("extends the last heartbeat to the start of an identical one within pulsetime", () => {
    const last = hb(T0);
    const merged = mergeHeartbeat(last, hb(T0 + 60_000), PULSE);
    expect(merged).toEqual({ ...last, duration: 60_000 });
    expect(merged?.id).toBe(last.id);
  });

  it("extends to the end of the next heartbeat when it has its own duration", () => {
    const merged = mergeHeartbeat(
      hb(T0, {}, { duration: 10_000 }),
      hb(T0 + 20_000, {}, { duration: 5_000 }),
      PULSE,
    );
    expect(merged?.duration).toBe(25_000);
  });

  it("keeps the duration when the next heartbeat lies inside the last one", () => {
    const merged = mergeHeartbeat(
      hb(T0, {}, { duration: 60_000 }),
      hb(T0 + 10_000, {}, { duration: 1_000 }),
      PULSE,
    );
    expect(merged?.duration).toBe(60_000);
  });

  it("measures the pulsetime from the end of the last heartbeat, inclusive", () => {
    const last = hb(T0, {}, { duration: 30_000 });
    expect(mergeHeartbeat(last, hb(T0 + 30_000 + PULSE), PULSE)?.duration).toBe(30_000 + PULSE);
    expect(mergeHeartbeat(last, hb(T0 + 30_000 + PULSE + 1), PULSE)).toBeNull();
  });

  it("merges only touching heartbeats when pulsetime is 0", () => {
    const last = hb(T0, {}, { duration: 1_000 });
    expect(mergeHeartbeat(last, hb(T0 + 1_000), 0)?.duration).toBe(1_000);
    expect(mergeHeartbeat(last, hb(T0 + 1_001), 0)).toBeNull();
  });

  it.each([
    ["another category", { category: "testing" }, {}],
    ["another language", { language: "rust" }, {}],
    ["another entity", { entity: "src/b.ts" }, {}],
    ["another project", {}, { projectId: "p2" }],
    ["another source", {}, { source: "terminal" }],
  ])("does not merge a heartbeat with %s", (_what, data, extra) => {
    expect(mergeHeartbeat(hb(T0), hb(T0 + 1_000, data, extra), PULSE)).toBeNull();
  });

  it("does not merge a heartbeat that starts before the last one", () => {
    expect(mergeHeartbeat(hb(T0), hb(T0 - 1), PULSE)).toBeNull();
  });

  it("does not modify its arguments", () => {
    const last = hb(T0);
    const snapshot = structuredClone(last);
    mergeHeartbeat(last, hb(T0 + 1_000), PULSE);
    expect(last).toEqual(snapshot);
  });
});

describe("HeartbeatMerger", () => {
  it("merges a chain into the first heartbeat and starts a new chain after a change", () => {
    const merger = new HeartbeatMerger(PULSE);
    const first = hb(T0);
    expect(merger.push(first)).toEqual({ merged: false, event: first });
    const second = merger.push(hb(T0 + 30_000));
    expect(second.merged).toBe(true);
    expect(second.event).toMatchObject({ id: first.id, duration: 30_000 });
    expect(merger.push(hb(T0 + 50_000)).event).toMatchObject({ id: first.id, duration: 50_000 });
    const other = hb(T0 + 60_000, { entity: "src/b.ts" });
    expect(merger.push(other)).toEqual({ merged: false, event: other });
    // the chain continues from the latest heartbeat only (A, B, A is three rows)
    expect(merger.push(hb(T0 + 70_000)).merged).toBe(false);
  });

  it("keeps one chain per project and source, so interleaved producers still merge", () => {
    const merger = new HeartbeatMerger(PULSE);
    const editor = hb(T0);
    const terminal = hb(T0, { category: "building" }, { source: "terminal" });
    const otherProject = hb(T0, {}, { projectId: "p2" });
    merger.push(editor);
    merger.push(terminal);
    merger.push(otherProject);
    expect(merger.push(hb(T0 + 10_000)).event).toMatchObject({ id: editor.id, duration: 10_000 });
    const t = merger.push(hb(T0 + 10_000, { category: "building" }, { source: "terminal" }));
    expect(t.event).toMatchObject({ id: terminal.id, duration: 10_000 });
    const p = merger.push(hb(T0 + 20_000, {}, { projectId: "p2" }));
    expect(p.event).toMatchObject({ id: otherProject.id, duration: 20_000 });
  });
});

describe("EventEngine heartbeat merging", () => {
  it("extends a still-queued heartbeat: same id, one row with the full duration", async () => {
    const { engine, sink } = createEngine();
    const seen: Array<{ id: string; duration: number | undefined }> = [];
    engine.subscribe(
      "activity.heartbeat",
      (e) => void seen.push({ id: e.id, duration: e.duration }),
    );
    const first = await engine.emit(heartbeat(T0));
    const second = await engine.emit(heartbeat(T0 + 30_000));
    const third = await engine.emit(heartbeat(T0 + 60_000));
    expect(first.status).toBe("queued");
    expect(second).toMatchObject({
      status: "merged",
      event: { id: first.event.id, duration: 30_000 },
    });
    expect(third).toMatchObject({
      status: "merged",
      event: { id: first.event.id, duration: 60_000 },
    });
    expect(engine.stats()).toMatchObject({ queueDepth: 1, emitted: 1, merged: 2 });
    await engine.flush();
    expect(sink.written).toHaveLength(1);
    expect(sink.written[0]).toMatchObject({ id: first.event.id, timestamp: T0, duration: 60_000 });
    expect(seen).toEqual([
      { id: first.event.id, duration: undefined },
      { id: first.event.id, duration: 30_000 },
      { id: first.event.id, duration: 60_000 },
    ]);
  });

  it("re-sends an already stored heartbeat with a larger duration under the same id", async () => {
    const { engine, sink } = createEngine();
    const first = await engine.emit(heartbeat(T0));
    await engine.flush();
    expect(sink.written).toEqual([expect.objectContaining({ id: first.event.id })]);
    expect(sink.written[0]?.duration).toBeUndefined();

    const second = await engine.emit(heartbeat(T0 + 90_000));
    expect(second).toMatchObject({ status: "merged", event: { id: first.event.id } });
    await engine.flush();
    expect(sink.ids).toEqual([first.event.id, first.event.id]);
    expect(sink.written[1]?.duration).toBe(90_000);
    expect(sink.rows.size).toBe(1);
    expect(sink.rows.get(first.event.id)?.duration).toBe(90_000);
    expect(engine.stats()).toMatchObject({ merged: 1, emitted: 2, persisted: 1, duplicates: 1 });
  });

  it("re-sends a heartbeat extended while its first write was in flight", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({}, sink);
    sink.block();
    const first = await engine.emit(heartbeat(T0));
    const flushed = engine.flush();
    await sink.attempted(1);
    const second = await engine.emit(heartbeat(T0 + 45_000));
    expect(second.status).toBe("merged");
    sink.release();
    await flushed;
    await engine.flush();
    expect(sink.ids).toEqual([first.event.id, first.event.id]);
    expect(sink.rows.get(first.event.id)?.duration).toBe(45_000);
  });

  it("adds a new event when the data differs or the gap exceeds pulsetime", async () => {
    const { engine, sink } = createEngine({ pulsetimeMs: 1_000 });
    const a = await engine.emit(heartbeat(T0));
    const merged = await engine.emit(heartbeat(T0 + 500));
    const otherEntity = await engine.emit(heartbeat(T0 + 600, { entity: "src/b.ts" }));
    const late = await engine.emit(heartbeat(T0 + 600 + 1_001, { entity: "src/b.ts" }));
    expect(merged).toMatchObject({ status: "merged", event: { id: a.event.id, duration: 500 } });
    expect(otherEntity.status).toBe("queued");
    expect(late.status).toBe("queued");
    const ids = [a.event.id, otherEntity.event.id, late.event.id];
    expect(new Set(ids).size).toBe(3);
    await engine.flush();
    expect(sink.ids.sort()).toEqual([...ids].sort());
    expect(sink.rows.get(a.event.id)?.duration).toBe(500);
  });

  it("never merges events of other types", async () => {
    const { engine, sink } = createEngine();
    const a = await engine.emit(fileChanged("a.ts", { timestamp: T0 }));
    const b = await engine.emit(fileChanged("a.ts", { timestamp: T0 + 1 }));
    const c = await engine.emit(exampleEvent("activity.afk"));
    expect([a.status, b.status, c.status]).toEqual(["queued", "queued", "queued"]);
    await engine.flush();
    expect(sink.written).toHaveLength(3);
    expect(engine.stats().merged).toBe(0);
  });
});
