// Tool round-trip latency of the built devflow-mcp over stdio, through the SDK client:
// (a) `whoami` against a baseline measured in the same run: a minimal McpServer with one no-op
//     tool (an inline script spawned with node), calls interleaved so machine noise hits both;
// (b) `get_project_status` on a database of 1,000,000 events over 30 days for one project,
//     written through storage.sink.write in batches of 5,000 (which keeps the rollups in step),
//     with the result checked against counts kept while generating. Goal: p99 < 50 ms.
// Run after a build: pnpm --filter @devflow/mcp-server bench  (BENCH_EVENTS=… to scale (b))
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { newEventId } from "@devflow/events";
import { openStorage } from "@devflow/storage";

const SERVER = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = 5_000;
const DAYS = 30;
const DAY = 86_400_000;
const TRIVIAL_CALLS = Number(process.env.BENCH_CALLS ?? 2_000);
const STATUS_CALLS = 300;
const WARMUPS = 50;
const GOAL_P99_MS = 50;

const BASELINE = `
import { McpServer } from ${JSON.stringify(import.meta.resolve("@modelcontextprotocol/sdk/server/mcp.js"))};
import { StdioServerTransport } from ${JSON.stringify(import.meta.resolve("@modelcontextprotocol/sdk/server/stdio.js"))};
const server = new McpServer({ name: "baseline", version: "1.0.0" });
server.registerTool("noop", { description: "does nothing" }, async () => ({
  content: [{ type: "text", text: "ok" }],
}));
await server.connect(new StdioServerTransport());
`;

