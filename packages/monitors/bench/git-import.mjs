// Git history import vs the raw `git log --numstat` floor (docs: reference/performance.md §3).
//
// Generates ~20,000-commit histories with `git fast-import` (each commit touches 1–3 of ~2,000
// files; a side branch is merged every 1000 commits; a tag every 2500), in two shapes:
//   tiny:      files of 1–5 short lines, as in the tests. git needs ~0.04 ms per commit here, so
//              this is the worst case for the ratio: storing ~3 rows per commit costs as much as
//              git's diff.
//   realistic: files of 50–400 lines with 1–6 lines edited per touch, so git's per-commit work
//              is closer to a real repository (webpack: 0.58 ms per commit in §3).
// Then times, interleaved for 3 rounds per shape:
//   raw:    git log --numstat --no-renames --format=<DevFlow format> --branches --tags, spawned,
//           output drained and discarded;
//   import: importGitHistory into a fresh temp SQLite database (default settings: WAL,
//           synchronous=FULL), messages redacted.
// Prints medians and the ratio import/raw against the goal (≤ 1.2×).
// Run after a build: pnpm --filter @devflow/monitors build && node bench/git-import.mjs
// BENCH_COMMITS=<n> changes the history size; BENCH_SHAPES=tiny or =realistic runs one shape;
// BENCH_BATCH=<n> sets the import's commits per transaction (default 500, as the product).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStorage } from "@devflow/storage";
import { gitLogArgs, importGitHistory } from "../dist/index.js";

const COMMITS = Number(process.env.BENCH_COMMITS ?? 20_000);
const SHAPES = (process.env.BENCH_SHAPES ?? "tiny,realistic").split(",");
const FILES = 2000;
const ROUNDS = 3;
const GOAL = 1.2;
const BATCH = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;

