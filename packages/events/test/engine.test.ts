/**
 * EventEngine basics: emit/emitMany, batching by size and by time, flush/drain/stop, several
 * sinks, onBatch reports, stats counters, configuration and logging.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DevflowError,
  EngineConfigSchema,
  EventEngine,
  isValidatedEvent,
  type BatchReport,
  type DevflowEvent,
} from "../src/index.js";
import { exampleEvent } from "./fixtures.js";
import {
  createEngine as setup,
  fileChanged,
  RecordingLogger,
  RecordingSink,
  sleep,
  stopEngines,
} from "./helpers.js";

async function rejectionOf(promise: Promise<unknown>): Promise<DevflowError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DevflowError);
    return err as DevflowError;
  }
  throw new Error("expected the promise to reject");
}

afterEach(async () => {
  vi.useRealTimers();
  await stopEngines();
});

describe("EventEngine.emit", () => {
  it("returns the validated event with its defaults filled and status queued", async () => {
    const { engine, sink } = setup();
    const result = await engine.emit(fileChanged("src/a.ts"));
    expect(result.status).toBe("queued");
    expect(result.event).toMatchObject({
      type: "file.changed",
      category: "file",
      severity: "info",
    });
    expect(sink.attempts).toBe(0); // batched, not written yet
    await engine.flush();
    expect(sink.written).toEqual([result.event]);
  });

  it("accepts a JSON string of an event", async () => {
    const { engine, sink } = setup();
    const { event } = await engine.emitUntrusted(JSON.stringify(fileChanged("src/json.ts")));
    await engine.flush();
    expect(sink.ids).toEqual([event.id]);
  });

  it("rejects an invalid event with EVENTS_INVALID, counts it, and queues nothing", async () => {
    const { engine, sink } = setup();
    const seen: DevflowEvent[] = [];
    engine.subscribe("*", (e) => void seen.push(e));
    const err = await rejectionOf(
      engine.emitUntrusted({
        type: "file.changed",
        source: "t",
        data: { path: "a", content: "x" },
      }),
    );
    expect(err.code).toBe("EVENTS_INVALID");
    expect(err.message).toContain("content");
    await engine.flush();
    expect(seen).toEqual([]);
    expect(sink.attempts).toBe(0);
    expect(engine.stats()).toMatchObject({ rejected: 1, emitted: 0, queueDepth: 0 });
  });

  it("applies the configured maxDataBytes", async () => {
    const { engine } = setup({ maxDataBytes: 256 });
    await expect(engine.emit(fileChanged("a".repeat(100)))).resolves.toMatchObject({
      status: "queued",
    });
    const err = await rejectionOf(engine.emit(fileChanged("a".repeat(300))));
    expect(err.message).toMatch(/data: is \d+ bytes, more than the 256 allowed/);
  });
});

describe("EventEngine.emitMany", () => {
  it("queues every valid event and returns an error for each bad one, in input order", async () => {
    const { engine, sink } = setup();
    const results = await engine.emitMany([
      fileChanged("a.ts"),
      { type: "file.changed", source: "t", data: {} },
      exampleEvent("git.commit"),
      "not json",
      { type: "nope.nope", source: "t", data: {} },
      exampleEvent("system.alert"),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false, false, true]);
    const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(errors.map((e) => e.code)).toEqual([
      "EVENTS_INVALID",
      "EVENTS_INVALID",
      "EVENTS_INVALID",
    ]);
    expect(errors[0]?.message).toContain("data.path");
    expect(errors[1]?.message).toContain("not valid JSON");
    expect(errors[2]?.message).toContain('unknown event type "nope.nope"');
    await engine.flush();
    const queuedIds = results.flatMap((r) => (r.ok ? [r.result.event.id] : []));
    expect(new Set(sink.ids)).toEqual(new Set(queuedIds));
    expect(engine.stats()).toMatchObject({ emitted: 3, rejected: 3, persisted: 3 });
  });

  it("returns EVENTS_STOPPED errors after stop", async () => {
    const { engine } = setup();
    await engine.stop();
    const results = await engine.emitMany([fileChanged("a.ts")]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: "EVENTS_STOPPED" } });
  });
});

describe("EventEngine batching", () => {
  it("writes full batches of batchSize as soon as that many events are queued", async () => {
    const { engine, sink } = setup({ batchSize: 5 });
    for (let i = 0; i < 12; i++) await engine.emit(fileChanged(`f${i}.ts`));
    await sleep(20);
    expect(sink.batches.map((b) => b.length)).toEqual([5, 5]);
    expect(engine.stats().queueDepth).toBe(2);
    await engine.flush();
    expect(sink.batches.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(sink.written.map((e) => (e.type === "file.changed" ? e.data.path : ""))).toEqual(
      Array.from({ length: 12 }, (_, i) => `f${i}.ts`),
    );
  });

  it("writes a partial batch once the oldest event has waited maxWaitMs (fake timers)", async () => {
    vi.useFakeTimers();
    const { engine, sink } = setup({ batchSize: 100, maxWaitMs: 50 });
    await engine.emit(fileChanged("a.ts"));
    await vi.advanceTimersByTimeAsync(30);
    await engine.emit(fileChanged("b.ts")); // does not restart the clock
    await vi.advanceTimersByTimeAsync(19);
    expect(sink.attempts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.batches.map((b) => b.length)).toEqual([2]);
    await engine.emit(fileChanged("c.ts"));
    await vi.advanceTimersByTimeAsync(49);
    expect(sink.batches.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.batches.map((b) => b.length)).toEqual([2, 1]);
  });

  it("writes a partial batch after maxWaitMs with real timers", async () => {
    const { engine, sink } = setup({ batchSize: 100, maxWaitMs: 30 });
    await engine.emit(fileChanged("a.ts"));
    await engine.emit(fileChanged("b.ts"));
    await sleep(5);
    expect(sink.attempts).toBe(0);
    await sleep(80);
    expect(sink.batches.map((b) => b.length)).toEqual([2]);
    expect(engine.stats().queueDepth).toBe(0);
  });
});

describe("EventEngine flush, drain and stop", () => {
  it("flush() resolves only after a slow sink has stored everything", async () => {
    const { engine, sink } = setup({ batchSize: 3 }, new RecordingSink({ delayMs: 15 }));
    for (let i = 0; i < 7; i++) await engine.emit(fileChanged(`f${i}.ts`));
    await engine.flush();
    expect(sink.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(engine.stats()).toMatchObject({ queueDepth: 0, persisted: 7, batches: 3 });
  });

  it("flush() resolves at once when nothing is queued", async () => {
    const { engine, sink } = setup();
    await engine.flush();
    expect(sink.attempts).toBe(0);
  });

  it("drain() waits for async subscribers that are still running", async () => {
    const { engine, sink } = setup();
    const handled: string[] = [];
    engine.subscribe("*", async (e) => {
      await sleep(30);
      handled.push(e.id);
    });
    const { event } = await engine.emit(fileChanged("a.ts"));
    await engine.drain();
    expect(handled).toEqual([event.id]);
    expect(sink.ids).toEqual([event.id]);
    expect(engine.stats().delivered).toBe(1);
  });

  it("stop() persists what is queued, then emit rejects with EVENTS_STOPPED", async () => {
    const { engine, sink } = setup();
    await engine.emit(fileChanged("a.ts"));
    await engine.emit(fileChanged("b.ts"));
    await engine.stop();
    expect(sink.written.length).toBe(2);
    const err = await rejectionOf(engine.emit(fileChanged("c.ts")));
    expect(err.code).toBe("EVENTS_STOPPED");
    await expect(engine.stop()).resolves.toBeUndefined(); // idempotent
    expect(sink.written.length).toBe(2);
  });
});

describe("EventEngine sinks", () => {
  it("writes every batch to every sink and stops writing to a removed sink", async () => {
    const engine = new EventEngine({ maxWaitMs: 60_000 });
    const a = new RecordingSink({ name: "a" });
    const b = new RecordingSink({ name: "b" });
    engine.addSink(a);
    const removeB = engine.addSink(b);
    await engine.emit(fileChanged("1.ts"));
    await engine.flush();
    removeB();
    removeB(); // idempotent
    await engine.emit(fileChanged("2.ts"));
    await engine.flush();
    expect(a.written.length).toBe(2);
    expect(b.written.length).toBe(1);
  });
  it("hands sinks the validated event objects, so they can skip validating again", async () => {
    const { engine } = setup();
    const seen: boolean[] = [];
    engine.addSink({
      name: "checker",
      write: (batch) => {
        seen.push(...batch.map((e) => isValidatedEvent(e)));
        return { stored: batch.length, duplicates: 0, rejected: [] };
      },
    });
    await engine.emitMany([fileChanged("a.ts"), JSON.stringify(fileChanged("b.ts"))]);
    await engine.flush();
    expect(seen).toEqual([true, true]);
  });
});

describe("EventEngine.onBatch", () => {
  it("reports the ids of each written batch, in write order, with the sink's counts", async () => {
    const { engine } = setup({ batchSize: 2 });
    const reports: BatchReport[] = [];
    const off = engine.onBatch((r) => void reports.push(r));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await engine.emit(fileChanged(`f${i}.ts`))).event.id);
    await engine.flush();
    expect(reports.map((r) => r.ids)).toEqual([ids.slice(0, 2), ids.slice(2)]);
    expect(reports[0]).toMatchObject({ size: 2, stored: 2, duplicates: 0, rejected: [] });
    expect(reports[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    off();
    await engine.emit(fileChanged("late.ts"));
    await engine.flush();
    expect(reports.length).toBe(2);
  });

  it("keeps reporting to other listeners when one throws, and logs the failure", async () => {
    const logger = new RecordingLogger();
    const { engine } = setup({ logger });
    const reports: BatchReport[] = [];
    engine.onBatch(() => {
      throw new Error("listener broke");
    });
    engine.onBatch((r) => void reports.push(r));
    await engine.emit(fileChanged("a.ts"));
    await engine.flush();
    expect(reports.length).toBe(1);
    expect(
      logger.entries.some((e) => e.level === "warn" && e.msg === "batch listener failed"),
    ).toBe(true);
  });

  it("reports events a sink rejected and counts them", async () => {
    const engine = new EventEngine({ maxWaitMs: 60_000 });
    engine.addSink({
      name: "picky",
      write: (batch) => ({
        stored: batch.length - 1,
        duplicates: 0,
        rejected: [{ id: batch[0]!.id, error: "too old" }],
      }),
    });
    const reports: BatchReport[] = [];
    engine.onBatch((r) => void reports.push(r));
    const { event } = await engine.emit(fileChanged("a.ts"));
    await engine.emit(fileChanged("b.ts"));
    await engine.flush();
    expect(reports[0]?.rejected).toEqual([{ id: event.id, error: "too old" }]);
    expect(engine.stats()).toMatchObject({ persisted: 1, sinkRejected: 1, batches: 1 });
  });
});

describe("EventEngine.stats", () => {
  it("keeps counters that add up", async () => {
    const { engine } = setup({ batchSize: 4 });
    engine.subscribe("*", () => undefined);
    engine.subscribe("git.*", () => undefined);
    for (let i = 0; i < 10; i++) await engine.emit(fileChanged(`f${i}.ts`));
    await engine.emit(exampleEvent("git.commit"));
    await expect(engine.emitUntrusted({ type: "file.changed" })).rejects.toThrow();
    const before = engine.stats();
    expect(before.emitted).toBe(11);
    expect(before.persisted + before.queueDepth).toBe(11);
    await engine.flush();
    const s = engine.stats();
    expect(s).toMatchObject({
      emitted: 11,
      rejected: 1,
      persisted: 11,
      duplicates: 0,
      queueDepth: 0,
      batches: 3,
      delivered: 12, // 11 to "*" and 1 to "git.*"
      subscriberErrors: 0,
      shed: 0,
      merged: 0,
      sinkFailures: 0,
      waitingEmitters: 0,
      highWaterMark: 10_000,
    });
    for (const key of ["last", "avg", "max"] as const) {
      expect(typeof s.batchLatencyMs[key]).toBe("number");
      expect(s.batchLatencyMs[key]).toBeGreaterThanOrEqual(0);
    }
    expect(s.batchLatencyMs.max).toBeGreaterThanOrEqual(s.batchLatencyMs.avg);
    expect(s.persisted + s.duplicates + s.sinkRejected).toBe(s.emitted);
  });

  it("records batch latency from the time spent in the sinks", async () => {
    const { engine } = setup({}, new RecordingSink({ delayMs: 25 }));
    await engine.emit(fileChanged("a.ts"));
    await engine.flush();
    expect(engine.stats().batchLatencyMs.last).toBeGreaterThanOrEqual(20);
  });
});

describe("EventEngine configuration and logging", () => {
  it("applies the documented defaults", () => {
    expect(new EventEngine().config).toEqual({
      batchSize: 100,
      maxWaitMs: 5000,
      highWaterMark: 10_000,
      maxDataBytes: 65_536,
      pulsetimeMs: 120_000,
    });
    expect(EngineConfigSchema.parse({})).toEqual(new EventEngine().config);
  });

  it("refuses an out-of-range configuration", () => {
    expect(() => new EventEngine({ batchSize: 0 })).toThrow();
    expect(() => new EventEngine({ maxDataBytes: 10 })).toThrow();
  });

  it("logs subscriber and sink failures through the injected logger's child", async () => {
    const logger = new RecordingLogger();
    const { engine, sink } = setup({ retryDelayMs: 1, logger });
    engine.subscribe("*", () => {
      throw new Error("handler broke");
    });
    sink.failNext(1);
    await engine.emit(fileChanged("a.ts"));
    await engine.flush();
    const warn = logger.entries.find((e) => e.msg === "subscriber failed");
    expect(warn).toMatchObject({ level: "warn", bindings: { component: "event-engine" } });
    expect((warn?.obj.err as Error).message).toBe("handler broke");
    const error = logger.entries.find((e) => e.msg === "batch write failed; will retry");
    expect(error).toMatchObject({ level: "error", obj: { size: 1 } });
  });
});
