// AI transcript reading vs ccusage 18.0.11 on the same generated Claude Code corpus, same run.
//
// Generates a corpus of AI_BENCH_MB (default 500) MB with ai-corpus.mjs (streaming splits,
// tool results, progress lines, resumed sessions, subagent files), then times, interleaved for
// AI_BENCH_ROUNDS (default 3) rounds, each as a fresh process:
//   ccusage: `ccusage daily --json --offline` (its whole job: find, parse, de-duplicate, total);
//   devflow: a full read with ClaudeCodeReader (find, skip lines without usage, parse,
//            de-duplicate across files) plus the same per-day-and-model totals.
// Goal: devflow ÷ ccusage ≤ 1.0. Then the incremental case: after a full read (reader state
// kept), 1 MB is appended and read again (goal < 200 ms), against ccusage re-reading everything.
// Finally the whole DevFlow path into a fresh SQLite database: a full syncAiSources, then for
// AI_BENCH_ROUNDS rounds 1 MB appended and read into SQLite (goal < 200 ms), both as a one-shot
// command does it (`devflow analyze ai`: reader state loaded from storage.aiReaders, events
// validated and stored, changed rows saved) and as the running AI monitor does it (readers and
// reader state kept between polls). Run after a build:
// pnpm --filter @devflow/monitors build && node bench/ai-read.mjs
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateEvent } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import {
  AiMonitorConfigSchema,
  AiReaderStates,
  ClaudeCodeReader,
  createAiReaders,
  emptyReaderState,
  readAiEvents,
  syncAiSources,
} from "../dist/index.js";
import { appendClaudeSession, generateClaudeCorpus } from "./ai-corpus.mjs";

const MB = Number(process.env.AI_BENCH_MB ?? 500);
const ROUNDS = Number(process.env.AI_BENCH_ROUNDS ?? 3);
const ccusage = fileURLToPath(new URL("../node_modules/ccusage/dist/index.js", import.meta.url));
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const dir = mkdtempSync(join(tmpdir(), "devflow-ai-bench-"));
const config = join(dir, "claude");
const env = { ...process.env, TZ: "UTC", CLAUDE_CONFIG_DIR: config, HOME: dir };

function timed(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  return { ms, out: r.stdout };
}

// The devflow side as its own process: read everything, then total per day and model.
const devflowScript = `
import { ClaudeCodeReader, emptyReaderState } from ${JSON.stringify(dist)};
const reader = new ClaudeCodeReader({ source: { env: process.env, home: process.env.HOME } });
const days = new Map();
const stats = reader.read(emptyReaderState(), (r) => {
  if (r.kind !== "usage") return;
  const key = new Date(r.timestamp).toISOString().slice(0, 10) + " " + r.model + (r.speed === "fast" ? "-fast" : "");
  const t = days.get(key) ?? [0, 0, 0, 0];
  t[0] += r.tokens.input; t[1] += r.tokens.output; t[2] += r.tokens.cacheWrite; t[3] += r.tokens.cacheRead;
  days.set(key, t);
});
process.stdout.write(JSON.stringify({ groups: days.size, usage: stats.records.usage }));
`;

