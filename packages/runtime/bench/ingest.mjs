// Ingest benchmark: the whole pipeline (engine.emit -> validation -> batch -> SQLite sink with
// rollups) against raw better-sqlite3 batched inserts into the same schema with the same
// pragmas, measured in the same run, interleaved. Run: pnpm --filter @devflow/runtime bench
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { newEventId } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { createDevflow, loadConfig } from "../dist/index.js";

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SYNC = process.env.BENCH_SYNCHRONOUS ?? "FULL";
const T0 = Date.UTC(2026, 10, 1);

function input(i) {
  return {
    type: "file.changed",
    source: "bench",
    projectId: "bench",
    timestamp: T0 + i * 37,
    data: {
      path: `src/module-${i % 400}/file-${i % 5000}.ts`,
      language: "typescript",
      size: 1000 + (i % 9000),
      linesAdded: i % 17,
      linesRemoved: i % 5,
    },
  };
}

function freshDir() {
  return mkdtempSync(join(tmpdir(), "devflow-bench-ingest-"));
}

async function pipeline() {
  const dir = freshDir();
  const config = loadConfig({
    env: {},
    overrides: {
      home: dir,
      storage: { synchronous: SYNC },
      engine: { batchSize: BATCH, maxWaitMs: 5000, highWaterMark: 10_000 },
    },
  });
  const devflow = createDevflow(config);
  const start = performance.now();
  for (let i = 0; i < N; i++) await devflow.engine.emit(input(i));
  await devflow.engine.drain();
  const ms = performance.now() - start;
  const stats = devflow.engine.stats();
  const stored = devflow.storage.info().events;
  await devflow.stop();
  rmSync(dir, { recursive: true, force: true });
  if (stored !== N) throw new Error(`pipeline stored ${stored} of ${N}`);
  return { ms, batchMs: stats.batchLatencyMs.avg };
}

function raw() {
  const dir = freshDir();
  const path = join(dir, "raw.db");
  openStorage({ path, synchronous: SYNC }).close(); // same schema and migrations
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${SYNC}`);
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  const insert = db.prepare(
    `INSERT INTO events (id, type, category, severity, timestamp, duration, source, project_id, data, metadata, correlation_id, parent_id, received_at)
     VALUES (@id, @type, @category, @severity, @timestamp, NULL, @source, @projectId, @data, NULL, NULL, NULL, @receivedAt)`,
  );
  const write = db.transaction((rows) => {
    for (const r of rows) insert.run(r);
  });
  const start = performance.now();
  let batchTotal = 0;
  for (let i = 0; i < N; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(N, i + BATCH); j++) {
      const e = input(j);
      rows.push({
        ...e,
        id: newEventId(),
        category: "file",
        severity: "info",
        data: JSON.stringify(e.data),
        receivedAt: Date.now(),
      });
    }
    const b = performance.now();
    write.immediate(rows);
    batchTotal += performance.now() - b;
  }
  const ms = performance.now() - start;
  const count = db.prepare("SELECT count(*) AS n FROM events").get().n;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  if (count !== N) throw new Error(`raw stored ${count} of ${N}`);
  return { ms, batchMs: batchTotal / Math.ceil(N / BATCH) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rawRuns = [];
const pipeRuns = [];
await pipeline(); // warm-up (JIT, page cache)
for (let r = 0; r < ROUNDS; r++) {
  rawRuns.push(raw());
  pipeRuns.push(await pipeline());
}
const rawRate = N / (median(rawRuns.map((r) => r.ms)) / 1000);
const pipeRate = N / (median(pipeRuns.map((r) => r.ms)) / 1000);
const rawBatch = median(rawRuns.map((r) => r.batchMs));
const pipeBatch = median(pipeRuns.map((r) => r.batchMs));
console.log(
  `ingest (${N} events, batches of ${BATCH}, WAL, synchronous=${SYNC}, median of ${ROUNDS}):`,
);
console.log(`  raw better-sqlite3 batched inserts: ${Math.round(rawRate)} events/s`);
console.log(`  pipeline engine.emit -> SQLite:     ${Math.round(pipeRate)} events/s`);
console.log(`  ratio pipeline/raw: ${(pipeRate / rawRate).toFixed(2)} (goal >= 0.50)`);
console.log(
  `  commit per batch: raw ${rawBatch.toFixed(2)} ms, pipeline sink ${pipeBatch.toFixed(2)} ms (${(pipeBatch / rawBatch).toFixed(2)}x)`,
);