const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Streams a generated history into `git fast-import` in `repo` (with back-pressure). */
async function generate(repo, shape) {
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env });
  const child = spawn("git", ["fast-import", "--quiet"], {
    cwd: repo,
    env,
    stdio: ["pipe", "ignore", "inherit"],
  });
  const closed = new Promise((resolve, reject) =>
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)),
    ),
  );
  let seed = 42;
  const rand = (n) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const realistic = shape === "realistic";
  const contents = Array.from({ length: FILES }, (_, f) =>
    realistic
      ? Array.from(
          { length: 50 + rand(350) },
          (_, j) => `  const value${j} = compute(${f}, ${j}); // line ${j}`,
        )
      : [],
  );
  const versions = new Array(FILES).fill(0);
  let parts = [];
  let mark = 0;
  let mainHead = 0;
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const touch = (f) => {
    versions[f]++;
    if (!realistic) {
      const n = 1 + (versions[f] % 5);
      return `${Array.from({ length: n }, (_, j) => `v${versions[f]} ${j}`).join("\n")}\n`;
    }
    const lines = contents[f];
    for (let e = 1 + rand(6); e > 0; e--) {
      const at = rand(lines.length);
      const op = rand(4);
      const line = `  edit(${versions[f]}, ${at}); // revision ${versions[f]}`;
      if (op === 0 && lines.length > 20) lines.splice(at, 1);
      else if (op === 1) lines.splice(at, 0, line);
      else lines[at] = line;
    }
    return `${lines.join("\n")}\n`;
  };
  const commit = (ref, from, merge, i) => {
    mark++;
    const when = 1_700_000_000 + i * 60;
    const who = `Dev ${i % 7} <dev${i % 7}@example.com> ${when} +0000`;
    parts.push(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`);
    parts.push(
      data(merge ? "Merge branch 'side'" : `feat(m${i % 13}): change ${i}\n\nBody of ${i}.`),
    );
    if (from) parts.push(`from :${from}\n`);
    if (merge) parts.push(`merge :${merge}\n`);
    const touched = merge ? 0 : 1 + rand(3);
    for (let k = 0; k < touched; k++) {
      const f = rand(FILES);
      parts.push(`M 100644 inline src/dir${f % 40}/file-${f}.ts\n`, data(touch(f)));
    }
    parts.push("\n");
    return mark;
  };
  const flush = async () => {
    if (!child.stdin.write(parts.join(""))) await new Promise((r) => child.stdin.once("drain", r));
    parts = [];
  };
  let i = 0;
  while (i < COMMITS) {
    if (i > 0 && i % 1000 === 0 && i + 3 <= COMMITS) {
      let side = commit("refs/heads/side", mainHead, 0, i++);
      side = commit("refs/heads/side", side, 0, i++);
      mainHead = commit("refs/heads/main", mainHead, side, i++);
      continue;
    }
    mainHead = commit("refs/heads/main", mainHead, 0, i++);
    if (i % 2500 === 0) parts.push(`reset refs/tags/t${i}\nfrom :${mainHead}\n\n`);
    if (i % 200 === 0) await flush();
  }
  await flush();
  child.stdin.end();
  await closed;
}

/** Spawns the raw git log and drains its output; resolves with ms and bytes. */
function rawGitLog(repo) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("git", gitLogArgs(["--branches", "--tags"]), { cwd: repo, env });
    let bytes = 0;
    child.stdout.on("data", (chunk) => (bytes += chunk.length));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, bytes })
        : reject(new Error(`git log exited ${code}`)),
    );
  });
}

async function timedImport(repo, dir, name) {
  const storage = openStorage({ path: join(dir, `${name}.db`) });
  try {
    const started = performance.now();
    const result = await importGitHistory({
      storage,
      project: { id: "bench", name: "bench", rootPath: repo },
      messages: "redacted",
      ...(BATCH ? { batchSize: BATCH } : {}),
    });
    return { ms: performance.now() - started, result };
  } finally {
    storage.close();
  }
}

async function benchShape(dir, shape) {
  const repo = join(dir, shape);
  mkdirSync(repo);
  const genStarted = performance.now();
  await generate(repo, shape);
  const total = Number(
    execFileSync("git", ["rev-list", "--count", "--branches", "--tags"], { cwd: repo, env }),
  );
  console.log(
    `\n[${shape}] ${total} commits, ${FILES} files, generated in ${Math.round(performance.now() - genStarted)} ms`,
  );
  await rawGitLog(repo); // warm the page cache and git's pack index once
  const raw = [];
  const imports = [];
  let files = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const r = await rawGitLog(repo);
    raw.push(r.ms);
    const i = await timedImport(repo, dir, `${shape}-${round}`);
    imports.push(i.ms);
    files = i.result.files;
    if (i.result.commits !== total)
      throw new Error(`import stored ${i.result.commits} of ${total}`);
    console.log(
      `  round ${round}: raw ${r.ms.toFixed(0)} ms (${(r.bytes / 1e6).toFixed(1)} MB), import ${i.ms.toFixed(0)} ms (${i.result.commits} commits, ${i.result.files} file rows)`,
    );
  }
  const rawMs = median(raw);
  const importMs = median(imports);
  const ratio = importMs / rawMs;
  const perCommit = (ms) => `${((ms / total) * 1000).toFixed(0)} µs/commit`;
  console.log(`  raw git log --numstat: median ${rawMs.toFixed(0)} ms (${perCommit(rawMs)})`);
  console.log(
    `  importGitHistory:      median ${importMs.toFixed(0)} ms (${perCommit(importMs)}, ${files} file rows)`,
  );
  console.log(
    `  ratio import/raw: ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×) ${ratio <= GOAL ? "PASS" : "MISS"}`,
  );
  return { shape, ratio };
}

const dir = mkdtempSync(join(tmpdir(), "devflow-bench-git-"));
try {
  const results = [];
  for (const shape of SHAPES) results.push(await benchShape(dir, shape));
  console.log(
    `\nsummary: ${results.map((r) => `${r.shape} ${r.ratio.toFixed(2)}×`).join(", ")} (goal ≤ ${GOAL}×)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
