/**
 * EventEngine sink failures: a batch whose write throws or rejects is put back and retried
 * whole (nothing lost, order kept, sinkFailures counted), with a doubling delay that flush()
 * also honours instead of spinning.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DevflowEvent } from "../src/index.js";
import { createEngine, fileChanged, RecordingSink, sleep, stopEngines } from "./helpers.js";

afterEach(stopEngines);

const pathOf = (e: DevflowEvent) => (e.type === "file.changed" ? e.data.path : e.type);

describe("EventEngine sink failures", () => {
  it("retries a batch whose write threw until it is stored, losing nothing", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({ retryDelayMs: 5 }, sink);
    sink.failNext(2, "throw");
    const ids: string[] = [];
    for (const p of ["a", "b", "c"]) ids.push((await engine.emit(fileChanged(p))).event.id);
    await engine.flush();
    expect(sink.attempts).toBe(3);
    expect(sink.ids).toEqual(ids);
    expect(engine.stats()).toMatchObject({
      sinkFailures: 2,
      persisted: 3,
      batches: 1,
      queueDepth: 0,
    });
  });

  it("retries on its own, without flush(), after an async rejection", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({ batchSize: 2, retryDelayMs: 10 }, sink);
    sink.failNext(1, "reject");
    await engine.emit(fileChanged("a"));
    await engine.emit(fileChanged("b"));
    await sink.attempted(1);
    await sleep(5);
    expect(sink.written).toEqual([]);
    expect(engine.stats()).toMatchObject({ sinkFailures: 1, queueDepth: 2 });
    await sleep(60);
    expect(sink.written.map(pathOf)).toEqual(["a", "b"]);
    expect(engine.stats()).toMatchObject({ sinkFailures: 1, persisted: 2, queueDepth: 0 });
  });

  it("keeps severity order when a failed batch goes back into the queue", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({ batchSize: 2, retryDelayMs: 1 }, sink);
    sink.failNext(1);
    await engine.emit(fileChanged("i1"));
    await engine.emit(fileChanged("c1", { severity: "critical" })); // full batch: [c1, i1] fails
    await sink.attempted(1);
    await engine.emit(fileChanged("i2"));
    await engine.emit(fileChanged("e1", { severity: "error" }));
    await engine.flush();
    expect(sink.written.map(pathOf)).toEqual(["c1", "e1", "i1", "i2"]);
  });

  it("waits out a doubling retry delay in flush() and lets timers run while a sink keeps throwing", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({ retryDelayMs: 10 }, sink);
    sink.failNext(3, "throw"); // synchronous throws: retrying at once would never yield
    let timerRan = false;
    setTimeout(() => (timerRan = true), 5);
    await engine.emit(fileChanged("a"));
    await engine.flush();
    expect(timerRan).toBe(true);
    expect(sink.attempts).toBe(4);
    const gaps = sink.attemptTimes.slice(1).map((t, i) => t - sink.attemptTimes[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(8);
    expect(gaps[1]).toBeGreaterThanOrEqual(18);
    expect(gaps[2]).toBeGreaterThanOrEqual(38);
    expect(sink.written.map(pathOf)).toEqual(["a"]);
    expect(engine.stats().sinkFailures).toBe(3);
  });

  it("rewrites a failed batch to every sink, so an idempotent sink sees duplicates, not losses", async () => {
    const first = new RecordingSink({ name: "first" });
    const second = new RecordingSink({ name: "second" });
    const { engine } = createEngine({ retryDelayMs: 1 }, first);
    engine.addSink(second);
    second.failNext(1);
    const { event } = await engine.emit(fileChanged("a"));
    await engine.flush();
    expect(first.ids).toEqual([event.id, event.id]);
    expect(second.ids).toEqual([event.id]);
    expect(first.rows.size).toBe(1);
    expect(engine.stats()).toMatchObject({
      sinkFailures: 1,
      batches: 1,
      persisted: 1,
      duplicates: 1,
    });
  });
});
