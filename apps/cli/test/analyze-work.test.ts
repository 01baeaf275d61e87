/**
 * `devflow analyze stage|methodology|bottlenecks|metrics|commits`, run as the built binary
 * against a temporary DEVFLOW_HOME: a generated history written to real git and imported with
 * `devflow import git`, and scripted events stored in the database; JSON and text output,
 * persistence, `--period`/`--until`/`--project`, and one clear line for bad input.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { classifyCommits } from "@devflow/analyzers";
import { type EventInput, validateEvent } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { generateProjectHistory, writeHistoryToGit } from "@devflow/test-utils";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function devflow(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: home,
    env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(r: { code: number | null; stdout: string; stderr: string }): T {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 4);
let seq = 0;

/** A home with one registered project and scripted events (a PRD, then a schema, then components). */
function scriptedHome() {
  const home = temp("devflow-work-cli-");
  const root = join(home, "proj");
  mkdirSync(root);
  const storage = openStorage({ path: join(home, "devflow.db") });
  const project = storage.projects.add({ name: "proj", rootPath: root });
  const e = (
    type: EventInput["type"],
    t: number,
    data: Record<string, unknown>,
    duration?: number,
  ) =>
    validateEvent({
      id: `s-${++seq}`,
      type,
      timestamp: t,
      source: "test",
      projectId: project.id,
      data,
      ...(duration ? { duration } : {}),
    });
  const phases = [
    ["docs/PRD.md", "docs/user-stories.md"],
    ["db/schema.sql", "db/migrations/001.sql"],
    ["src/components/A.tsx", "src/pages/b.tsx"],
  ];
  const events = phases.flatMap((files, day) =>
    files.flatMap((path, i) => [
      e("file.created", T0 + day * DAY + i * 60_000, { path }),
      e("file.changed", T0 + day * DAY + (i + 5) * 60_000, { path }),
    ]),
  );
  // Test runs failing three times in a row at the end, and a heartbeat.
  for (const [i, success] of [true, false, false, false].entries()) {
    events.push(
      e(
        "build.finished",
        T0 + 2 * DAY + (i + 1) * 3_600_000,
        {
          runId: `r${i}`,
          tool: "vitest",
          kind: "test",
          exitCode: success ? 0 : 1,
          success,
          durationMs: 30_000,
        },
        30_000,
      ),
    );
  }
  events.push(e("activity.heartbeat", T0 + 2 * DAY, { category: "coding" }, 3_600_000));
  storage.events.insertBatch(events);
  storage.commits.insertMany([
    {
      projectId: project.id,
      hash: "a".repeat(40),
      authorName: "A",
      authorEmail: "a@x",
      authoredAt: T0 + DAY,
      message: "feat: schema",
      conventionalType: "feat",
      files: [{ path: "db/schema.sql", insertions: 40, deletions: 0 }],
    },
    {
      projectId: project.id,
      hash: "b".repeat(40),
      authorName: "B",
      authorEmail: "b@x",
      authoredAt: T0 + 2 * DAY,
      message: "fix: typo",
      conventionalType: "fix",
      files: [{ path: "db/schema.sql", insertions: 1, deletions: 1 }],
    },
  ]);
  storage.close();
  return { home, root, projectId: project.id };
}

