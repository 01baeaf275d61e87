// Stage and metrics computation over 1,000,000 stored events.
// Builds a temp DB with one project's 30 days of work: file events following eight phases (PRD,
// schema, design, front end, back end, tests, deployment, operation; 15 % of edits off-phase),
// commits with their files, build and test runs, heartbeats, AI events and machine samples,
// written through storage.sink.write in batches of 10,000. Then times, against the baseline of
// reading the same events page by page (the I/O every analysis pays):
//   - a full stage analysis (advanceStages from scratch, then storing its transitions, events and
//     state as the runtime's AnalysisJobs.refreshStages does),
//   - an incremental one after 10,000 new events,
//   - the stage report, the 7-day and 30-day metrics, and the bottleneck detector.
// Run after a build: pnpm --filter @devflow/analyzers bench (BENCH_EVENTS=… to scale).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newEventId } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import {
  detectBottlenecks,
  gatherBottleneckInput,
  metricsReport,
  STAGE_EVENT_TYPES,
  stageReport,
  stageStateKey,
  storedEvents,
  advanceStages,
} from "../dist/index.js";

/** What AnalysisJobs.refreshStages (@devflow/runtime) does: advance, then store the results. */
function updateStages(storage, projectId) {
  const key = stageStateKey(projectId);
  const step = advanceStages(storage, { projectId, state: storage.settings.get(key) });
  if (step.rows.length > 0) storage.work.recordTransitions(step.rows, step.events);
  if (step.state) storage.settings.set(key, step.state);
  return step;
}

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = 10_000;
const DAYS = 30;
const DAY = 86_400_000;
const RUNS = 3;

const PHASES = [
  ["docs/PRD.md", "docs/requirements.md", "docs/user-stories.md", "docs/personas.md"],
  [
    "db/schema.sql",
    "db/migrations/001_init.sql",
    "db/migrations/002_orders.sql",
    "prisma/schema.prisma",
  ],
  ["design/app.fig", "design/mockups/home.png", "design/mockups/cart.png", "design/tokens.json"],
  Array.from({ length: 60 }, (_, i) => `src/components/Widget${i}.tsx`),
  Array.from({ length: 60 }, (_, i) => `src/api/handlers/route-${i}.ts`),
  Array.from({ length: 60 }, (_, i) => `src/api/handlers/route-${i}.test.ts`),
  ["Dockerfile", "docker-compose.yml", ".github/workflows/ci.yml", "deploy/helm/values.yaml"],
  [
    "monitoring/prometheus.yml",
    "monitoring/alerts.yml",
    "monitoring/grafana/app.json",
    "docs/runbook.md",
  ],
];

let seed = 12345;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = (list) => list[Math.floor(rand() * list.length)];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn, before = () => {}) {
  const samples = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    before();
    const started = process.hrtime.bigint();
    result = fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: median(samples), result };
}

