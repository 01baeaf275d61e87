import { mkdtempSync, realpathSync, rmSync, statfsSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { EventEngine } from "@devflow/events";
import { openStorage, type Storage } from "@devflow/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SystemSample, SystemSampler, SystemMonitor } from "../src/system-monitor.js";

let tmp: string;
let storage: Storage;
let engine: EventEngine;
let monitor: SystemMonitor | undefined;

beforeEach(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), "devflow-system-")));
  storage = openStorage({ path: join(tmp, "devflow.db") });
  engine = new EventEngine({ maxWaitMs: 50 });
  engine.addSink(storage.sink);
});

afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
  await engine.stop();
  storage.close();
  rmSync(tmp, { recursive: true, force: true });
});

const base: SystemSample = {
  cpuPercent: 10,
  memoryPercent: 50,
  memoryUsedBytes: 4e9,
  memoryTotalBytes: 8e9,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  diskUsedPercent: 42,
  processRssBytes: 80e6,
  eventLoopLagMs: 1,
};
const config = {
  enabled: true,
  intervalMs: 60_000,
  cpuPercent: 90,
  memoryPercent: 85,
  sustainMs: 30_000,
};

describe("SystemMonitor alerts", () => {
  it("raises once after the sustain window and clears once when the value drops back", async () => {
    // [seconds, cpu %, memory %]
    const script: Array<[number, number, number]> = [
      [0, 95, 50], // cpu above from t=0 …
      [10, 97, 50],
      [20, 50, 50], // … but drops before 30 s: no alert
      [30, 92, 50], // above again from t=30
      [40, 93, 50],
      [55, 95, 86], // 25 s: not yet; memory above from t=55
      [60, 96, 86], // 30 s: raised
      [70, 99, 86], // still above: no second alert
      [80, 40, 87], // back below: cleared (above for 50 s)
      [85, 40, 90], // memory 30 s above: raised
      [90, 91, 85], // memory at the threshold: cleared; cpu above again, only 0 s
      [100, 40, 60],
    ];
    const T0 = 1_800_000_000_000;
    let i = 0;
    let now = T0;
    monitor = new SystemMonitor({ engine, storage }, config, {
      now: () => now,
      sampler: () => {
        const [, cpuPercent, memoryPercent] = script[i]!;
        return { ...base, cpuPercent, memoryPercent };
      },
    });
    await monitor.start();
    for (i = 0; i < script.length; i++) {
      now = T0 + script[i]![0] * 1000;
      await monitor.sampleNow();
    }
    await engine.flush();

    const alerts = storage.events.query({ types: ["system.alert"] });
    expect(
      alerts.map((e) => ({ t: (e.timestamp - T0) / 1000, severity: e.severity, ...e.data })),
    ).toEqual([
      {
        t: 60,
        severity: "warning",
        metric: "cpuPercent",
        value: 96,
        threshold: 90,
        sustainedMs: 30_000,
        state: "raised",
      },
      {
        t: 80,
        severity: "info",
        metric: "cpuPercent",
        value: 40,
        threshold: 90,
        sustainedMs: 50_000,
        state: "cleared",
      },
      {
        t: 85,
        severity: "warning",
        metric: "memoryPercent",
        value: 90,
        threshold: 85,
        sustainedMs: 30_000,
        state: "raised",
      },
      {
        t: 90,
        severity: "info",
        metric: "memoryPercent",
        value: 85,
        threshold: 85,
        sustainedMs: 35_000,
        state: "cleared",
      },
    ]);
    const samples = storage.events.query({ types: ["system.sample"] });
    expect(samples).toHaveLength(script.length);
    expect(samples[6]).toMatchObject({
      source: "system",
      severity: "debug",
      timestamp: T0 + 60_000,
      data: { ...base, cpuPercent: 96, memoryPercent: 86 },
    });
    expect(monitor.status().counters).toMatchObject({ samples: 12, alerts: 2, events: 16 });
  });

  it("counts a failing sampler, stays up and recovers", async () => {
    let fail = true;
    monitor = new SystemMonitor({ engine, storage }, config, {
      sampler: () => {
        if (fail) throw new Error("no /proc");
        return base;
      },
    });
    await monitor.start();
    await monitor.sampleNow();
    expect(monitor.status()).toMatchObject({
      health: "degraded",
      message: "sampling failed: no /proc",
      counters: { sampleErrors: 1 },
    });
    fail = false;
    await monitor.sampleNow();
    expect(monitor.status()).toMatchObject({ health: "healthy", counters: { samples: 1 } });
  });
});

describe("SystemMonitor with the real sampler", () => {
  it("samples on its interval with plausible values", async () => {
    monitor = new SystemMonitor({ engine, storage }, { ...config, intervalMs: 100 });
    await monitor.start();
    await new Promise((r) => setTimeout(r, 480));
    await monitor.stop();
    await engine.flush();
    const samples = storage.events.query({ types: ["system.sample"] });
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples.length).toBeLessThanOrEqual(5);
    const s = statfsSync(tmp);
    const df = ((s.blocks - s.bfree) / (s.blocks - s.bfree + s.bavail)) * 100;
    for (const { data } of samples) {
      const d = data as SystemSample;
      expect(d.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(d.cpuPercent).toBeLessThanOrEqual(100);
      expect(d.memoryTotalBytes).toBe(totalmem());
      expect(d.memoryUsedBytes).toBeGreaterThan(0);
      expect(d.memoryUsedBytes).toBeLessThanOrEqual(d.memoryTotalBytes);
      expect(d.memoryPercent).toBeCloseTo((d.memoryUsedBytes / d.memoryTotalBytes) * 100, 1);
      for (const load of [d.load1, d.load5, d.load15]) expect(load).toBeGreaterThanOrEqual(0);
      expect(Math.abs(d.diskUsedPercent! - df)).toBeLessThan(1); // the DevFlow home's filesystem
      expect(d.processRssBytes).toBeGreaterThan(20e6);
      expect(d.processRssBytes).toBeLessThan(d.memoryTotalBytes);
      expect(d.eventLoopLagMs).toBeGreaterThanOrEqual(0);
      expect(d.eventLoopLagMs).toBeLessThan(1000);
    }
  });

  it("sees a busy CPU and a blocked event loop", async () => {
    const sampler = new SystemSampler(tmp);
    await new Promise((r) => setTimeout(r, 100));
    sampler.sample(); // baseline
    await new Promise((r) => setTimeout(r, 60));
    const until = Date.now() + 300;
    while (Date.now() < until); // one core busy, the event loop blocked
    await new Promise((r) => setTimeout(r, 60));
    const busy = sampler.sample();
    sampler.close();
    expect(busy.cpuPercent).toBeGreaterThan(15);
    expect(busy.eventLoopLagMs).toBeGreaterThan(200);
    expect(busy.eventLoopLagMs).toBeLessThan(1000);
  });
});
