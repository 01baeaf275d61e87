/**
 * The stage acceptance test: a scripted project lifecycle in a real git repository, watched by
 * the real FileMonitor and GitMonitor (chokidar, git, engine, SQLite). Phases: a PRD, a schema,
 * design files, components and pages (with one stray monitoring note in the middle), API
 * handlers, tests, a Dockerfile and CI workflow with a release tag, monitoring config.
 *
 * The monitors record real timestamps seconds apart; to replay the work at a human pace, the
 * stored events are re-stamped in order (phase k starts on day k, one real second becomes one
 * minute) into a second database, and the built `devflow analyze stage` runs on it. Expected:
 * prd → erd → design → frontend → backend → coding → deployment → operation, each transition
 * with a confidence and evidence from its own phase, and the stray file flips nothing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type DevflowEvent, EventEngine, validateEvent } from "@devflow/events";
import { FileMonitor, GitMonitor, MonitorsConfigSchema } from "@devflow/monitors";
import { openStorage } from "@devflow/storage";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const root = realpathSync(mkdtempSync(join(tmpdir(), "devflow-lifecycle-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Ada",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada",
  GIT_COMMITTER_EMAIL: "ada@example.com",
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Phase {
  stage: string;
  files: string[];
  /** A stray file written in the middle of the phase. */
  stray?: string;
  tag?: string;
  message: string;
}

const PHASES: Phase[] = [
  {
    stage: "prd",
    files: ["docs/PRD.md", "docs/user-stories.md"],
    message: "docs: product requirements",
  },
  {
    stage: "erd",
    files: ["db/schema.sql", "db/migrations/001_init.sql"],
    message: "feat: database schema",
  },
  {
    stage: "design",
    files: ["design/home.fig", "design/mockups/login.png", "design/tokens.json"],
    message: "design: screens",
  },
  {
    stage: "frontend",
    files: [
      "src/components/Button.tsx",
      "src/components/Header.tsx",
      "src/pages/index.tsx",
      "src/pages/login.tsx",
    ],
    stray: "notes/alerts-ideas.md",
    message: "feat: components and pages",
  },
  {
    stage: "backend",
    files: ["src/api/users.ts", "src/api/orders.ts", "src/api/handlers/auth.ts"],
    message: "feat: API handlers",
  },
  {
    stage: "coding",
    files: ["src/api/users.test.ts", "src/api/orders.test.ts", "test/auth.test.ts"],
    message: "test: API handlers",
  },
  {
    stage: "deployment",
    files: ["Dockerfile", ".github/workflows/ci.yml", "docker-compose.yml"],
    tag: "v1.0.0",
    message: "ci: container and pipeline",
  },
  {
    stage: "operation",
    files: [
      "monitoring/prometheus.yml",
      "monitoring/alerts.yml",
      "monitoring/grafana/dashboard.json",
    ],
    message: "chore: monitoring",
  },
];

function write(repo: string, path: string, text: string, append = false): void {
  const full = join(repo, path);
  mkdirSync(dirname(full), { recursive: true });
  if (append) appendFileSync(full, text);
  else writeFileSync(full, text);
}