const dir = mkdtempSync(join(tmpdir(), "devflow-bench-work-"));
const storage = openStorage({ path: join(dir, "bench.db"), synchronous: "NORMAL" });
try {
  const project = storage.projects.add({ name: "bench", rootPath: join(dir, "project") });
  const to = Math.floor(Date.now() / DAY) * DAY;
  const from = to - DAYS * DAY;
  const step = (to - from) / EVENTS;
  const setupStarted = performance.now();
  let stored = 0;
  let commits = 0;
  const event = (i, type, data, extra = {}) => ({
    id: newEventId(),
    type,
    timestamp: from + Math.floor(i * step),
    source: "bench",
    projectId: project.id,
    data,
    ...extra,
  });
  for (let start = 0; start < EVENTS; start += BATCH) {
    const batch = [];
    const commitRows = [];
    for (let i = start; i < Math.min(start + BATCH, EVENTS); i++) {
      const t = from + Math.floor(i * step);
      const phase = Math.floor(((t - from) / (DAYS * DAY)) * PHASES.length);
      const pool = rand() < 0.85 ? PHASES[phase] : pick(PHASES);
      const r = rand();
      if (r < 0.7) {
        const type = rand() < 0.1 ? "file.created" : "file.changed";
        batch.push(
          event(i, type, {
            path: pick(pool),
            linesAdded: Math.floor(rand() * 20),
            linesRemoved: Math.floor(rand() * 10),
          }),
        );
      } else if (r < 0.72) {
        const hash = (++commits).toString(16).padStart(40, "0");
        const files = [pick(pool), pick(pool)].filter((p, k, a) => a.indexOf(p) === k);
        commitRows.push({
          projectId: project.id,
          hash,
          authorName: "Dev",
          authorEmail: `dev${commits % 5}@example.com`,
          authoredAt: t,
          files: files.map((path) => ({ path, insertions: 12, deletions: 4 })),
        });
        batch.push(
          event(i, "git.commit", {
            hash,
            parents: [],
            author: { name: "Dev" },
            authoredAt: t,
            isMerge: false,
            filesChanged: files.length,
            insertions: 24,
            deletions: 8,
          }),
        );
      } else if (r < 0.75) {
        const kind = rand() < 0.5 ? "test" : "build";
        const durationMs = 20_000 + Math.floor(rand() * 40_000);
        batch.push(
          event(
            i,
            "build.finished",
            {
              runId: `r${i}`,
              tool: kind === "test" ? "vitest" : "tsc",
              kind,
              exitCode: 0,
              success: rand() > 0.05,
              durationMs,
            },
            { duration: durationMs },
          ),
        );
      } else if (r < 0.76) {
        batch.push(
          event(i, "test.run_finished", {
            tool: "vitest",
            origin: "junit",
            passed: 200,
            failed: rand() < 0.1 ? 1 : 0,
            durationMs: 30_000,
          }),
        );
      } else if (r < 0.86) {
        batch.push(
          event(
            i,
            "activity.heartbeat",
            { category: "coding", entity: pick(pool) },
            { duration: 60_000 },
          ),
        );
      } else if (r < 0.9) {
        batch.push(
          event(i, "ai.tool_use", {
            tool: "claude-code",
            sessionId: "s1",
            name: "Edit",
            path: pick(pool),
          }),
        );
      } else {
        // Machine samples belong to no project.
        const sample = event(i, "system.sample", {
          cpuPercent: 20 + rand() * 30,
          memoryPercent: 50 + rand() * 10,
          memoryUsedBytes: 8e9,
          memoryTotalBytes: 16e9,
          load1: 1,
          load5: 1,
          load15: 1,
          processRssBytes: 1e8,
          eventLoopLagMs: 1,
        });
        delete sample.projectId;
        batch.push(sample);
      }
    }
    storage.commits.insertMany(commitRows);
    const result = storage.sink.write(batch);
    if (result.rejected.length > 0) throw new Error(`rejected: ${result.rejected[0].error}`);
    stored += result.stored;
  }
  const setupMs = performance.now() - setupStarted;
  console.log(
    `setup: ${stored.toLocaleString("en-US")} events (${commits.toLocaleString("en-US")} commits) in ${(setupMs / 1000).toFixed(1)} s`,
  );

  const baseline = time(() => {
    const events = storedEvents(storage.events, {
      projectId: project.id,
      types: STAGE_EVENT_TYPES,
    });
    let n = 0;
    while (!events.next().done) n++;
    return n;
  });
  const fresh = () => storage.settings.delete(stageStateKey(project.id));
  const full = time(() => updateStages(storage, project.id), fresh);
  const stageChanges = full.result.transitions.filter((t) => t.from !== t.to).map((t) => t.to);
  // Incremental: 10,000 more events after the last run (each run starts from the saved state).
  const saved = storage.settings.get(stageStateKey(project.id));
  const more = [];
  for (let i = 0; i < 10_000; i++)
    more.push({
      ...event(EVENTS + i, "file.changed", { path: pick(PHASES[7]) }),
      timestamp: to + i * 1000,
    });
  storage.sink.write(more);
  const incremental = time(
    () => updateStages(storage, project.id),
    () => storage.settings.set(stageStateKey(project.id), saved),
  );
  const period7 = { from: to - 7 * DAY, to };
  const period30 = { from, to };
  const report = time(() => stageReport(storage, project.id, period30));
  const metrics7 = time(() => metricsReport(storage, project.id, period7));
  const metrics30 = time(() => metricsReport(storage, project.id, period30));
  const bottlenecks = time(() => detectBottlenecks(gatherBottleneckInput(storage, project.id, to)));

  const rows = [
    [
      "read the stage events page by page (baseline)",
      baseline.ms,
      `${baseline.result.toLocaleString("en-US")} events`,
    ],
    [
      "stage analysis, full (read + score + store)",
      full.ms,
      `${full.result.processed.toLocaleString("en-US")} events, ${full.result.transitions.length} transitions`,
    ],
    [
      "stage analysis, incremental (+10,000 events)",
      incremental.ms,
      `${incremental.result.processed.toLocaleString("en-US")} events`,
    ],
    ["stage report, 30 days", report.ms, `${report.result.timeInStage.length} stages`],
    ["metrics, 7 days (+ previous 7)", metrics7.ms, `${metrics7.result.metrics.length} metrics`],
    [
      "metrics, 30 days (+ previous 30)",
      metrics30.ms,
      `${metrics30.result.metrics.length} metrics`,
    ],
    ["bottleneck detector", bottlenecks.ms, `${bottlenecks.result.length} findings`],
  ];
  console.log(`\nmedian of ${RUNS} runs; ratio = time ÷ baseline read\n`);
  console.log("| operation | ms | ratio | notes |\n|---|---:|---:|---|");
  for (const [name, ms, note] of rows) {
    console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / baseline.ms).toFixed(2)}× | ${note} |`);
  }
  console.log(`\nstages found: ${stageChanges.join(" → ")}`);
  const perEvent = (full.ms * 1e6) / full.result.processed;
  console.log(
    `stage analysis: ${Math.round(perEvent)} ns per event, ${Math.round(full.result.processed / (full.ms / 1000)).toLocaleString("en-US")} events/s`,
  );
} finally {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
}
