// Git analytics over stored facts at 100,000 commits (docs: reference/performance.md §3).
//
// Generates a 100,000-commit history with `git fast-import` (each commit touches 1–4 of 20,000
// files picked with a skewed popularity, some files usually change in pairs, one commit in 1,000 touches 35–60 files, a side
// branch is merged every 1,000 commits, a release tag every 500), stores it in a temp SQLite
// database (parsed from `git log --numstat --no-renames`, as the import stores it), then times,
// each in a fresh child process (3 rounds, medians; peak RSS from the child):
//   scan:       the SQL floor: iterate every commit_files ⋈ commits row the analyses read
//               (the same query as the analyses, with nothing done per row);
//   frequency:  revisions (one aggregate pass) — goal ≤ 2× `git log --name-only`;
//   coupling:   code-maat coupling alone (two streaming passes, defaults);
//   naive:      for comparison, one pass counting every pair of every change (what the
//               streaming coupling avoids holding);
//   all:        every analysis together (code-maat's, hotspots, knowledge, co-changes,
//               commit statistics, messages, DORA);
//   refresh:    an incremental index: full build, then 1,000 new commits folded in.
// Baselines measured in the same run: `git log --name-only` and `git log --numstat`.
// Run: pnpm --filter @devflow/analyzers bench (builds first). BENCH_COMMITS=<n> resizes.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStorage } from "@devflow/storage";
import { sqliteOf } from "@devflow/storage/testing";

const COMMITS = Number(process.env.BENCH_COMMITS ?? 100_000);
const FILES = 20_000;
const ROUNDS = 3;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
const self = fileURLToPath(import.meta.url);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function generate(repo) {
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env });
  const child = spawn("git", ["fast-import", "--quiet"], {
    cwd: repo,
    env,
    stdio: ["pipe", "ignore", "inherit"],
  });
  const closed = new Promise((res, rej) =>
    child.on("close", (c) => (c === 0 ? res() : rej(new Error(`fast-import ${c}`)))),
  );
  // mulberry32: no correlation between consecutive picks (an LCG's would invent coupling).
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rand = (n) => Math.floor(random() * n);
  // Skewed popularity, as in real repositories: a few hot files, a long tail of cold ones.
  const pickFile = () => Math.floor(FILES * random() ** 2);
  const version = new Array(FILES).fill(0);
  let parts = [];
  let mark = 0;
  let mainHead = 0;
  const data = (t) => `data ${Buffer.byteLength(t)}\n${t}\n`;
  const commit = (ref, from, merge, i) => {
    mark++;
    const who = `Dev ${i % 40} <dev${i % 40}@example.com> ${1_600_000_000 + i * 300} +0000`;
    parts.push(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`);
    parts.push(
      data(merge ? "Merge branch 'side'" : `${i % 6 === 0 ? "fix" : "feat"}: change ${i}`),
    );
    if (from) parts.push(`from :${from}\n`);
    if (merge) parts.push(`merge :${merge}\n`);
    if (!merge) {
      const picks = new Set();
      const n = i % 1000 === 17 ? 35 + rand(26) : 1 + rand(4);
      while (picks.size < n) {
        const f = pickFile();
        picks.add(f);
        if (f % 10 === 0 && f + 1 < FILES && rand(10) < 7) picks.add(f + 1);
      }
      for (const f of picks) {
        version[f]++;
        const lines = Array.from({ length: 1 + (version[f] % 7) }, (_, j) => `v${version[f]} ${j}`);
        parts.push(`M 100644 inline src/m${f % 50}/f${f}.ts\n`, data(`${lines.join("\n")}\n`));
      }
    }
    parts.push("\n");
    return mark;
  };
  const flush = async () => {
    if (!child.stdin.write(parts.join(""))) await new Promise((r) => child.stdin.once("drain", r));
    parts = [];
  };
  for (let i = 0; i < COMMITS;) {
    if (i > 0 && i % 1000 === 0 && i + 2 <= COMMITS) {
      const side = commit("refs/heads/side", mainHead, 0, i++);
      mainHead = commit("refs/heads/main", mainHead, side, i++);
      continue;
    }
    mainHead = commit("refs/heads/main", mainHead, 0, i++);
    if (i % 500 === 0) parts.push(`reset refs/tags/v1.${i / 500}.0\nfrom :${mainHead}\n\n`);
    if (i % 500 === 0) await flush();
  }
  await flush();
  child.stdin.end();
  await closed;
}

function timedGit(repo, args) {
  const started = performance.now();
  const r = spawnSync("git", args, { cwd: repo, env, maxBuffer: 2 ** 31 });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed`);
  return { ms: performance.now() - started, out: r.stdout };
}

