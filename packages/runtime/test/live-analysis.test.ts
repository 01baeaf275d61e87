/**
 * A started DevFlow keeps the analyses of the work current: on a real repository watched by the
 * real file and git monitors, the analysis loop (short interval here) stores a `stage.transition`
 * for documents being written and runs the bottleneck detector, and `stop()` ends it cleanly.
 * The AI monitor reads an empty temp directory only (never the real ~/.claude).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bottleneckStateKey, stageStateKey } from "@devflow/analyzers";
import { EventEngine } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { captureLogger, type CapturingLogger, tempDir } from "@devflow/test-utils";
import { AnalysisLoop, createDevflow, type Devflow, loadConfig } from "../src/index.js";

const running: Devflow[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop();
});

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Ada",
      GIT_AUTHOR_EMAIL: "ada@example.com",
      GIT_COMMITTER_NAME: "Ada",
      GIT_COMMITTER_EMAIL: "ada@example.com",
    },
    stdio: "ignore",
  });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What was logged at warn and above, as `<level> <message>` lines. */
function warnings(log: CapturingLogger): string[] {
  return log.lines
    .filter((l) => l.level === "warn" || l.level === "error")
    .map((l) => `${l.level} ${l.msg ?? ""}`);
}

/** A DevFlow on a temp home, with the AI monitor pointed at empty temp directories. */
function isolatedConfig(home: string, analysis: Record<string, unknown>) {
  const empty = tempDir("devflow-no-ai-");
  return loadConfig({
    env: {},
    overrides: {
      home,
      engine: { maxWaitMs: 20 },
      analysis,
      monitors: {
        file: { debounceMs: 50 },
        ai: {
          pollIntervalMs: 60_000,
          roots: {
            claudeCode: [join(empty, "claude")],
            codex: join(empty, "codex"),
            geminiCli: join(empty, "gemini"),
          },
        },
      },
    },
  });
}

