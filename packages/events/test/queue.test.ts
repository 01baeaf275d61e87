/**
 * PriorityQueue: most severe lane first, FIFO within a lane, `unshift` restores a taken batch in
 * its original order, and `size` stays right over long random runs (checked against a model).
 */
import { describe, expect, it } from "vitest";
import { SEVERITIES, type DevflowEvent, type Severity } from "../src/index.js";
import { PriorityQueue } from "../src/queue.js";

let seq = 0;
function ev(severity: Severity, id = `e${seq++}`): DevflowEvent {
  return {
    id,
    type: "file.changed",
    category: "file",
    severity,
    timestamp: 0,
    source: "test",
    data: { path: "a.ts" },
  };
}
const ids = (events: readonly DevflowEvent[]) => events.map((e) => e.id);
const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** What the queue should hold: stable order by severity (most severe first). */
function modelOrder(items: DevflowEvent[]): DevflowEvent[] {
  return [...items].sort((a, b) => rank(b.severity) - rank(a.severity));
}

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("PriorityQueue", () => {
  it("takes the most severe events first and keeps FIFO order within a severity", () => {
    const q = new PriorityQueue();
    for (const [id, s] of [
      ["d1", "debug"],
      ["i1", "info"],
      ["c1", "critical"],
      ["w1", "warning"],
      ["i2", "info"],
      ["e1", "error"],
      ["c2", "critical"],
      ["d2", "debug"],
    ] as const) {
      q.push(ev(s, id));
    }
    expect(q.size).toBe(8);
    expect(ids(q.take(3))).toEqual(["c1", "c2", "e1"]);
    expect(q.size).toBe(5);
    expect(ids(q.take(100))).toEqual(["w1", "i1", "i2", "d1", "d2"]);
    expect(q.size).toBe(0);
    expect(q.take(10)).toEqual([]);
  });

  it("returns nothing for take(0) and leaves the queue intact", () => {
    const q = new PriorityQueue();
    q.push(ev("info", "a"));
    expect(q.take(0)).toEqual([]);
    expect(q.size).toBe(1);
  });

  it("puts an unshifted batch back in its original order, ahead of newer events", () => {
    const q = new PriorityQueue();
    for (const id of ["i1", "i2", "i3", "i4"]) q.push(ev("info", id));
    q.push(ev("error", "e1"));
    const batch = q.take(3); // e1, i1, i2 — the info lane is now partly consumed
    expect(ids(batch)).toEqual(["e1", "i1", "i2"]);
    q.push(ev("info", "i5"));
    q.push(ev("error", "e2"));
    q.unshift(batch);
    expect(q.size).toBe(7);
    expect(ids(q.take(100))).toEqual(["e1", "e2", "i1", "i2", "i3", "i4", "i5"]);
  });

  it("unshifts into an emptied lane and into a fresh queue", () => {
    const q = new PriorityQueue();
    q.push(ev("warning", "w1"));
    q.push(ev("debug", "d1"));
    const batch = q.take(2);
    expect(q.size).toBe(0);
    q.unshift(batch);
    expect(ids(q.take(2))).toEqual(["w1", "d1"]);

    const fresh = new PriorityQueue();
    fresh.unshift([ev("info", "x"), ev("critical", "y"), ev("info", "z")]);
    expect(fresh.size).toBe(3);
    expect(ids(fresh.take(3))).toEqual(["y", "x", "z"]);
  });

  it("keeps order across lane compaction (many events taken from one lane)", () => {
    const q = new PriorityQueue();
    const all = Array.from({ length: 5000 }, (_, i) => ev("info", `i${i}`));
    for (const e of all) q.push(e);
    const taken: DevflowEvent[] = [];
    for (let i = 0; i < 4; i++) taken.push(...q.take(1100));
    expect(q.size).toBe(600);
    const last = taken.slice(-50);
    q.unshift(last);
    expect(q.size).toBe(650);
    expect(ids(q.take(10_000))).toEqual(ids([...last, ...all.slice(4400)]));
  });

  it("keeps size and order right over many random pushes, takes and unshifts", () => {
    const next = random(42);
    const q = new PriorityQueue();
    let model: DevflowEvent[] = [];
    for (let op = 0; op < 20_000; op++) {
      const r = next();
      if (r < 0.55) {
        const burst = 1 + Math.floor(next() * 20);
        for (let i = 0; i < burst; i++) {
          const e = ev(SEVERITIES[Math.floor(next() * SEVERITIES.length)]!);
          q.push(e);
          model.push(e);
        }
      } else {
        const max = Math.floor(next() * 40);
        const taken = q.take(max);
        const ordered = modelOrder(model);
        expect(ids(taken)).toEqual(ids(ordered.slice(0, max)));
        model = ordered.slice(taken.length);
        if (r > 0.9) {
          // a failed write: the batch goes back to the front of its lanes
          q.unshift(taken);
          model = [...taken, ...model];
        }
      }
      expect(q.size).toBe(model.length);
    }
    expect(ids(q.take(Number.MAX_SAFE_INTEGER))).toEqual(ids(modelOrder(model)));
    expect(q.size).toBe(0);
  });
});
