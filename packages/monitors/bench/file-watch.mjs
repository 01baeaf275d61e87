#!/usr/bin/env node
/**
 * FileMonitor vs bare chokidar 5 on a 50,000-file tree (50 × 10 directories × 100 files):
 * time to ready and RSS added after ready (after gc). Each measurement runs in its own child
 * process (`node --expose-gc`), the two kinds interleaved, PASSES passes each (default 2).
 *
 *   pnpm build && node bench/file-watch.mjs        # PASSES=3 node bench/file-watch.mjs
 *
 * Both children load the same modules and open the same kind of storage before the baseline
 * is taken, so the delta is the watcher (and, for FileMonitor, its snapshot and ignore rules).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TOP = 50;
const SUB = 10;
const FILES = 100;
const PASSES = Number(process.env.PASSES ?? 2);
const MB = 1024 * 1024;

if (process.argv[2] === "--child") {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  await main();
}

function inotifyWatches() {
  let count = 0;
  for (const fd of readdirSync("/proc/self/fdinfo")) {
    try {
      const info = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8");
      count += info.split("\n").filter((line) => line.startsWith("inotify wd:")).length;
    } catch {
      // fd closed meanwhile
    }
  }
  return count;
}

async function settleGc() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function child(kind, root, dbDir) {
  const { watch } = await import("chokidar");
  const { FileMonitor, MonitorsConfigSchema } = await import("../dist/index.js");
  const { EventEngine } = await import("@devflow/events");
  const { openStorage } = await import("@devflow/storage");
  const storage = openStorage({ path: join(dbDir, `${kind}-${process.pid}.db`) });
  const engine = new EventEngine();
  engine.addSink(storage.sink);
  const config = MonitorsConfigSchema.parse({}).file;
  await settleGc();
  const before = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let watchedPaths = 0;
  let files = 0;
  let close;
  if (kind === "bare") {
    const watcher = watch(root, { ignoreInitial: true, persistent: true });
    watcher.on("error", () => {});
    await new Promise((resolve) => watcher.once("ready", resolve));
    for (const list of Object.values(watcher.getWatched())) watchedPaths += list.length;
    close = () => watcher.close();
  } else {
    const project = { id: "bench", name: "bench", rootPath: root };
    const monitor = new FileMonitor({ engine, storage, project }, config);
    await monitor.start();
    watchedPaths = monitor.watchedPathCount();
    files = monitor.status().counters.files;
    close = () => monitor.stop();
  }
  const readyMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await settleGc();
  const after = process.memoryUsage();
  const result = {
    kind,
    readyMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMB: (after.rss - before.rss) / MB,
    heapMB: (after.heapUsed - before.heapUsed) / MB,
    watchedPaths,
    files,
    inotify: inotifyWatches(),
  };
  await close();
  await engine.stop();
  storage.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function generate(root) {
  for (let p = 0; p < TOP; p++) {
    for (let d = 0; d < SUB; d++) {
      const dir = join(root, `p${p}`, `d${d}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < FILES; f++) {
        writeFileSync(join(dir, `f${f}.ts`), `export const v${f} = ${p * 1000 + d * 100 + f};\n`);
      }
    }
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  const self = fileURLToPath(import.meta.url);
  const work = mkdtempSync(join(tmpdir(), "devflow-file-watch-"));
  const root = join(work, "tree");
  const dbDir = join(work, "db");
  mkdirSync(dbDir);
  try {
    let t = performance.now();
    generate(root);
    console.log(
      `tree: ${TOP * SUB * FILES} files in ${TOP * SUB + TOP + 1} directories, generated in ${Math.round(performance.now() - t)} ms`,
    );
    const results = { bare: [], monitor: [] };
    t = performance.now();
    for (let pass = 0; pass < PASSES; pass++) {
      for (const kind of ["bare", "monitor"]) {
        const run = spawnSync(
          process.execPath,
          ["--expose-gc", self, "--child", kind, root, dbDir],
          {
            encoding: "utf8",
            maxBuffer: 16 * MB,
          },
        );
        if (run.status !== 0) throw new Error(`${kind} child failed: ${run.stderr}`);
        const r = JSON.parse(run.stdout.trim().split("\n").pop());
        results[kind].push(r);
        console.log(
          `pass ${pass + 1} ${kind.padEnd(7)} ready ${r.readyMs.toFixed(0).padStart(5)} ms  ` +
            `(CPU ${r.cpuMs.toFixed(0).padStart(5)} ms)  ` +
            `RSS +${r.rssMB.toFixed(1).padStart(6)} MB  heap +${r.heapMB.toFixed(1).padStart(6)} MB  ` +
            `watched paths ${r.watchedPaths}  inotify watches ${r.inotify}` +
            (kind === "monitor" ? `  snapshot files ${r.files}` : ""),
        );
      }
    }
    const m = (kind, key) => median(results[kind].map((r) => r[key]));
    const ready = m("monitor", "readyMs") / m("bare", "readyMs");
    const rss = m("monitor", "rssMB") / m("bare", "rssMB");
    const cpu = m("monitor", "cpuMs") / m("bare", "cpuMs");
    console.log(
      `\nmedians over ${PASSES} passes (${Math.round((performance.now() - t) / 1000)} s):`,
    );
    console.log(
      `  bare chokidar 5: ready ${m("bare", "readyMs").toFixed(0)} ms (CPU ${m("bare", "cpuMs").toFixed(0)} ms), RSS +${m("bare", "rssMB").toFixed(1)} MB`,
    );
    console.log(
      `  FileMonitor:     ready ${m("monitor", "readyMs").toFixed(0)} ms (CPU ${m("monitor", "cpuMs").toFixed(0)} ms), RSS +${m("monitor", "rssMB").toFixed(1)} MB`,
    );
    const verdict = (x) =>
      x <= 1.0 ? "meets the goal" : x <= 1.2 ? "within 1.2×, misses ≤ 1.0×" : "MISSES the goal";
    console.log(
      `  ratio ready FileMonitor/bare: ${ready.toFixed(2)}× (goal ≤ 1.0×: ${verdict(ready)})`,
    );
    console.log(
      `  ratio RSS   FileMonitor/bare: ${rss.toFixed(2)}× (goal ≤ 1.0×: ${verdict(rss)})`,
    );
    console.log(`  ratio CPU to ready (less sensitive to other load): ${cpu.toFixed(2)}×`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
