/**
 * EventEngine subscriptions: `*`, `<category>.*` and exact patterns, unsubscribe, delivery before
 * persistence, and isolation: a throwing or rejecting subscriber never stops the others and is
 * counted in stats().subscriberErrors.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DevflowError, type DevflowEvent } from "../src/index.js";
import { exampleEvent } from "./fixtures.js";
import { createEngine, fileChanged, sleep, stopEngines } from "./helpers.js";

afterEach(stopEngines);

describe("EventEngine.subscribe", () => {
  it("routes events by *, category.* and exact type patterns", async () => {
    const { engine } = createEngine();
    const got: Record<string, string[]> = { all: [], git: [], commit: [], file: [] };
    engine.subscribe("*", (e) => void got.all!.push(e.type));
    engine.subscribe("git.*", (e) => void got.git!.push(e.type));
    engine.subscribe("git.commit", (e) => void got.commit!.push(e.type));
    engine.subscribe("file.changed", (e) => void got.file!.push(e.type));
    for (const type of [
      "git.commit",
      "git.push",
      "file.changed",
      "file.created",
      "ai.prompt",
    ] as const) {
      await engine.emit(exampleEvent(type));
    }
    expect(got).toEqual({
      all: ["git.commit", "git.push", "file.changed", "file.created", "ai.prompt"],
      git: ["git.commit", "git.push"],
      commit: ["git.commit"],
      file: ["file.changed"],
    });
  });

  it("delivers the validated event (defaults filled) before it is persisted", async () => {
    const { engine, sink } = createEngine();
    const seen: Array<{ event: DevflowEvent; writtenBefore: number }> = [];
    engine.subscribe("*", (event) => void seen.push({ event, writtenBefore: sink.written.length }));
    const { event } = await engine.emit(fileChanged("a.ts"));
    expect(seen).toEqual([{ event, writtenBefore: 0 }]);
    expect(seen[0]?.event.id).toBeTruthy();
    await engine.flush();
    expect(sink.ids).toEqual([event.id]);
  });

  it("stops delivering after unsubscribe, and unsubscribing twice is harmless", async () => {
    const { engine } = createEngine();
    const got: string[] = [];
    const off = engine.subscribe("*", (e) => void got.push(e.id));
    const first = await engine.emit(fileChanged("a.ts"));
    off();
    off();
    await engine.emit(fileChanged("b.ts"));
    expect(got).toEqual([first.event.id]);
  });

  it("throws EVENTS_BAD_PATTERN for a malformed pattern", () => {
    const { engine } = createEngine();
    expect(() => engine.subscribe("git*", () => undefined)).toThrow(DevflowError);
    expect(() => engine.subscribe("git*", () => undefined)).toThrow(/"git\*"/);
  });

  it("keeps delivering to others when a sync subscriber throws and an async one rejects", async () => {
    const { engine, sink } = createEngine();
    const before: string[] = [];
    const after: string[] = [];
    const asyncOk: string[] = [];
    engine.subscribe("*", (e) => void before.push(e.id));
    engine.subscribe("*", () => {
      throw new Error("sync subscriber broke");
    });
    engine.subscribe("file.*", async () => {
      await sleep(5);
      throw new Error("async subscriber broke");
    });
    engine.subscribe("*", async (e) => {
      await sleep(1);
      asyncOk.push(e.id);
    });
    engine.subscribe("*", (e) => void after.push(e.id));

    const a = await engine.emit(fileChanged("a.ts"));
    const b = await engine.emit(exampleEvent("git.commit"));
    expect(a.status).toBe("queued");
    expect(before).toEqual([a.event.id, b.event.id]);
    expect(after).toEqual([a.event.id, b.event.id]);

    await engine.drain();
    expect(asyncOk).toEqual([a.event.id, b.event.id]);
    expect(sink.ids.sort()).toEqual([a.event.id, b.event.id].sort());
    // 2 sync throws + 1 async rejection (only file.changed matches file.*)
    expect(engine.stats().subscriberErrors).toBe(3);
    // before, after and the async one succeed for both events
    expect(engine.stats().delivered).toBe(6);
  });

  it("counts a subscriber that returns an already rejected promise as failed", async () => {
    const { engine } = createEngine();
    engine.subscribe("*", () => Promise.reject(new Error("nope")));
    await engine.emit(fileChanged("a.ts"));
    await engine.drain();
    expect(engine.stats()).toMatchObject({ subscriberErrors: 1, delivered: 0 });
  });
});