/** Stores the history as the import does (numstat without renames, every branch and tag). */
function store(repo, dbPath) {
  const fmt = "--format=%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%ct%x1f%B%x1d";
  const out = timedGit(repo, [
    "log",
    "--numstat",
    "--no-renames",
    fmt,
    "--branches",
    "--tags",
  ]).out.toString("utf8");
  const storage = openStorage({ path: dbPath, synchronous: "OFF" });
  let batch = [];
  let commits = 0;
  let rows = 0;
  for (const record of out.split("\x1e").slice(1)) {
    const end = record.indexOf("\x1d");
    const [hash, parents, name, email, at, ct, message] = record.slice(0, end).split("\x1f");
    const files = record
      .slice(end + 1)
      .split("\n")
      .filter((l) => l.includes("\t"))
      .map((l) => {
        const [a, d, path] = l.split("\t");
        return {
          path,
          insertions: a === "-" ? null : Number(a),
          deletions: d === "-" ? null : Number(d),
        };
      });
    rows += files.length;
    batch.push({
      projectId: "bench",
      hash,
      parents: parents ? parents.split(" ") : [],
      authorName: name,
      authorEmail: email,
      authoredAt: Number(at) * 1000,
      committedAt: Number(ct) * 1000,
      message: message.trimEnd(),
      files,
    });
    if (batch.length === 5000)
      ((commits += storage.commits.insertMany(batch).inserted), (batch = []));
  }
  commits += storage.commits.insertMany(batch).inserted;
  storage.close();
  return { commits, rows };
}