describe("stages of a scripted lifecycle, replayed through the monitors", () => {
  it("follows the lifecycle with confidence and evidence, and the stray file flips nothing", async () => {
    const repo = join(root, "shop");
    mkdirSync(repo);
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "commit.gpgsign", "false");
    write(repo, "README.md", "# shop\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "chore: init");

    const storage = openStorage({ path: join(root, "live.db"), synchronous: "NORMAL" });
    const project = storage.projects.add({ name: "shop", rootPath: repo });
    const engine = new EventEngine({ batchSize: 50, maxWaitMs: 20 });
    engine.addSink(storage.sink);
    const config = MonitorsConfigSchema.parse({
      file: { debounceMs: 100, reconcileDelayMs: 200 },
      git: { pollIntervalMs: 1000, messages: "full" },
    });
    const ctx = { engine, storage, project };
    const files = new FileMonitor(ctx, config.file);
    const gitMonitor = new GitMonitor(ctx, config.git, { debounceMs: 50 });
    await files.start();
    await gitMonitor.start();

    const stored = async (): Promise<DevflowEvent[]> => {
      await engine.flush();
      return storage.events.query({ projectId: project.id, limit: 100_000 });
    };
    const waitFor = async (what: string, check: (events: DevflowEvent[]) => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!check(await stored())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(50);
      }
    };
    const has = (events: DevflowEvent[], type: string, path: string) =>
      events.some((e) => e.type === type && (e.data as { path?: string }).path === path);

    const starts: number[] = [];
    try {
      for (const [k, phase] of PHASES.entries()) {
        starts.push(Date.now());
        for (const [i, f] of phase.files.entries()) {
          write(repo, f, `${f} version 1\nline two\n`);
          if (phase.stray && i === 1) write(repo, phase.stray, "maybe alert on p99 latency\n");
          await sleep(150);
        }
        await waitFor(`phase ${k} created`, (ev) =>
          phase.files.every((f) => has(ev, "file.created", f)),
        );
        for (const f of phase.files) {
          write(repo, f, `more of ${f}\n`, true);
          await sleep(150);
        }
        await waitFor(`phase ${k} changed`, (ev) =>
          phase.files.every((f) => has(ev, "file.changed", f)),
        );
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", phase.message);
        const commits = k + 1;
        await waitFor(
          `commit ${k}`,
          (ev) => ev.filter((e) => e.type === "git.commit").length >= commits,
        );
        if (phase.tag) {
          git(repo, "tag", "-a", phase.tag, "-m", `release ${phase.tag}`);
          await waitFor("tag", (ev) => ev.some((e) => e.type === "git.tag"));
        }
        await sleep(300);
      }
    } finally {
      await files.stop();
      await gitMonitor.stop();
      await engine.stop();
    }
    const live = await Promise.resolve(
      storage.events.query({ projectId: project.id, limit: 100_000 }),
    );
    const commits = storage.work.commitsWithFiles({ projectId: project.id });
    storage.close();
    // The monitor records commits made after it started (history is the import's job).
    expect(commits).toHaveLength(PHASES.length);
    expect(live.filter((e) => e.type === "git.tag")).toHaveLength(1);
    expect(live.some((e) => (e.data as { path?: string }).path === "notes/alerts-ideas.md")).toBe(
      true,
    );

    // Replay into a second database: phase k on day k from 09:00, one real second = one minute.
    const T0 = Date.UTC(2024, 3, 1, 9);
    const DAY = 86_400_000;
    const phaseOf = (t: number) => starts.filter((s) => s <= t).length - 1;
    // A phase's file events belong to its day even when a busy machine delivers one late
    // (after the next phase began); other events go by their time.
    const phaseOfPath = new Map(
      PHASES.flatMap((p, k) => [...p.files, ...(p.stray ? [p.stray] : [])].map((f) => [f, k])),
    );
    const restamp = (t: number, path?: string) => {
      const byPath = path === undefined ? undefined : phaseOfPath.get(path);
      const k = byPath ?? Math.max(0, phaseOf(t));
      return T0 + k * DAY + Math.min(DAY / 2, Math.max(0, t - starts[k]!) * 60);
    };
    const home = join(root, "home");
    mkdirSync(home);
    const replay = openStorage({ path: join(home, "devflow.db") });
    const replayed = replay.projects.add({ name: "shop", rootPath: repo });
    replay.commits.insertMany(
      commits.map(({ files: f, ...c }) => ({
        ...c,
        projectId: replayed.id,
        authoredAt: restamp(c.authoredAt),
        committedAt: restamp(c.committedAt),
        files: f,
      })),
    );
    const result = replay.events.insertBatch(
      live.map((e) =>
        validateEvent({
          ...e,
          projectId: replayed.id,
          timestamp: restamp(e.timestamp, (e.data as { path?: string }).path),
        }),
      ),
    );
    expect(result.rejected).toEqual([]);
    replay.close();

    const r = spawnSync(
      process.execPath,
      [
        bin,
        "analyze",
        "stage",
        "--project",
        replayed.id,
        "--period",
        "all",
        "--until",
        new Date(T0 + 10 * DAY).toISOString(),
        "--json",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
      },
    );
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as {
      transitions: Array<{
        fromStage: string | null;
        toStage: string;
        subStage: string | null;
        confidence: number;
        at: string;
        evidence: Array<{ subject: string; rules: string[] }>;
      }>;
      timeInStage: Array<{ key: string; minutes: number }>;
    };
    const changes = report.transitions.filter((t) => t.fromStage !== t.toStage);
    expect(changes.map((t) => t.toStage)).toEqual(PHASES.map((p) => p.stage));
    for (const [k, t] of changes.entries()) {
      // Each stage begins on its own phase's day, with its files as evidence.
      expect(Math.floor((Date.parse(t.at) - T0) / DAY)).toBe(k);
      expect(t.confidence).toBeGreaterThanOrEqual(0.5);
      const subjects = t.evidence.map((e) => e.subject.replace(/ \(\+\d+\)$/, ""));
      expect(subjects.length).toBeGreaterThanOrEqual(3);
      expect(subjects.every((s) => PHASES[k]!.files.includes(s))).toBe(true);
      expect(t.evidence.every((e) => e.rules[0]!.startsWith(`${t.toStage}.`))).toBe(true);
    }
    expect(changes.find((t) => t.toStage === "coding")!.subStage).toBe("unit_test");
    // The release tag came during deployment; every stage lasted about its day.
    const tag = live.find((e) => e.type === "git.tag")!;
    expect(Math.floor((restamp(tag.timestamp) - T0) / DAY)).toBe(6);
    expect(report.timeInStage.map((s) => s.key).sort()).toEqual(PHASES.map((p) => p.stage).sort());
  }, 120_000);
});
