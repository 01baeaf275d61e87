// Process detection: the classification table of ai-signals §10, and AiMonitor on real
// processes whose executables sit where the assistants install them (copies of `sleep`).
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventEngine, type DevflowEvent } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { AiMonitor, AiMonitorConfigSchema, classifyAiProcess } from "../../src/index.js";
import { tempDir } from "./ai-fixtures.js";

describe("classifyAiProcess", () => {
  it("matches exe paths and the first argv entries, not the whole command line", () => {
    const c = (name: string, cmd: string, exe?: string) =>
      classifyAiProcess({ name, cmd, ...(exe ? { exe } : {}) })?.tool ?? null;
    expect(c("2.1.39", "claude --resume", "/home/a/.local/share/claude/versions/2.1.39")).toBe(
      "claude-code",
    );
    expect(c("node", "node /usr/lib/node_modules/@anthropic-ai/claude-code/cli.js")).toBe(
      "claude-code",
    );
    expect(
      c(
        "codex-x86_64-un",
        "codex-x86_64-unknown-linux-musl exec",
        "/opt/codex/codex-x86_64-unknown-linux-musl",
      ),
    ).toBe("codex");
    expect(c("node", "node /usr/lib/node_modules/@google/gemini-cli/dist/index.js")).toBe(
      "gemini-cli",
    );
    expect(c("python3", "python3 /home/a/.local/bin/aider --model x")).toBe("aider");
    expect(c("cursor", "/usr/share/cursor/cursor --no-sandbox", "/usr/share/cursor/cursor")).toBe(
      "cursor",
    );
    expect(
      c(
        "Cursor Helper (Plugin)",
        "x",
        "/Applications/Cursor.app/Contents/Frameworks/Cursor Helper (Plugin)",
      ),
    ).toBeNull();
    expect(c("Claude", "x", "/Applications/Claude.app/Contents/MacOS/Claude")).toBe(
      "claude-desktop",
    );
    // A path mentioning a tool deep in the command line is not a match.
    expect(c("bash", "bash -c cat <<EOF > notes-about-claude-and-aider.txt")).toBeNull();
    expect(c("vim", "vim /home/a/.claude/projects/x.jsonl")).toBeNull();
  });
});

function runCopyOfSleep(path: string, cwd: string): ChildProcess {
  mkdirSync(join(path, ".."), { recursive: true });
  copyFileSync("/bin/sleep", path);
  return spawn(path, ["30"], { cwd, stdio: "ignore" });
}

describe("AiMonitor", () => {
  it("emits process sessions for assistants without transcripts, ended when the process is gone", async () => {
    const dir = tempDir();
    const project = join(dir, "proj");
    mkdirSync(project);
    const storage = openStorage({ path: join(dir, "devflow.db") });
    const engine = new EventEngine({ maxWaitMs: 10 });
    engine.addSink(storage.sink);
    const seen: DevflowEvent[] = [];
    engine.subscribe("ai.*", (e) => void seen.push(e));
    const registered = storage.projects.add({ name: "proj", rootPath: project });
    const cursor = runCopyOfSleep(join(dir, "apps", "cursor", "cursor"), project);
    const claude = runCopyOfSleep(
      join(dir, ".local", "share", "claude", "versions", "2.1.39"),
      project,
    );
    const config = AiMonitorConfigSchema.parse({ pollIntervalMs: 60_000 });
    const monitor = new AiMonitor({ engine, storage }, config, {
      source: {
        env: {
          CLAUDE_CONFIG_DIR: join(dir, "none"),
          CODEX_HOME: join(dir, "none"),
          GEMINI_DATA_DIR: join(dir, "none"),
        },
        home: dir,
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 100));
      await monitor.start();
      await engine.drain();
      const started = seen.filter((e) => e.type === "ai.session_started");
      expect(
        started.map(
          (e) =>
            e.type === "ai.session_started" && [
              e.data.tool,
              e.data.detectedBy,
              e.data.pid,
              e.data.cwd,
            ],
        ),
      ).toEqual([["cursor", "process", cursor.pid, project]]);
      expect(started[0]?.projectId).toBe(registered.id);
      cursor.kill();
      await new Promise((r) => cursor.once("exit", r));
      await monitor.poll();
      await engine.drain();
      const ended = seen.filter((e) => e.type === "ai.session_ended");
      expect(ended).toHaveLength(1);
      expect(ended[0]?.type === "ai.session_ended" && ended[0].data.reason).toBe("process_gone");
      expect(monitor.status()).toMatchObject({ health: "healthy" });
    } finally {
      cursor.kill();
      claude.kill();
      await monitor.stop();
      await engine.stop();
      storage.close();
    }
  });
});