async function child(workload, dbPath, repoTags) {
  const a = await import("../dist/index.js");
  const storage = openStorage({ path: dbPath, synchronous: "OFF" });
  const scope = { projectId: "bench" };
  // The raw connection, for the scan baseline only (the analyses read through storage.commits).
  const db = sqliteOf(storage);
  const started = performance.now();
  const info = {};
  if (workload === "scan") {
    const stmt = db
      .prepare(
        `SELECT c.hash, c.author_name, c.authored_at, f.path, f.insertions, f.deletions, NULL
       FROM commits c CROSS JOIN commit_files f ON f.project_id = c.project_id AND f.hash = c.hash
       WHERE c.project_id = ? ORDER BY c.authored_at, c.rowid`,
      )
      .raw(true);
    let n = 0;
    for (const row of stmt.iterate("bench")) n += row.length > 0 ? 1 : 0;
    info.rows = n;
  } else if (workload === "frequency") {
    info.rows = a.revisions(a.buildAggregates(storage.commits, scope)).length;
  } else if (workload === "coupling") {
    info.pairs = a.coupling(storage.commits, scope).length;
  } else if (workload === "naive") {
    // What the streaming design avoids: a counter for every pair of every change ≤ 30 files.
    const pairs = new Map();
    const revs = [];
    let occurrences = 0;
    a.forEachChange(
      storage.commits,
      { scope: a.resolveScope(scope), dict: a.createDictionary() },
      (c) => {
        if (c.entities.length > 30) return;
        for (const e of c.entities) revs[e] = (revs[e] ?? 0) + 1;
        for (let i = 0; i < c.entities.length; i++)
          for (let j = i + 1; j < c.entities.length; j++) {
            const k = a.pairKey(c.entities[i], c.entities[j]);
            pairs.set(k, (pairs.get(k) ?? 0) + 1);
            occurrences++;
          }
      },
    );
    info.pairs = pairs.size;
    info.occurrences = occurrences;
    // The counters coupling keeps: pairs of files that both have min-shared-revs (5) revisions.
    info.kept = 0;
    for (const k of pairs.keys()) {
      const [x, y] = a.pairOf(k);
      if (revs[x] >= 5 && revs[y] >= 5) info.kept++;
    }
  } else if (workload === "all") {
    const agg = a.buildAggregates(storage.commits, scope);
    const now = agg.entities.reduce((m, e) => Math.max(m, e?.lastAt ?? 0), 0) + 86_400_000;
    const loc = new Map([...agg.entityIds()].map((e) => [agg.entityName(e), 10 + (e % 300)]));
    let rows = 0;
    for (const f of [
      a.summary,
      a.revisions,
      a.authors,
      a.absoluteChurn,
      a.authorChurn,
      a.entityChurn,
      a.entityOwnership,
      a.entityEffort,
      a.fragmentation,
      a.communication,
      a.sumOfCoupling,
    ])
      rows += f(agg).length;
    for (const by of ["added", "removed", "revisions"]) rows += a.mainDeveloper(agg, { by }).length;
    rows += a.codeAge(agg, { now }).length;
    rows += a.coupling(storage.commits, agg).length;
    rows += a.hotspots(agg, { loc, now }).length;
    rows += a.busFactor(agg, { files: loc.keys() }).length;
    rows += a.knowledgeLoss(agg, { now, files: loc.keys() }).rows.length;
    rows += a.coChanges(storage.commits, scope, ["src/m0/f0.ts", "src/m10/f10.ts"]).rows.length;
    rows += a.messageMatches(storage.commits, scope, { pattern: a.FIX_PATTERN }).rows.length;
    rows += a.commitStats(storage.commits, scope).authors.length;
    const tags = JSON.parse(repoTags);
    const dora = a.doraFromGit(a.readDoraCommits(storage.commits, "bench"), {
      tags,
      to: now,
      from: 0,
    });
    info.rows = rows;
    info.deployments = dora.deploymentFrequency.deployments;
  } else if (workload === "refresh") {
    const index = new a.GitAnalyticsIndex(storage.commits, scope);
    index.refresh();
    info.fullMs = Math.round(performance.now() - started);
    const last = db.prepare("SELECT MAX(authored_at) AS t FROM commits").get().t;
    const fresh = Array.from({ length: 1000 }, (_, i) => ({
      projectId: "bench",
      hash: (0xabc000000 + i).toString(16).padStart(40, "0"),
      authorName: `Dev ${i % 40}`,
      authorEmail: `dev${i % 40}@example.com`,
      authoredAt: last + (i + 1) * 60_000,
      files: [{ path: `src/m${i % 50}/f${i % 5000}.ts`, insertions: 2, deletions: 1 }],
    }));
    storage.commits.insertMany(fresh);
    const t = performance.now();
    const r = index.refresh();
    info.incrementalMs = Math.round(performance.now() - t);
    info.mode = r.mode;
    info.read = r.commitsRead;
  }
  const ms = performance.now() - started;
  storage.close();
  process.stdout.write(
    JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, ...info }),
  );
}

