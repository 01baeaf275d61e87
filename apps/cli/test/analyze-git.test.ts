/**
 * `devflow analyze <git analysis>` end to end: a scripted repository is imported with the real
 * `devflow import git`, then every git analysis runs as a user would (text, `--csv` with
 * code-maat's columns, `--json`), with hand-computed expectations. Covers `.mailmap`, a
 * rename, a merged hotfix branch, a revert, release tags, the working-tree default of
 * `co-changes`, and bad input.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "devflow-analyze-"));
const repo = join(home, "repo");
const H = 3_600_000;
const run = promisify(execFile);

function devflow(args: string[], cwd = home) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd,
    env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `devflow analyze …` for the scripted project, which must succeed. */
function analyze(...args: string[]): string {
  // The co-change check has no calendar, so no time zone.
  const zone = args[0] === "co-changes" ? [] : ["--timezone", "UTC"];
  const r = devflow(["analyze", ...args, "--project", repo, ...zone]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Like {@link analyze}, without blocking, so independent runs overlap. */
async function analyzeAsync(...args: string[]): Promise<string> {
  const r = await run(
    process.execPath,
    [bin, "analyze", ...args, "--project", repo, "--timezone", "UTC"],
    {
      cwd: home,
      env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
    },
  );
  expect(r.stderr).toBe("");
  return r.stdout;
}

const json = <T = Record<string, unknown>>(...args: string[]): T =>
  JSON.parse(analyze(...args, "--json")) as T;

function git(args: string[], who?: [string, string]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
  if (who) {
    const m = /^(.*) <(.*)>$/.exec(who[0])!;
    const date = `@${Date.parse(who[1]) / 1000} +0000`;
    Object.assign(env, {
      GIT_AUTHOR_NAME: m[1],
      GIT_AUTHOR_EMAIL: m[2],
      GIT_COMMITTER_NAME: m[1],
      GIT_COMMITTER_EMAIL: m[2],
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
  }
  return execFileSync("git", args, { cwd: repo, env, encoding: "utf8" });
}

const ADA = "Ada <ada@example.com>";
const BOB = "Bob <bob@example.com>";
const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join("");
const files: Record<string, string> = {};
function commit(who: string, at: string, message: string, add: Record<string, number>) {
  for (const [f, n] of Object.entries(add)) {
    files[f] = (files[f] ?? "") + lines(n, `${f}@${at}`);
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    writeFileSync(join(repo, f), files[f]);
  }
  git(["add", "-A"]);
  git(["commit", "-q", "-m", message], [who, `2024-05-${at}:00Z`]);
  return git(["rev-parse", "HEAD"]).trim();
}

beforeAll(() => {
  mkdirSync(repo);
  git(["init", "-q", "-b", "main"]);
  commit(ADA, "01T09:00", "feat: A and B", { "A.ts": 3, "B.ts": 2 });
  commit(BOB, "02T09:00", "feat: more", { "A.ts": 1, "B.ts": 1 });
  commit(ADA, "03T09:00", "feat: C", { "A.ts": 1, "B.ts": 1, "C.ts": 4 });
  commit("ada lovelace <ada@old.example>", "06T09:00", "fix: typo", { "A.ts": 1, "B.ts": 1 });
  const c5 = commit(BOB, "07T09:00", "feat: D", { "A.ts": 1, "B.ts": 1, "D.ts": 2 });
  git(["tag", "-a", "v1.0.0", "-m", "v1.0.0"], ["Rel <rel@example.com>", "2024-05-07T12:00:00Z"]);
  git(["checkout", "-q", "-b", "hotfix/crash"]);
  commit(BOB, "08T09:00", "fix crash", { "C.ts": 1 });
  git(["checkout", "-q", "main"]);
  git(["merge", "-q", "--no-ff", "--no-edit", "hotfix/crash"], [ADA, "2024-05-08T10:00:00Z"]);
  git(["tag", "-a", "v1.0.1", "-m", "v1.0.1"], ["Rel <rel@example.com>", "2024-05-08T11:00:00Z"]);
  mkdirSync(join(repo, "lib"));
  git(["mv", "C.ts", "lib/C.ts"]);
  git(["commit", "-q", "-m", "refactor: move C"], ["Cy <cy@example.com>", "2024-05-09T09:00:00Z"]);
  git(["revert", "--no-edit", c5], [ADA, "2024-05-10T09:00:00Z"]);
  git(["tag", "-a", "v1.0.2", "-m", "v1.0.2"], ["Rel <rel@example.com>", "2024-05-10T12:00:00Z"]);
  writeFileSync(join(repo, ".mailmap"), "Ada <ada@example.com> ada lovelace <ada@old.example>\n");
  const imported = devflow(["import", "git", repo, "--json"]);
  expect(imported.stderr).toBe("");
  expect(imported.code).toBe(0);
  expect(JSON.parse(imported.stdout)).toMatchObject({ commits: 9, files: 18 });
}, 60_000);

describe("devflow analyze (code-maat analyses)", () => {
  it("prints CSV with code-maat's columns", async () => {
    // Independent read-only runs, started together to keep the test quick.
    const cases: Array<[string[], string | ((out: string) => void)]> = [
      [["revisions"], "entity,n-revs\nA.ts,6\nB.ts,6\nC.ts,3\nD.ts,2\nlib/C.ts,1\n"],
      [
        ["authors"],
        "entity,n-authors,n-revs\nC.ts,3,3\nA.ts,2,6\nB.ts,2,6\nD.ts,2,2\nlib/C.ts,1,1\n",
      ],
      [
        ["churn"],
        "entity,added,deleted,commits\nA.ts,7,1,6\nB.ts,6,1,6\nC.ts,5,5,3\nlib/C.ts,5,0,1\nD.ts,2,2,2\n",
      ],
      [
        ["churn", "--by", "author"],
        "author,added,deleted,commits\nAda,13,4,4\nBob,7,0,3\nCy,5,5,1\n",
      ],
      [
        ["main-dev"],
        "entity,main-dev,added,total-added,ownership\nA.ts,Ada,5,7,0.71\nB.ts,Ada,4,6,0.67\nC.ts,Ada,4,5,0.8\nD.ts,Bob,2,2,1\nlib/C.ts,Cy,5,5,1\n",
      ],
      [
        ["main-dev", "--by", "removed"],
        (out) => expect(out.split("\n")[0]).toBe("entity,main-dev,removed,total-removed,ownership"),
      ],
      [["coupling"], "entity,coupled,degree,average-revs\nA.ts,B.ts,100,6\n"],
      [["soc", "--limit", "2"], "entity,soc\nA.ts,9\nB.ts,9\n"],
      [
        ["age", "--now", "2024-08-09T10:00:00Z"],
        "entity,age-months\nA.ts,2\nB.ts,2\nD.ts,2\nC.ts,3\nlib/C.ts,3\n",
      ],
      // C.ts and lib/C.ts last changed 2024-05-09T09:00: three whole months only from 09:00.
      [
        ["age", "--now", "2024-08-09T08:59:00Z"],
        (out) => expect(out.split("\n").slice(-3)).toEqual(["D.ts,2", "lib/C.ts,2", ""]),
      ],
      [
        ["communication"],
        (out) =>
          expect(out.split("\n").slice(0, 2)).toEqual([
            "author,peer,shared,average,strength",
            "Ada,Bob,4,4,100",
          ]),
      ],
      [
        ["ownership"],
        (out) =>
          expect(out.split("\n").slice(0, 3)).toEqual([
            "entity,author,added,deleted",
            "A.ts,Ada,5,1",
            "A.ts,Bob,2,0",
          ]),
      ],
      [["messages"], "entity,matches\nA.ts,1\nB.ts,1\nC.ts,1\n"],
    ];
    const outs = await Promise.all(cases.map(([args]) => analyzeAsync(...args, "--csv")));
    cases.forEach(([, expected], i) => {
      if (typeof expected === "string") expect(outs[i]).toBe(expected);
      else expected(outs[i]!);
    });
  });

  it("prints JSON and text, honours the scope flags", () => {
    expect(json<{ rows: unknown[] }>("summary").rows).toEqual([
      { statistic: "number-of-commits", value: 8 },
      { statistic: "number-of-entities", value: 5 },
      { statistic: "number-of-entities-changed", value: 18 },
      { statistic: "number-of-authors", value: 3 },
    ]);
    expect(analyze("revisions")).toMatch(/^entity\s+n-revs\nA\.ts\s+6\n/);
    expect(analyze("revisions", "--exclude", "lib", "--since", "2024-05-03", "--csv")).toBe(
      "entity,n-revs\nA.ts,4\nB.ts,4\nC.ts,3\nD.ts,2\n",
    );
    const groups = join(home, "layers.txt");
    writeFileSync(groups, "^(A|B)\\.ts$ => Core\n");
    expect(analyze("revisions", "--group", groups, "--csv")).toBe("entity,n-revs\nCore,6\n");
    expect(analyze("revisions", "--temporal-period", "7", "--csv", "--limit", "1")).toBe(
      "entity,n-revs\nA.ts,4\n",
    );
    expect(analyze("churn", "--by", "author", "--by-email", "--csv").split("\n")[1]).toBe(
      "ada@example.com,13,4,4",
    );
    // Without --project: the project that contains the current directory.
    const r = devflow(["analyze", "revisions", "--csv", "--limit", "1"], join(repo, "lib"));
    expect(r.stdout).toBe("entity,n-revs\nA.ts,6\n");
  });
});

describe("devflow analyze (hotspots, knowledge, co-changes, commit stats)", () => {
  it("hotspots rank current files by revisions × lines of code", () => {
    const rows = json<{ rows: Array<{ entity: string; score: number }> }>(
      "hotspots",
      "--now",
      "2024-05-15",
    ).rows;
    expect(rows.map((r) => [r.entity, r.score])).toEqual([
      ["A.ts", 36],
      ["B.ts", 30],
      ["lib/C.ts", 5],
    ]);
    expect(analyze("bus-factor", "--csv")).toBe(
      "folder,files,bus-factor,owners\n.,3,1,Ada (2)\nlib,1,1,Cy (1)\n",
    );
    const loss = json<{ rows: Array<{ entity: string }>; files: number }>(
      "knowledge-loss",
      "--now",
      "2024-06-10",
      "--inactive-days",
      "31",
    );
    expect(loss.rows.map((r) => r.entity)).toEqual(["lib/C.ts"]);
    expect(loss.files).toBe(3);
  });

  it("co-changes: given files, or the working tree's staged and unstaged changes", () => {
    const r = json<{ rows: Array<Record<string, unknown>>; changed: string[] }>(
      "co-changes",
      "A.ts",
    );
    expect(r.rows).toEqual([
      {
        changed: "A.ts",
        missing: "B.ts",
        degree: 100,
        sharedRevs: 6,
        averageRevs: 6,
        changedRevs: 6,
        missingRevs: 6,
      },
    ]);
    expect(analyze("co-changes", "A.ts", "B.ts")).toBe(
      "changed: A.ts, B.ts\nno usual co-changes are missing\n",
    );
    expect(json<{ changed: string[] }>("co-changes").changed).toEqual([]);
    writeFileSync(join(repo, "A.ts"), `${files["A.ts"]}edit\n`);
    expect(
      json<{ rows: Array<{ missing: string; degree: number }>; changed: string[] }>("co-changes"),
    ).toMatchObject({
      changed: ["A.ts"],
      rows: [{ missing: "B.ts", degree: 100 }],
    });
    git(["add", "A.ts"]);
    expect(analyze("co-changes", "--csv")).toBe(
      "changed,missing,degree,shared-revs,average-revs\nA.ts,B.ts,100,6,6\n",
    );
    git(["reset", "-q", "--hard"]);
  });

  it("commit statistics", () => {
    const s = json<{ totals: Record<string, number>; authors: Array<Record<string, unknown>> }>(
      "commit-stats",
    );
    expect(s.totals).toMatchObject({ commits: 8, authors: 3, activeDays: 8 });
    expect(s.authors.map((a) => [a.author, a.commits, a.insertions, a.deletions])).toEqual([
      ["Ada", 4, 13, 4],
      ["Bob", 3, 7, 0],
      ["Cy", 1, 5, 5],
    ]);
    expect(analyze("commit-stats", "--by", "weekday", "--csv")).toBe(
      "weekday,commits\nMon,1\nTue,1\nWed,2\nThu,2\nFri,2\nSat,0\nSun,0\n",
    );
    expect(analyze("commit-stats", "--include-merges")).toMatch(
      /^9 commits by 3 authors on 8 active days/,
    );
  });
});

describe("devflow analyze dora", () => {
  it("computes every figure from tags, the hotfix branch and the revert", () => {
    const r = json<Record<string, Record<string, unknown>>>(
      "dora",
      "--since",
      "2024-05-01",
      "--until",
      "2024-05-15",
    );
    expect(r.deploymentFrequency).toMatchObject({
      deployments: 3,
      deploymentDays: 3,
      medianDeploymentDaysPerWeek: 0,
      tier: "medium",
    });
    expect(r.leadTimeForChanges).toMatchObject({ changes: 8, medianMs: 27 * H, tier: "high" });
    expect(r.changeFailureRate).toMatchObject({
      failedDeployments: 1,
      deployments: 3,
      tier: "low",
    });
    expect(r.failedDeploymentRecoveryTime).toMatchObject({
      incidents: 2,
      medianMs: 23 * H,
      tier: "high",
    });
    expect(r.deploymentReworkRate).toMatchObject({
      reworkDeployments: 2,
      deployments: 3,
      tier: null,
    });
    const merges = json<Record<string, Record<string, unknown>>>(
      "dora",
      "--since",
      "2024-05-01",
      "--until",
      "2024-05-15",
      "--deployments",
      "merges",
    );
    expect(merges.deploymentFrequency).toMatchObject({ deployments: 1 });
    const csv = analyze("dora", "--since", "2024-05-01", "--until", "2024-05-15", "--csv").split(
      "\n",
    );
    expect(csv[0]).toBe("metric,value,tier,inputs");
    expect(csv[2]).toMatch(/^lead-time-for-changes,median 1\.1 d over 8 changes,high,/);
    expect(analyze("dora", "--since", "2024-05-01", "--until", "2024-05-15")).toMatch(
      /change-failure-rate\s+low\s+33\.3 %/,
    );
  });
});

describe("bad input", () => {
  it("fails with one clear line and a non-zero exit", () => {
    const bad = (args: string[], message: RegExp) => {
      const r = devflow(["analyze", ...args, "--project", repo]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    };
    bad(
      ["coupling", "--min-coupling", "abc"],
      /^devflow: option '--min-coupling <n>' argument 'abc' is invalid/,
    );
    bad(
      ["coupling", "--min-coupling", "80", "--max-coupling", "50"],
      /minCoupling must not exceed maxCoupling/,
    );
    bad(["revisions", "--timezone", "Mars/Base"], /^devflow: unknown time zone "Mars\/Base"/);
    bad(["revisions", "--since", "someday"], /^devflow: since: "someday" is not a time/);
    bad(
      ["churn", "--by", "file"],
      /argument 'file' is invalid. Allowed choices are entity, author, absolute/,
    );
    bad(["revisions", "--group", join(home, "missing.txt")], /--group: cannot read the file/);
    bad(["dora", "--production-branch", "prod"], /no branch "prod"/);
    const empty = join(home, "empty");
    mkdirSync(empty);
    expect(devflow(["project", "add", empty]).code).toBe(0);
    const r = devflow(["analyze", "revisions", "--project", empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^devflow: No commits are stored for empty yet; .*`devflow import git .+`/,
    );
  });
});