try {
  const t0 = performance.now();
  const corpus = generateClaudeCorpus({
    dir: config,
    targetBytes: MB * 1024 * 1024,
    seed: 42,
    days: 30,
  });
  console.log(
    `corpus: ${(corpus.bytes / 1048576).toFixed(0)} MB, ${corpus.files} files, ${corpus.responses} responses, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const cc = [];
  const df = [];
  let check;
  for (let i = 0; i < ROUNDS; i++) {
    const a = timed([ccusage, "daily", "--json", "--offline"]);
    cc.push(a.ms);
    const b = timed(["--input-type=module", "-e", devflowScript]);
    df.push(b.ms);
    check = { ccDays: JSON.parse(a.out).daily.length, ...JSON.parse(b.out) };
  }
  const full = { ccusage: median(cc), devflow: median(df) };

  // Incremental: keep the reader state of a full read, append 1 MB, read again.
  const reader = new ClaudeCodeReader({ source: { env, home: dir } });
  const state = emptyReaderState();
  reader.read(state, () => undefined);
  const inc = [];
  let appended = 0;
  for (let i = 0; i < ROUNDS; i++) {
    appended = appendClaudeSession(config, 1024 * 1024, 100 + i).responses;
    const t = performance.now();
    let n = 0;
    reader.read(state, (r) => void (r.kind === "usage" && n++));
    inc.push(performance.now() - t);
    if (n !== appended)
      throw new Error(`incremental read found ${n} of ${appended} appended requests`);
  }
  const ccAfter = timed([ccusage, "daily", "--json", "--offline"]).ms;

  // The whole DevFlow path: readers → events → SQLite.
  const storage = openStorage({ path: join(dir, "devflow.db") });
  const cfg = AiMonitorConfigSchema.parse({
    sources: { codex: false, geminiCli: false, aider: false },
  });
  const src = { env, home: dir };
  const s1 = syncAiSources({ storage, config: cfg, source: src });
  const stateRows = storage.aiReaders.counts();
  // One-shot, as `devflow analyze ai` runs it: state loaded from the tables every time.
  const oneShot = [];
  let stored = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const n = appendClaudeSession(config, 1024 * 1024, 200 + i).responses;
    const s = syncAiSources({ storage, config: cfg, source: src });
    oneShot.push(s.durationMs);
    stored = s.stored;
    if (s.sources[0].records.usage !== n)
      throw new Error(`sync found ${s.sources[0].records.usage} of ${n} appended requests`);
  }
  // As the AI monitor runs it: readers and their state kept between polls.
  const states = new AiReaderStates(storage);
  const readers = createAiReaders(cfg, src, []);
  const poll = () => {
    const read = readAiEvents({ storage, config: cfg, source: src, readers, states });
    storage.events.insertBatch(read.events.map((e) => validateEvent(e)));
    read.commit();
    return read;
  };
  poll();
  const monitor = [];
  for (let i = 0; i < ROUNDS; i++) {
    appendClaudeSession(config, 1024 * 1024, 300 + i);
    const t = performance.now();
    poll();
    monitor.push(performance.now() - t);
  }
  storage.close();

  const rows = [
    ["full read, ccusage 18.0.11 (median)", `${(full.ccusage / 1000).toFixed(2)} s`, ""],
    [
      "full read, devflow reader (median)",
      `${(full.devflow / 1000).toFixed(2)} s`,
      `ratio ${(full.devflow / full.ccusage).toFixed(2)} (goal ≤ 1.0)`,
    ],
    ["+1 MB, devflow incremental (median)", `${median(inc).toFixed(0)} ms`, `goal < 200 ms`],
    ["+1 MB, ccusage re-reads all", `${(ccAfter / 1000).toFixed(2)} s`, ""],
    [
      "devflow sync into SQLite, full",
      `${(s1.durationMs / 1000).toFixed(2)} s`,
      `${s1.stored} events`,
    ],
    [
      "+1 MB into SQLite, one-shot (median)",
      `${median(oneShot).toFixed(0)} ms`,
      `${stored} events; goal < 200 ms`,
    ],
    [
      "+1 MB into SQLite, monitor poll (median)",
      `${median(monitor).toFixed(0)} ms`,
      "goal < 200 ms",
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const r of rows) console.log(`${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`);
  console.log(
    `check: ccusage days ${check.ccDays}, devflow day×model groups ${check.groups}, requests ${check.usage}`,
  );
  console.log(
    `reader state: ${stateRows.files} file rows, ${stateRows.dirs} directory rows, ${stateRows.usageKeys} usage keys, ${stateRows.sessions} sessions (storage.aiReaders)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