const TYPES = [
  ["file.changed", (i) => ({ path: `src/module-${i % 97}.ts`, language: "typescript" })],
  ["file.created", (i) => ({ path: `src/new-${i % 13}.ts` })],
  ["activity.heartbeat", () => ({ category: "coding", language: "typescript" }), 30_000],
  ["git.branch_switched", () => ({ from: "main", to: "feature/x" })],
  ["build.started", () => ({ runId: "r1", tool: "tsup", kind: "build" })],
  ["activity.afk", () => ({ idleMs: 300_000 })],
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

async function connect(command, args, env) {
  const transport = new StdioClientTransport({ command, args, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (d) => (stderr += d.toString()));
  const client = new Client({ name: "devflow-bench", version: "1.0.0" });
  try {
    await client.connect(transport);
  } catch (err) {
    throw new Error(`${args.join(" ")}: ${err.message}\n${stderr}`, { cause: err });
  }
  return client;
}

async function timed(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

function check(result, what) {
  if (result.isError) throw new Error(`${what} failed: ${JSON.stringify(result.content)}`);
  return result;
}

const dir = realpathSync(mkdtempSync(join(tmpdir(), "devflow-bench-mcp-")));
const home = join(dir, "home");
const repo = join(dir, "repo");
mkdirSync(home);
mkdirSync(repo);
const env = { ...process.env, DEVFLOW_HOME: home, DEVFLOW_AI_ENABLED: "false" };
delete env.DEVFLOW_JWT_KEYS;
delete env.DEVFLOW_ENCRYPTION_KEYS;
const rows = [];
let failed = false;
const clients = [];
try {
  // Database: EVENTS events for one project, spread evenly over the last 30 days.
  const storage = openStorage({ path: join(home, "devflow.db"), synchronous: "NORMAL" });
  const project = storage.projects.add({ name: "bench", rootPath: repo });
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  const from = now - DAYS * DAY;
  const step = (now - 1 - from) / EVENTS;
  const expected = { today: 0, week: 0, heartbeatMs7d: 0 };
  const setupStarted = performance.now();
  for (let start = 0; start < EVENTS; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(start + BATCH, EVENTS); i++) {
      const [type, data, duration] = TYPES[i % TYPES.length];
      const timestamp = from + Math.floor(i * step);
      if (timestamp >= today) expected.today++;
      if (timestamp >= today - 6 * DAY) {
        expected.week++;
        if (duration) expected.heartbeatMs7d += duration;
      }
      batch.push({
        id: newEventId(),
        type,
        timestamp,
        source: "bench",
        projectId: project.id,
        data: data(i),
        ...(duration ? { duration } : {}),
      });
    }
    const written = storage.sink.write(batch);
    if (written.rejected.length > 0) throw new Error(`rejected: ${written.rejected[0].error}`);
  }
  const setupMs = performance.now() - setupStarted;
  storage.close();
  console.log(
    `setup: ${EVENTS.toLocaleString("en-US")} events through storage.sink.write in batches of ` +
      `${BATCH.toLocaleString("en-US")}: ${(setupMs / 1000).toFixed(1)} s ` +
      `(${Math.round(EVENTS / (setupMs / 1000)).toLocaleString("en-US")} events/s)`,
  );

  const devflow = await connect(
    process.execPath,
    [SERVER, "--no-monitors", "--project", repo, "--toolsets", "project,security"],
    env,
  );
  clients.push(devflow);
  const baseline = await connect(process.execPath, ["--input-type=module", "-e", BASELINE], env);
  clients.push(baseline);

  // (a) trivial round trips, interleaved.
  for (let i = 0; i < WARMUPS; i++) {
    check(await baseline.callTool({ name: "noop", arguments: {} }), "noop");
    check(await devflow.callTool({ name: "whoami", arguments: {} }), "whoami");
  }
  const base = [];
  const who = [];
  for (let i = 0; i < TRIVIAL_CALLS; i++) {
    base.push((await timed(() => baseline.callTool({ name: "noop", arguments: {} }))).ms);
    const r = await timed(() => devflow.callTool({ name: "whoami", arguments: {} }));
    check(r.result, "whoami");
    who.push(r.ms);
  }
  const b = summary(base);
  const w = summary(who);
  rows.push(["baseline: McpServer, one no-op tool", b]);
  rows.push(["devflow-mcp: whoami", w]);

  // (b) get_project_status on the big database.
  let status;
  for (let i = 0; i < 10; i++) {
    status = check(await devflow.callTool({ name: "get_project_status", arguments: {} }), "status");
  }
  const s = status.structuredContent;
  const activeMinutes7d = Math.round(expected.heartbeatMs7d / 600) / 100;
  if (
    s.eventsToday !== expected.today ||
    s.events7d !== expected.week ||
    s.activeMinutes7d !== activeMinutes7d
  ) {
    throw new Error(
      `get_project_status disagrees with the generated data: got today ${s.eventsToday}, 7d ${s.events7d}, ` +
        `active ${s.activeMinutes7d}; expected ${expected.today}, ${expected.week}, ${activeMinutes7d}`,
    );
  }
  console.log(
    `get_project_status matches the generated data: ${s.eventsToday.toLocaleString("en-US")} events today, ` +
      `${s.events7d.toLocaleString("en-US")} in 7 days, ${s.activeMinutes7d} active minutes in 7 days`,
  );
  const st = [];
  for (let i = 0; i < STATUS_CALLS; i++) {
    const r = await timed(() => devflow.callTool({ name: "get_project_status", arguments: {} }));
    check(r.result, "get_project_status");
    st.push(r.ms);
  }
  const g = summary(st);
  rows.push([`devflow-mcp: get_project_status, ${EVENTS.toLocaleString("en-US")} events`, g]);

  const width = Math.max(...rows.map(([name]) => name.length));
  const fmt = (v) => v.toFixed(2).padStart(8);
  console.log("");
  console.log(
    `${"round trip over stdio".padEnd(width)}  ${"n".padStart(5)}  ${"p50 ms".padStart(8)}  ${"p99 ms".padStart(8)}  ${"mean ms".padStart(8)}`,
  );
  for (const [name, r] of rows) {
    console.log(
      `${name.padEnd(width)}  ${String(r.n).padStart(5)}  ${fmt(r.p50)}  ${fmt(r.p99)}  ${fmt(r.mean)}`,
    );
  }
  console.log("");
  console.log(
    `whoami / baseline: p50 ${(w.p50 / b.p50).toFixed(2)}x, p99 ${(w.p99 / b.p99).toFixed(2)}x, ` +
      `mean ${(w.mean / b.mean).toFixed(2)}x (+${(w.p50 - b.p50).toFixed(2)} ms at p50)`,
  );
  const ok = g.p99 < GOAL_P99_MS;
  console.log(
    `get_project_status p99 ${g.p99.toFixed(2)} ms (goal < ${GOAL_P99_MS} ms): ${ok ? "met" : "NOT met"}`,
  );
  if (!ok) failed = true;
} finally {
  for (const c of clients) await c.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
