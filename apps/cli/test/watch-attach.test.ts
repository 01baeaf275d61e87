/**
 * One running DevFlow, others attach (real processes, temp HOME and DEVFLOW_HOME, real git
 * repositories, the real ~/.claude never read):
 * - `devflow watch --json` started beside a running `devflow up` attaches to it through the
 *   control channel (instead of being refused) and prints its file events;
 * - a Claude Code session written meanwhile (temp CLAUDE_CONFIG_DIR) reaches `watch` as `ai.*`
 *   events, i.e. the AI monitor's events go through the engine of `up`;
 * - `devflow project add` of a second repository while `up` runs is monitored at once: its file
 *   changes appear in `watch` without restarting `up`;
 * - `devflow status --json` answers from the running instance (control channel component).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));

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

function gitRepo(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "Ada",
    GIT_AUTHOR_EMAIL: "ada@example.com",
    GIT_COMMITTER_NAME: "Ada",
    GIT_COMMITTER_EMAIL: "ada@example.com",
  };
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir, env });
  writeFileSync(join(dir, "README.md"), "# demo\n");
  execFileSync("git", ["add", "."], { cwd: dir, env });
  execFileSync("git", ["commit", "-q", "-m", "init"], { cwd: dir, env });
}

/** A Claude Code assistant line in `cwd`: one response with its usage. */
function claudeResponse(cwd: string, session: string): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: "external",
    cwd,
    sessionId: session,
    version: "2.1.3",
    type: "assistant",
    uuid: "uuid-watch-1",
    timestamp: new Date().toISOString(),
    requestId: "req_watch_1",
    message: {
      id: "msg_watch_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "done" }],
      usage: { input_tokens: 1200, output_tokens: 80 },
    },
  });
}

function lines(text: string): Envelope[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Envelope);
}

describe("devflow watch beside devflow up", () => {
  it("attaches, shows AI and file events, and sees a project added while up runs", async () => {
    const root = mkdtempSync(join(tmpdir(), "devflow-attach-"));
    const home = join(root, "df");
    mkdirSync(home);
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({
        monitors: { ai: { pollIntervalMs: 1000 } },
        analysis: { enabled: false },
      }),
    );
    const repoA = join(root, "alpha");
    const repoB = join(root, "beta");
    gitRepo(repoA);
    gitRepo(repoB);
    const claude = join(root, "claude");
    mkdirSync(join(claude, "projects"), { recursive: true });
    const env = {
      ...process.env,
      HOME: root,
      DEVFLOW_HOME: home,
      DEVFLOW_LOG_LEVEL: "warn",
      CLAUDE_CONFIG_DIR: claude,
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
      const up = start("up", repoA, "--json", "--no-import");
      await until(`up to run (${up.err})`, () =>
        up.out.includes('"event":"running"') ? true : undefined,
      );
      const watch = start("watch", "--json");
      // File events of the first project, from the monitors of `up`.
      let n = 0;
      await until(`a file event in watch (${watch.err})`, () => {
        writeFileSync(join(repoA, `note-${n++}.md`), `change ${n}\n`);
        return lines(watch.out).some((e) => e.type.startsWith("file.")) ? true : undefined;
      });
      expect(watch.err).toBe("");

      // An AI session in the first project, picked up by the AI monitor of `up`.
      const sessionDir = join(claude, "projects", repoA.replaceAll("/", "-"));
      mkdirSync(sessionDir, { recursive: true });
      writeFileSync(join(sessionDir, "watch-session.jsonl"), `${claudeResponse(repoA, "ws-1")}\n`);
      const ai = await until(`an AI event in watch (${watch.err})`, () =>
        lines(watch.out).find((e) => e.type === "ai.usage"),
      );
      expect(ai.data).toMatchObject({ tool: "claude-code", inputTokens: 1200, outputTokens: 80 });

      // A second project added while `up` runs is monitored at once.
      const added = cli("project", "add", repoB, "--json");
      expect(added.stderr).toBe("");
      const reply = JSON.parse(added.stdout) as {
        created: boolean;
        monitoring: boolean;
        project: { id: string; rootPath: string };
      };
      // Monitoring is true only when the running DevFlow registered it.
      expect(reply).toMatchObject({ created: true, monitoring: true });
      let m = 0;
      await until(`a file event of the added project (${watch.err})`, () => {
        writeFileSync(join(repoB, `beta-${m++}.md`), `change ${m}\n`);
        return lines(watch.out).some(
          (e) => e.type.startsWith("file.") && e.projectId === reply.project.id,
        )
          ? true
          : undefined;
      });

      const status = JSON.parse(cli("status", "--json").stdout) as {
        running: boolean;
        projects: Array<{ rootPath: string }>;
        components: Array<{ name: string; state: string }>;
      };
      expect(status.running).toBe(true);
      expect(status.projects.map((p) => p.rootPath).sort()).toEqual([repoA, repoB]);
      expect(status.components.find((c) => c.name === "control channel")?.state).toBe("running");
    } finally {
      for (const p of procs.reverse()) {
        p.kill("SIGINT");
        await exited(p);
      }
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
