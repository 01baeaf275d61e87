/**
 * Regression test for issue 12: the analyses of a running `devflow up` reach `devflow watch`.
 * Real processes (temp HOME and DEVFLOW_HOME, a real git repository, the analysis loop every
 * 300 ms through the config file):
 * - a burst of product-requirements markdown written in the project moves it into the `prd`
 *   stage, and `watch` prints that `stage.transition` (planning rules `prd.document`);
 * - a branch last active 20 days ago (a `git.branch_created` event stored meanwhile, older than
 *   the 14-day idle threshold and not the current branch) opens an `idle_branch` bottleneck, and
 *   `watch` prints that `bottleneck.detected`.
 * Both events are emitted by the analysis loop of `up` through its engine; `watch` only
 * attaches to that engine.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateEvent } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const DAY = 86_400_000;

interface Envelope {
  type: string;
  projectId?: string;
  data: Record<string, unknown>;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once("exit", () => resolve());
  });
}

function lines(text: string): Envelope[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Envelope);
}

describe("devflow watch beside devflow up (issue 12)", () => {
  it("shows the stage transitions and bottlenecks the running analysis finds", async () => {
    const root = mkdtempSync(join(tmpdir(), "devflow-watch-analysis-"));
    const home = join(root, "df");
    mkdirSync(home);
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({
        monitors: { ai: { enabled: false } },
        analysis: { intervalMs: 300, initialDelayMs: 0 },
      }),
    );
    const repo = join(root, "shop");
    mkdirSync(repo);
    const gitEnv = {
      ...process.env,
      GIT_AUTHOR_NAME: "Ada",
      GIT_AUTHOR_EMAIL: "ada@example.com",
      GIT_COMMITTER_NAME: "Ada",
      GIT_COMMITTER_EMAIL: "ada@example.com",
    };
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo, env: gitEnv });
    writeFileSync(join(repo, "README.md"), "# shop\n");
    execFileSync("git", ["add", "."], { cwd: repo, env: gitEnv });
    execFileSync("git", ["commit", "-q", "-m", "init"], { cwd: repo, env: gitEnv });
    const env = {
      ...process.env,
      HOME: root,
      DEVFLOW_HOME: home,
      DEVFLOW_LOG_LEVEL: "warn",
      CLAUDE_CONFIG_DIR: join(root, "claude"),
      CODEX_HOME: join(root, "codex"),
      GEMINI_DATA_DIR: join(root, "gemini"),
      XDG_CONFIG_HOME: join(root, "xdg"),
    };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, env });
    const procs: ChildProcess[] = [];
    const start = (...args: string[]) => {
      const proc = spawn(process.execPath, [bin, ...args], { cwd: root, env });
      procs.push(proc);
      const io = { out: "", err: "" };
      proc.stdout?.on("data", (d: Buffer) => (io.out += d.toString()));
      proc.stderr?.on("data", (d: Buffer) => (io.err += d.toString()));
      return io;
    };
    try {
      const up = start("up", repo, "--json", "--no-import");
      await until(`up to run (${up.err})`, () =>
        up.out.includes('"event":"running"') ? true : undefined,
      );
      const watch = start("watch", "--json");
      let n = 0;
      await until(`a file event in watch (${watch.err})`, () => {
        writeFileSync(join(repo, `note-${n++}.txt`), `change ${n}\n`);
        return lines(watch.out).some((e) => e.type.startsWith("file.")) ? true : undefined;
      });
      const listed = cli("project", "list", "--json");
      expect(listed.stderr).toBe("");
      const projectId = (JSON.parse(listed.stdout) as { projects: Array<{ id: string }> })
        .projects[0]!.id;

      // A requirements burst: PRD documents created and edited.
      mkdirSync(join(repo, "docs"));
      const docs = ["PRD.md", "product-requirements.md", "prd-checkout.md", "prd-search.md"];
      let round = 0;
      const transition = await until(`a stage.transition in watch (${watch.err})`, () => {
        round++;
        for (const doc of docs) writeFileSync(join(repo, "docs", doc), `# ${doc}\n\n${round}\n`);
        return lines(watch.out).find((e) => e.type === "stage.transition");
      });
      expect(transition.projectId).toBe(projectId);
      expect(transition.data).toMatchObject({ from: null, to: "prd" });

      // A branch last active 20 days ago: idle (threshold 14 days), not the current branch.
      const storage = openStorage({ path: join(home, "devflow.db") });
      try {
        storage.events.insertBatch([
          validateEvent({
            id: "old-branch-1",
            type: "git.branch_created",
            timestamp: Date.now() - 20 * DAY,
            source: "test",
            projectId,
            data: { branch: "feature/forgotten" },
          }),
        ]);
      } finally {
        storage.close();
      }
      const detected = await until(`a bottleneck.detected in watch (${watch.err})`, () =>
        lines(watch.out).find((e) => e.type === "bottleneck.detected"),
      );
      expect(detected.projectId).toBe(projectId);
      expect(detected.data).toMatchObject({ kind: "idle_branch", subject: "feature/forgotten" });
      expect(watch.err).toBe("");
    } finally {
      for (const p of procs.reverse()) {
        p.kill("SIGINT");
        await exited(p);
      }
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