function runChild(workload, dbPath, tags) {
  const r = spawnSync(process.execPath, [self, "child", workload, dbPath], {
    env: { ...process.env, BENCH_TAGS: tags },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`${workload} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "devflow-bench-analyzers-"));
  try {
    const repo = join(dir, "repo");
    let t = performance.now();
    await generate(repo);
    console.log(
      `generated ${COMMITS} commits with fast-import in ${Math.round(performance.now() - t)} ms`,
    );
    const dbPath = join(dir, "bench.db");
    t = performance.now();
    const stored = store(repo, dbPath);
    console.log(
      `stored ${stored.commits} commits and ${stored.rows} file rows in ${Math.round(performance.now() - t)} ms`,
    );
    const tagsOut = execFileSync(
      "git",
      [
        "for-each-ref",
        "--format=%(refname:strip=2)%09%(objectname)%09%(creatordate:unix)",
        "refs/tags",
      ],
      { cwd: repo, env, encoding: "utf8" },
    );
    const tags = JSON.stringify(
      tagsOut
        .trim()
        .split("\n")
        .map((l) => {
          const [name, commit, at] = l.split("\t");
          return { name, commit, at: Number(at) * 1000 };
        }),
    );

    const results = {};
    const add = (k, v) => (results[k] ??= []).push(v);
    timedGit(repo, ["log", "--name-only", "--no-renames", "--format=%H", "--branches", "--tags"]); // warm
    for (let round = 1; round <= ROUNDS; round++) {
      add("git --name-only", {
        ms: timedGit(repo, [
          "log",
          "--name-only",
          "--no-renames",
          "--format=%H%x1f%aN%x1f%at",
          "--branches",
          "--tags",
        ]).ms,
      });
      add("git --numstat", {
        ms: timedGit(repo, [
          "log",
          "--numstat",
          "--no-renames",
          "--format=%H%x1f%aN%x1f%at",
          "--branches",
          "--tags",
        ]).ms,
      });
      for (const w of ["scan", "frequency", "coupling", "naive", "all"])
        add(w, runChild(w, dbPath, tags));
      const copy = join(dir, `refresh-${round}.db`);
      copyFileSync(dbPath, copy);
      add("refresh", runChild("refresh", copy, tags));
    }
    const m = (k, f = "ms") => median(results[k].map((r) => r[f]));
    const nameOnly = m("git --name-only");
    const numstat = m("git --numstat");
    const scan = m("scan");
    const row = (label, ms, rss, note = "") =>
      console.log(
        `  ${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms ${rss === null ? "        " : `${rss.toFixed(0).padStart(5)} MB`}  ${note}`,
      );
    console.log(
      `\nmedians of ${ROUNDS} rounds (${stored.commits} commits, ${stored.rows} file rows; peak RSS of the child process)`,
    );
    row("git log --name-only (baseline)", nameOnly, null);
    row("git log --numstat (baseline)", numstat, null);
    row(
      "SQL scan of the facts (floor)",
      scan,
      m("scan", "maxRssMB"),
      `${results.scan[0].rows} rows`,
    );
    row(
      "revisions (frequency)",
      m("frequency"),
      m("frequency", "maxRssMB"),
      `${(m("frequency") / nameOnly).toFixed(2)}× --name-only (goal ≤ 2×)`,
    );
    row(
      "coupling alone",
      m("coupling"),
      m("coupling", "maxRssMB"),
      `${(m("coupling") / nameOnly).toFixed(2)}× --name-only, ${(m("coupling") / scan).toFixed(2)}× scan; ${results.coupling[0].pairs} coupled pairs`,
    );
    row(
      "naive: count every pair",
      m("naive"),
      m("naive", "maxRssMB"),
      `${results.naive[0].pairs} distinct pairs of ${results.naive[0].occurrences} occurrences; coupling keeps ${results.naive[0].kept}`,
    );
    row(
      "all analyses together",
      m("all"),
      m("all", "maxRssMB"),
      `${(m("all") / numstat).toFixed(2)}× --numstat, ${(m("all") / scan).toFixed(2)}× scan`,
    );
    row("index: full build", m("refresh", "fullMs"), m("refresh", "maxRssMB"));
    row(
      "index: +1,000 commits refresh",
      m("refresh", "incrementalMs"),
      null,
      `${results.refresh[0].mode}, read ${results.refresh[0].read} commits`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "child")
  await child(process.argv[3], process.argv[4], process.env.BENCH_TAGS ?? "[]");
else await main();
