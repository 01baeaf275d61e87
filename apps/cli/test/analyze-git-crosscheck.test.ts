/**
 * End-to-end cross-check: a generated history of 5,000 commits (renames, deletions, merges,
 * commits above the changeset limit) imported with the real `devflow import git`; the CSV of
 * `devflow analyze revisions`, `churn` and `coupling` equals an independent computation over
 * `git log --numstat --no-renames` done here with plain string processing, row for row.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

/** Writes a fast-import history: 1–4 of 250 files per commit, pairs that co-change, renames. */
function generate(repo: string, commits: number): void {
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env });
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor(seed / 65536) % n;
  };
  const names = Array.from({ length: 250 }, (_, f) => `pkg${f % 9}/file ${f}.ts`);
  const sizes = new Array<number>(250).fill(0);
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  for (let i = 0; i < commits; i++) {
    const who = `Dev ${i % 5} <dev${i % 5}@example.com> ${1_650_000_000 + i * 600} +0000`;
    parts.push(
      `commit refs/heads/main\nmark :${++mark}\nauthor ${who}\ncommitter ${who}\n`,
      data(`change ${i}`),
    );
    if (mark > 1) parts.push(`from :${mark - 1}\n`);
    const picks = new Set<number>();
    const n = i % 500 === 7 ? 35 : 1 + rand(4);
    while (picks.size < n) {
      const f = rand(250);
      picks.add(f);
      if (f % 8 === 0 && rand(10) < 8) picks.add((f + 1) % 250);
    }
    for (const f of picks) {
      if (sizes[f]! > 0 && rand(60) === 0) {
        const to = names[f]!.replace(".ts", `-moved${i}.ts`);
        parts.push(`R "${names[f]}" "${to}"\n`);
        names[f] = to;
        continue;
      }
      sizes[f] = Math.max(1, sizes[f]! + rand(5) - 1);
      const body = Array.from({ length: sizes[f] }, (_, k) => `line ${k} v${i % (k + 2)}`).join(
        "\n",
      );
      parts.push(`M 100644 inline "${names[f]}"\n`, data(`${body}\n`));
    }
    parts.push("\n");
  }
  execFileSync("git", ["fast-import", "--quiet"], {
    cwd: repo,
    env,
    input: parts.join(""),
    maxBuffer: 256 << 20,
  });
  execFileSync("git", ["reset", "-q", "--hard", "main"], { cwd: repo, env });
}

interface Commit {
  files: Array<[path: string, added: number, deleted: number]>;
}

function parseNumstat(out: string): Commit[] {
  const commits: Commit[] = [];
  for (const line of out.split("\n")) {
    if (line === "@@commit") commits.push({ files: [] });
    else if (line.includes("\t")) {
      const [a, d, path] = line.split("\t") as [string, string, string];
      commits.at(-1)!.files.push([path, a === "-" ? 0 : Number(a), d === "-" ? 0 : Number(d)]);
    }
  }
  return commits.filter((c) => c.files.length > 0);
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const csvCell = (v: string | number) =>
  /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
const csv = (header: string, rows: Array<Array<string | number>>) =>
  `${header}\n${rows.map((r) => r.map(csvCell).join(",")).join("\n")}${rows.length ? "\n" : ""}`;

function expectedCoupling(
  commits: Commit[],
  minRevs: number,
  minShared: number,
  minCoupling: number,
  maxCoupling: number,
  maxSize: number,
) {
  const revs = new Map<string, number>();
  const shared = new Map<string, number>();
  for (const c of commits) {
    if (c.files.length > maxSize) continue;
    const paths = c.files.map((f) => f[0]).sort(byName);
    for (const p of paths) revs.set(p, (revs.get(p) ?? 0) + 1);
    for (let i = 0; i < paths.length; i++)
      for (let j = i + 1; j < paths.length; j++)
        shared.set(`${paths[i]}\0${paths[j]}`, (shared.get(`${paths[i]}\0${paths[j]}`) ?? 0) + 1);
  }
  const rows: Array<[string, string, number, number]> = [];
  for (const [key, s] of shared) {
    const [a, b] = key.split("\0") as [string, string];
    const avg = (revs.get(a)! + revs.get(b)!) / 2;
    const degree = (s * 100) / avg;
    if (
      avg >= minRevs &&
      s >= minShared &&
      degree >= minCoupling &&
      Math.floor(degree) <= maxCoupling
    )
      rows.push([a, b, Math.floor(degree), Math.ceil(avg)]);
  }
  rows.sort((x, y) => y[2] - x[2] || y[3] - x[3] || byName(x[0], y[0]) || byName(x[1], y[1]));
  return csv("entity,coupled,degree,average-revs", rows);
}

describe("devflow analyze cross-check on 5,000 imported commits", () => {
  it("revisions, churn and coupling equal git log --numstat, row for row", () => {
    const home = mkdtempSync(join(tmpdir(), "devflow-xcheck-"));
    const repo = join(home, "repo");
    mkdirSync(repo);
    generate(repo, 5000);
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [bin, ...args], {
        encoding: "utf8",
        cwd: home,
        env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
        maxBuffer: 64 << 20,
      });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      return r.stdout;
    };
    expect(JSON.parse(run("import", "git", repo, "--json"))).toMatchObject({ commits: 5000 });

    const log = execFileSync(
      "git",
      [
        "-c",
        "core.quotePath=false",
        "log",
        "--numstat",
        "--no-renames",
        "--format=tformat:@@commit",
        "--branches",
        "--tags",
      ],
      { cwd: repo, env, encoding: "utf8", maxBuffer: 256 << 20 },
    );
    const commits = parseNumstat(log);
    expect(commits.filter((c) => c.files.length > 30).length).toBe(10);

    const revs = new Map<string, number>();
    const churn = new Map<string, [number, number, number]>();
    for (const c of commits) {
      for (const [p, a, d] of c.files) {
        revs.set(p, (revs.get(p) ?? 0) + 1);
        const v = churn.get(p) ?? [0, 0, 0];
        churn.set(p, [v[0] + a, v[1] + d, v[2] + 1]);
      }
    }
    const revRows = [...revs].sort((x, y) => y[1] - x[1] || byName(x[0], y[0]));
    expect(run("analyze", "revisions", "--project", repo, "--csv")).toBe(
      csv("entity,n-revs", revRows),
    );
    expect(revRows.some(([p]) => p.includes("-moved"))).toBe(true);
    const churnRows = [...churn]
      .map(([p, v]) => [p, ...v])
      .sort(
        (x, y) => (y[1] as number) - (x[1] as number) || byName(x[0] as string, y[0] as string),
      );
    expect(run("analyze", "churn", "--project", repo, "--csv")).toBe(
      csv("entity,added,deleted,commits", churnRows),
    );

    const defaults = expectedCoupling(commits, 5, 5, 30, 100, 30);
    expect(defaults.split("\n").length).toBeGreaterThan(10);
    expect(run("analyze", "coupling", "--project", repo, "--csv")).toBe(defaults);
    expect(
      run(
        "analyze",
        "coupling",
        "--project",
        repo,
        "--csv",
        "--min-revs",
        "2",
        "--min-shared-revs",
        "2",
        "--min-coupling",
        "5",
        "--max-coupling",
        "90",
        "--max-changeset-size",
        "8",
      ),
    ).toBe(expectedCoupling(commits, 2, 2, 5, 90, 8));
  }, 120_000);
});
