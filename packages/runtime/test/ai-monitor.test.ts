/**
 * `start()` runs the AI monitor (`monitors.ai`): with its roots pointed at a temp Claude Code
 * config directory (never the real ~/.claude), a session's usage is stored while DevFlow runs,
 * joined to the registered project by its cwd, an appended response is picked up at the next
 * poll, prompt text follows the privacy setting, and the readers' state lands in its own tables.
 */
import { appendFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "@devflow/test-utils";
import { createDevflow, type Devflow, loadConfig } from "../src/index.js";

const running: Devflow[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop();
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CANARY = "CANARY-runtime-5d1e";
/** A time relative to now: the session is recent, so it stays open (not idle). */
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

function assistant(cwd: string, n: number, ts: string) {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: "external",
    cwd,
    sessionId: "sess-1",
    version: "2.1.3",
    type: "assistant",
    uuid: `a-${n}`,
    timestamp: ts,
    requestId: `req_${n}`,
    message: {
      id: `msg_${n}`,
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "done" }],
      usage: {
        input_tokens: 100 * n,
        output_tokens: 10 * n,
        cache_creation_input_tokens: 1000,
        cache_read_input_tokens: 5000,
      },
    },
  });
}

describe("the AI monitor of a running DevFlow", () => {
  it("ingests a Claude Code session from its configured root while running", async () => {
    const home = tempDir("devflow-home-");
    const repo = tempDir("devflow-repo-");
    const claude = tempDir("devflow-claude-");
    const file = join(claude, "projects", "-repo", "sess-1.jsonl");
    mkdirSync(join(claude, "projects", "-repo"), { recursive: true });
    const prompt = JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      userType: "external",
      cwd: repo,
      sessionId: "sess-1",
      version: "2.1.3",
      type: "user",
      uuid: "u-1",
      timestamp: iso(-60_000),
      message: { role: "user", content: `fix the build ${CANARY}` },
    });
    writeFileSync(file, [prompt, assistant(repo, 1, iso(-55_000))].join("\n") + "\n");

    const config = loadConfig({
      env: {},
      overrides: {
        home,
        engine: { maxWaitMs: 20 },
        analysis: { enabled: false },
        monitors: {
          file: { enabled: false },
          git: { enabled: false },
          perf: { enabled: false },
          ai: {
            pollIntervalMs: 1000,
            prompts: "none",
            roots: {
              claudeCode: [claude],
              codex: join(claude, "no-codex"),
              geminiCli: join(claude, "no-gemini"),
            },
            sources: { aider: false },
          },
        },
      },
    });
    const devflow = createDevflow(config);
    running.push(devflow);
    const project = await devflow.addProject(repo);
    await devflow.start();
    expect(devflow.monitorStatuses().map((m) => m.name)).toContain("ai");

    const first = await until(
      "the first usage",
      () => devflow.storage.events.query({ types: ["ai.usage"] })[0],
    );
    expect(first.projectId).toBe(project.id);
    expect(first.type === "ai.usage" && first.data).toMatchObject({
      tool: "claude-code",
      sessionId: "sess-1",
      inputTokens: 100,
      outputTokens: 10,
      cacheWriteTokens: 1000,
      cacheReadTokens: 5000,
      requestKey: "msg_1:req_1",
    });
    const prompts = devflow.storage.events.query({ types: ["ai.prompt"] });
    expect(prompts).toHaveLength(1);
    expect(JSON.stringify(prompts)).not.toContain(CANARY);

    // A response written while DevFlow runs arrives with the next poll.
    appendFileSync(file, assistant(repo, 2, iso(-1000)) + "\n");
    const usage = await until("the appended usage", () => {
      const all = devflow.storage.events.query({ types: ["ai.usage"] });
      return all.length === 2 ? all : undefined;
    });
    expect(usage.map((e) => e.type === "ai.usage" && e.data.inputTokens)).toEqual([100, 200]);

    // The readers' state is in its own tables: this file's cursor is at its end.
    await until("the cursor at the end of the file", () =>
      devflow.storage.aiReaders
        .files("claude-code")
        .find((f) => f.path === file && f.cursor.offset === statSync(file).size),
    );
    expect(devflow.storage.aiReaders.session("claude-code", "sess-1")).toMatchObject({
      projectId: project.id,
      ended: false,
    });
    const ai = devflow.monitorStatuses().find((m) => m.name === "ai");
    expect(ai?.health).toBe("healthy");
    expect(ai?.counters.events).toBeGreaterThanOrEqual(3);
    await devflow.stop();
  }, 90_000);
});