describe("the analysis loop of a running DevFlow", () => {
  it("stores a stage transition and runs the bottleneck detector while it runs", async () => {
    const home = tempDir("devflow-home-");
    const repo = tempDir("devflow-repo-");
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "commit.gpgsign", "false");
    writeFileSync(join(repo, "README.md"), "# app\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "chore: start");

    const config = isolatedConfig(home, { intervalMs: 300, initialDelayMs: 200 });
    expect(config.analysis).toEqual({ enabled: true, intervalMs: 300, initialDelayMs: 200 });
    const log = captureLogger();
    const devflow = createDevflow(config, { logger: log.logger });
    running.push(devflow);
    const project = await devflow.addProject(repo);
    await devflow.start();
    expect(devflow.status().components.find((c) => c.name === "analysis")).toMatchObject({
      state: "running",
      detail: expect.stringContaining("every 300 ms") as unknown,
    });

    // Writing the product requirements: created, then edited, then committed.
    mkdirSync(join(repo, "docs"));
    const docs = ["docs/PRD.md", "docs/user-stories.md", "docs/requirements.md"];
    for (const doc of docs) {
      writeFileSync(join(repo, doc), `# ${doc}\n`);
      await new Promise((r) => setTimeout(r, 150));
    }
    for (const doc of docs) {
      writeFileSync(join(repo, doc), `# ${doc}\n\nThe product shall…\n`);
      await new Promise((r) => setTimeout(r, 150));
    }
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "docs: product requirements");

    const transition = await until(
      "a stage.transition",
      () => devflow.storage.events.query({ types: ["stage.transition"], projectId: project.id })[0],
    );
    expect(transition.type === "stage.transition" && transition.data.to).toBe("prd");
    expect(
      devflow.storage.work.transitions({ projectId: project.id }).map((t) => t.toStage),
    ).toContain("prd");
    // Both analyses keep their state per project.
    expect(devflow.storage.settings.get(stageStateKey(project.id))).toBeDefined();
    await until("a bottleneck run", () =>
      devflow.storage.settings.get(bottleneckStateKey(project.id)),
    );
    await until("a reported run", () => {
      const c = devflow.status().components.find((x) => x.name === "analysis");
      return c?.detail.includes("last run") ? c : undefined;
    });

    await devflow.stop();
    // Stopped cleanly: no run starts afterwards (the database is closed: a run would log errors).
    await new Promise((r) => setTimeout(r, 1000));
    expect(devflow.running).toBe(false);
    expect(warnings(log).filter((l) => l.includes("analysis"))).toEqual([]);
  }, 90_000);

  it("stays off with analysis.enabled = false (DEVFLOW_ANALYSIS_ENABLED)", async () => {
    const home = tempDir("devflow-home-");
    const repo = tempDir("devflow-repo-");
    git(repo, "init", "-q", "-b", "main");
    const config = loadConfig({
      env: {
        DEVFLOW_HOME: home,
        DEVFLOW_ANALYSIS_ENABLED: "false",
        DEVFLOW_ANALYSIS_INTERVAL_MS: "250",
        DEVFLOW_AI_ENABLED: "false",
      },
    });
    expect(config.analysis).toMatchObject({ enabled: false, intervalMs: 250 });
    expect(config.monitors.ai.enabled).toBe(false);
    const devflow = createDevflow(config);
    running.push(devflow);
    const project = await devflow.addProject(repo);
    await devflow.start();
    expect(devflow.monitorStatuses().map((m) => m.name)).not.toContain("ai");
    expect(devflow.status().components.find((c) => c.name === "analysis")).toMatchObject({
      state: "stopped",
      detail: "off (analysis.enabled = false)",
    });
    await new Promise((r) => setTimeout(r, 800));
    expect(devflow.storage.settings.get(bottleneckStateKey(project.id))).toBeUndefined();
  }, 60_000);

  it("runs after its delay and at its interval, logs a failing project, and stops", async () => {
    const storage = openStorage({ path: join(tempDir("devflow-loop-"), "devflow.db") });
    const engine = new EventEngine({ maxWaitMs: 10 });
    engine.addSink(storage.sink);
    const project = storage.projects.add({ name: "p", rootPath: tempDir("devflow-repo-") });
    const log = captureLogger();
    const loop = new AnalysisLoop({
      storage,
      engine,
      config: { enabled: true, intervalMs: 150, initialDelayMs: 50 },
      projects: () => [project.id, "no-such-project"],
      logger: log.logger,
    });
    try {
      loop.start();
      expect(loop.status().runs).toBe(0);
      await until("two runs", () => (loop.status().runs >= 2 ? true : undefined), 20_000);
      const status = loop.status();
      // The unknown project fails each run, the known one does not; neither stops the loop.
      expect(status.errors).toBe(status.runs);
      expect(warnings(log).some((l) => l.startsWith("warn analysis of the project failed"))).toBe(
        true,
      );
      expect(storage.settings.get(bottleneckStateKey(project.id))).toEqual({});
      await loop.stop();
      const after = loop.status().runs;
      await new Promise((r) => setTimeout(r, 600));
      expect(loop.status().runs).toBe(after);
      // On demand, also while stopped.
      const run = await loop.runOnce();
      expect(run.projects.map((p) => [p.projectId, p.error === undefined])).toEqual([
        [project.id, true],
        ["no-such-project", false],
      ]);
    } finally {
      await loop.stop();
      await engine.stop();
      storage.close();
    }
  });

  it("names a bad interval with where it came from", () => {
    expect(() =>
      loadConfig({
        env: { DEVFLOW_HOME: tempDir("devflow-home-"), DEVFLOW_ANALYSIS_INTERVAL_MS: "5" },
      }),
    ).toThrow(/analysis\.intervalMs: .*\(from DEVFLOW_ANALYSIS_INTERVAL_MS\)/);
  });
});
