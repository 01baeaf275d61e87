/**
 * EventEngine under load: most severe events are written first from a backlog; above the
 * high-water mark `emit` waits for room, debug events are shed and counted, and the queue never
 * grows past the mark; waiting emitters are not lost by stop().
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DevflowEvent, EmitResult, Severity } from "../src/index.js";
import {
  createEngine,
  fileChanged,
  isPending,
  RecordingSink,
  sleep,
  stopEngines,
} from "./helpers.js";

afterEach(stopEngines);

const pathOf = (e: DevflowEvent) => (e.type === "file.changed" ? e.data.path : e.type);

describe("EventEngine priority", () => {
  it("writes critical and error events from a backlog before warning, info and debug", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({ batchSize: 2 }, sink);
    sink.block();
    await engine.emit(fileChanged("i1"));
    await engine.emit(fileChanged("i2"));
    await sink.attempted(1); // [i1, i2] is in the (blocked) sink; the rest piles up behind it
    const backlog: Array<[string, Severity]> = [
      ["d1", "debug"],
      ["i3", "info"],
      ["c1", "critical"],
      ["e1", "error"],
      ["w1", "warning"],
      ["i4", "info"],
      ["c2", "critical"],
      ["d2", "debug"],
    ];
    for (const [path, severity] of backlog) await engine.emit(fileChanged(path, { severity }));
    expect(engine.stats().queueDepth).toBe(8);
    sink.release();
    await engine.flush();
    expect(sink.batches.map((b) => b.map(pathOf))).toEqual([
      ["i1", "i2"],
      ["c1", "c2"],
      ["e1", "w1"],
      ["i3", "i4"],
      ["d1", "d2"],
    ]);
  });
});

describe("EventEngine backpressure", () => {
  it("makes emit wait at the high-water mark, sheds debug events, and never exceeds the mark", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({ batchSize: 2, highWaterMark: 3 }, sink);
    let maxDepth = 0;
    engine.subscribe("*", () => void (maxDepth = Math.max(maxDepth, engine.stats().queueDepth)));
    sink.block();

    await engine.emit(fileChanged("a"));
    await engine.emit(fileChanged("b"));
    await sink.attempted(1); // [a, b] in flight, queue empty
    for (const p of ["c", "d", "e"]) {
      await expect(engine.emit(fileChanged(p))).resolves.toMatchObject({ status: "queued" });
    }
    expect(engine.stats().queueDepth).toBe(3);

    let infoResult: EmitResult | undefined;
    const info = engine.emit(fileChanged("f")).then((r) => (infoResult = r));
    const warning = engine.emit(fileChanged("h", { severity: "warning" }));
    const debug = await engine.emit(fileChanged("g", { severity: "debug" }));
    expect(debug.status).toBe("shed");
    expect(debug.event.severity).toBe("debug");

    await sleep(30);
    expect(await isPending(info)).toBe(true);
    expect(await isPending(warning)).toBe(true);
    expect(infoResult).toBeUndefined();
    expect(engine.stats()).toMatchObject({
      queueDepth: 3,
      waitingEmitters: 2,
      shed: 1,
      emitted: 5,
    });

    sink.release();
    expect((await info).status).toBe("queued");
    expect((await warning).status).toBe("queued");
    await engine.flush();

    expect(sink.written.map(pathOf).sort()).toEqual(["a", "b", "c", "d", "e", "f", "h"]);
    expect(maxDepth).toBeLessThanOrEqual(3);
    expect(engine.stats()).toMatchObject({
      shed: 1,
      emitted: 7,
      persisted: 7,
      waitingEmitters: 0,
      queueDepth: 0,
    });
  });

  it("keeps the queue within the mark under a burst of concurrent emits of every severity", async () => {
    const sink = new RecordingSink({ delayMs: 2 });
    const { engine } = createEngine({ batchSize: 4, highWaterMark: 10 }, sink);
    let maxDepth = 0;
    engine.subscribe("*", () => void (maxDepth = Math.max(maxDepth, engine.stats().queueDepth)));
    const severities: Severity[] = ["debug", "info", "warning", "error", "critical"];
    const inputs = Array.from({ length: 200 }, (_, i) =>
      fileChanged(`f${i}`, { severity: severities[i % severities.length]! }),
    );
    const results = await Promise.all(inputs.map((input) => engine.emit(input)));
    await engine.flush();

    const shed = results.filter((r) => r.status === "shed");
    expect(shed.every((r) => r.event.severity === "debug")).toBe(true);
    expect(shed.length).toBeGreaterThan(0);
    expect(maxDepth).toBeLessThanOrEqual(10);
    const s = engine.stats();
    expect(s.shed).toBe(shed.length);
    expect(s.emitted + s.shed).toBe(200);
    expect(s.persisted).toBe(s.emitted);
    expect(new Set(sink.ids)).toEqual(
      new Set(results.filter((r) => r.status === "queued").map((r) => r.event.id)),
    );
    // every non-debug event got through
    expect(sink.written.filter((e) => e.severity !== "debug").length).toBe(160);
  });

  it("lets emitters waiting for room finish, and persists their events, when stop() is called", async () => {
    const sink = new RecordingSink();
    const { engine } = createEngine({ batchSize: 2, highWaterMark: 2 }, sink);
    sink.block();
    await engine.emit(fileChanged("a"));
    await engine.emit(fileChanged("b"));
    await sink.attempted(1);
    await engine.emit(fileChanged("c"));
    await engine.emit(fileChanged("d"));
    const waiting = engine.emit(fileChanged("e"));
    expect(await isPending(waiting)).toBe(true);
    const stopped = engine.stop();
    sink.release();
    await stopped;
    await expect(waiting).resolves.toMatchObject({ status: "queued" });
    expect(sink.written.map(pathOf).sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(engine.stats().queueDepth).toBe(0);
  });
});
