// 30-day "count by type per hour": 1h rollups vs the same aggregate over raw events.
// Builds a temp DB of 1,000,000 events (30 days, 10 types) through storage.sink.write in batches
// of 10,000, then times both queries (2 warm-ups, median of 9 runs) and checks they agree.
// Run after a build: pnpm --filter @devflow/storage bench
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { newEventId } from "@devflow/events";
import { openStorage } from "../dist/index.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = 10_000;
const DAYS = 30;
const RUNS = 9;
const WARMUPS = 2;
const GOAL = 20;
const HOUR = 3_600_000;

const TYPES = [
  ["file.created", () => ({ path: "src/new.ts", language: "typescript" })],
  ["file.changed", () => ({ path: "src/index.ts", language: "typescript", size: 1200 })],
  ["file.deleted", () => ({ path: "src/old.ts" })],
  ["git.branch_created", () => ({ branch: "feature/x" })],
  ["git.branch_deleted", () => ({ branch: "feature/y" })],
  ["git.branch_switched", () => ({ from: "main", to: "feature/x" })],
  [
    "activity.heartbeat",
    () => ({ category: "coding", language: "typescript", entity: "src/index.ts" }),
  ],
  ["activity.afk", () => ({ idleMs: 300_000 })],
  ["activity.active", () => ({ afterIdleMs: 300_000 })],
  ["build.started", () => ({ runId: "r1", tool: "tsup", kind: "build" })],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn) {
  for (let i = 0; i < WARMUPS; i++) fn();
  const samples = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    result = fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: median(samples), result };
}

const dir = mkdtempSync(join(tmpdir(), "devflow-bench-rollups-"));
const storage = openStorage({ path: join(dir, "bench.db"), synchronous: "NORMAL" });
try {
  const to = Math.floor(Date.now() / HOUR) * HOUR;
  const from = to - DAYS * 24 * HOUR;
  const step = (to - from) / EVENTS;
  const setupStarted = performance.now();
  let stored = 0;
  for (let start = 0; start < EVENTS; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(start + BATCH, EVENTS); i++) {
      const [type, data] = TYPES[i % TYPES.length];
      batch.push({
        id: newEventId(),
        type,
        timestamp: from + Math.floor(i * step),
        source: "bench",
        projectId: i % 3 === 0 ? "p1" : "p2",
        data: data(),
      });
    }
    const result = storage.sink.write(batch);
    if (result.rejected.length > 0) throw new Error(`rejected: ${result.rejected[0].error}`);
    stored += result.stored;
  }
  const setupMs = performance.now() - setupStarted;
  console.log(
    `setup: ${stored.toLocaleString("en-US")} events through storage.sink.write in batches of ${BATCH.toLocaleString("en-US")}: ` +
      `${(setupMs / 1000).toFixed(1)} s (${Math.round(stored / (setupMs / 1000)).toLocaleString("en-US")} events/s)`,
  );

  const range = { from, to };
  const raw = time(() => storage.events.countByTypePerHour(range));
  const rollups = time(() => storage.rollups.countByTypePerHour(range));
  if (!isDeepStrictEqual(raw.result, rollups.result)) {
    throw new Error("rollups and raw events disagree on the 30-day aggregate");
  }
  const total = raw.result.reduce((n, r) => n + r.count, 0);
  console.log(
    `results identical: ${raw.result.length} (type, hour) groups, ${total.toLocaleString("en-US")} events`,
  );
  const ratio = raw.ms / rollups.ms;
  console.log(
    `30-day aggregate: raw ${raw.ms.toFixed(1)} ms, rollups ${rollups.ms.toFixed(1)} ms, ` +
      `${ratio.toFixed(1)}x faster (goal >= ${GOAL}x)`,
  );
  if (ratio < GOAL) process.exitCode = 1;
} finally {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
}