describe("devflow analyze commits", () => {
  it("classifies an imported git history exactly as the library does on the generated facts", () => {
    const home = temp("devflow-work-cli-");
    const repo = join(home, "repo");
    mkdirSync(repo);
    const history = generateProjectHistory({ archetype: 0, commits: 260, seed: 99 });
    const written = writeHistoryToGit(repo, history.commits);
    expect(devflow(home, "import", "git", repo).code).toBe(0);
    const report = json<{
      commits: Array<{
        hash: string;
        category: string;
        confidence: number;
        conventionalType: string | null;
      }>;
      agreement: { total: number; accuracy: number };
    }>(
      devflow(home, "analyze", "commits", "--project", repo, "--period", "all", "--all", "--json"),
    );
    expect(report.commits).toHaveLength(written.length);
    // Newest first; the library classifies oldest first.
    const expected = classifyCommits(written).reverse();
    expect(report.commits.map((c) => [c.category, c.confidence, c.conventionalType])).toEqual(
      expected.map((c) => [c.category, c.confidence, c.conventionalType]),
    );
    expect(report.commits[0]!.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(report.agreement.total).toBe(
      expected.filter((c) => c.conventionalCategory !== null).length,
    );
    expect(report.agreement.accuracy).toBeGreaterThan(0.6);

    const text = devflow(
      home,
      "analyze",
      "commits",
      "--project",
      repo,
      "--period",
      "2d",
      "--until",
      new Date(written[10]!.authoredAt).toISOString(),
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\d+ commits, /);
    expect(text.stdout).toMatch(/commit +date +category +confidence +conventional/);
  }, 60_000);
});

describe("devflow analyze stage, methodology, metrics, bottlenecks", () => {
  it("analyses scripted events and stores what it finds", () => {
    const { home, projectId } = scriptedHome();
    const until = new Date(T0 + 3 * DAY).toISOString();
    const stage = json<{
      newTransitions: number;
      transitions: Array<{ toStage: string; subStage: string | null; confidence: number }>;
      current: { stage: string; evidence: unknown[] };
    }>(
      devflow(
        home,
        "analyze",
        "stage",
        "--project",
        projectId,
        "--until",
        until,
        "--period",
        "7d",
        "--json",
      ),
    );
    // Three stages, then the test runs move the front-end work into its unit_test sub-stage.
    expect(stage.newTransitions).toBe(4);
    expect(stage.transitions.map((t) => `${t.toStage}/${t.subStage}`)).toEqual([
      "prd/null",
      "erd/null",
      "frontend/initial_impl",
      "frontend/unit_test",
    ]);
    expect(stage.current.stage).toBe("frontend");
    expect(stage.current.evidence.length).toBeGreaterThan(0);
    const again = json<{ analysedEvents: number; newTransitions: number }>(
      devflow(home, "analyze", "stage", "--project", projectId, "--until", until, "--json"),
    );
    expect([again.analysedEvents, again.newTransitions]).toEqual([0, 0]);
    const text = devflow(home, "analyze", "stage", "--project", projectId, "--until", until);
    expect(text.stdout).toMatch(
      /^proj: frontend \/ unit_test since 2024-03-06 00:00:00 UTC, confidence \d\.\d\d/,
    );
    expect(text.stdout).toContain("(start) → prd");

    const methodology = json<{
      scores: Array<{ methodology: string; score: number }>;
      activity: Record<string, { fileEvents: number; commits: number }>;
    }>(devflow(home, "analyze", "methodology", "--project", projectId, "--until", until, "--json"));
    expect(methodology.scores.map((s) => s.methodology)).toEqual(["ddd", "tdd", "bdd", "eda"]);
    // docs/PRD.md and docs/user-stories.md, each created and changed, are planning work.
    expect(methodology.activity.planning).toEqual({ fileEvents: 4, commits: 0 });

    const metrics = json<{
      stored: number;
      metrics: Array<{ name: string; value: number | null; previous: number | null }>;
    }>(
      devflow(
        home,
        "analyze",
        "metrics",
        "--project",
        projectId,
        "--until",
        until,
        "--period",
        "3d",
        "--json",
      ),
    );
    const m = Object.fromEntries(metrics.metrics.map((x) => [x.name, x.value]));
    expect(m).toMatchObject({
      "productivity.commits": 2,
      "productivity.active_time": 3_600_000,
      "performance.build_failure_rate": 75,
      "quality.fix_ratio": 50,
    });
    expect(metrics.stored).toBe(metrics.metrics.filter((x) => x.value !== null).length);
    expect(
      devflow(
        home,
        "analyze",
        "metrics",
        "--project",
        projectId,
        "--until",
        until,
        "--period",
        "3d",
      ).stdout,
    ).toMatch(/productivity\.commits +2 +0 +\+2 +up \(better\)/);

    const bottlenecks = json<{
      findings: Array<{ kind: string; subject: string; suggestion: string }>;
      opened: unknown[] | null;
    }>(devflow(home, "analyze", "bottlenecks", "--project", projectId, "--until", until, "--json"));
    expect(bottlenecks.findings.map((f) => `${f.kind}:${f.subject}`)).toEqual([
      "failing_tests:vitest",
    ]);
    expect(bottlenecks.opened).toHaveLength(1);
    expect(
      devflow(home, "analyze", "bottlenecks", "--project", projectId, "--until", until).stdout,
    ).toContain("0 newly opened, 0 resolved");

    const storage = openStorage({ path: join(home, "devflow.db") });
    try {
      expect(storage.work.transitions({ projectId })).toHaveLength(4);
      expect(storage.events.count({ types: ["stage.transition"] })).toBe(4);
      expect(storage.events.count({ types: ["bottleneck.detected"] })).toBe(1);
      expect(storage.work.metrics({ projectId }).length).toBe(metrics.stored);
    } finally {
      storage.close();
    }
  }, 60_000);

  it("finds the project from the current directory", () => {
    const { home, root, projectId } = scriptedHome();
    const r = spawnSync(
      process.execPath,
      [bin, "analyze", "stage", "--until", "2024-03-07", "--json"],
      {
        encoding: "utf8",
        cwd: root,
        env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
      },
    );
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { projectId: string }).projectId).toBe(projectId);
  });

  it.each([
    [["metrics", "--period", "soon"], /^devflow: "soon" is not a period; .*90m = minutes/],
    [["stage", "--until", "someday"], /^devflow: "someday" is not a time/],
    [["bottlenecks", "--project", "/nowhere"], /^devflow: no registered project is "\/nowhere"/],
  ])("refuses %j with one clear line", (args, message) => {
    const { home } = scriptedHome();
    const r = devflow(home, "analyze", ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
