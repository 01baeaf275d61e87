/**
 * `syncAiRecords` reads the assistants' records once through an engine: with its roots pointed
 * at a temp Claude Code directory (never the real ~/.claude), a session's two responses are
 * stored as `ai.usage` events (with a given engine, its subscribers see them), and a second
 * run stores nothing new (the readers' state is kept; ids are stable).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DevflowEvent, EventEngine } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { tempDir } from "@devflow/test-utils";
import { describe, expect, it } from "vitest";
import { loadConfig, syncAiRecords } from "../src/index.js";

function assistant(cwd: string, n: number) {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: "external",
    cwd,
    sessionId: "sess-sync",
    version: "2.1.3",
    type: "assistant",
    uuid: `a-${n}`,
    timestamp: new Date(Date.UTC(2024, 4, 1, 10, n)).toISOString(),
    requestId: `req_${n}`,
    message: {
      id: `msg_${n}`,
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "done" }],
      usage: { input_tokens: 100 * n, output_tokens: 10 * n },
    },
  });
}

describe("syncAiRecords", () => {
  it("stores new records through the engine once", async () => {
    const home = tempDir("devflow-home-");
    const repo = tempDir("devflow-repo-");
    const claude = tempDir("devflow-claude-");
    mkdirSync(join(claude, "projects", "-repo"), { recursive: true });
    writeFileSync(
      join(claude, "projects", "-repo", "sess-sync.jsonl"),
      `${assistant(repo, 1)}\n${assistant(repo, 2)}\n`,
    );
    const config = loadConfig({
      env: {},
      overrides: {
        home,
        monitors: {
          ai: {
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
    const storage = openStorage({ path: join(home, "devflow.db") });
    try {
      const engine = new EventEngine();
      engine.addSink(storage.sink);
      const seen: DevflowEvent[] = [];
      engine.subscribe("ai.*", (e) => void seen.push(e));
      const first = await syncAiRecords({ storage, config, engine });
      await engine.stop();
      const usage = storage.events.query({ types: ["ai.usage"], limit: 100 });
      const tokens = usage.map((e) => {
        const d = e.data as { inputTokens?: number; outputTokens?: number };
        return [d.inputTokens, d.outputTokens];
      });
      expect(tokens).toEqual([
        [100, 10],
        [200, 20],
      ]);
      expect(first.stored).toBeGreaterThanOrEqual(2);
      expect(seen.filter((e) => e.type === "ai.usage")).toHaveLength(2);

      // Without an engine: a one-shot one; nothing new to store.
      const again = await syncAiRecords({ storage, config });
      expect(again.stored).toBe(0);
      expect(storage.events.count({ types: ["ai.usage"] })).toBe(2);
    } finally {
      storage.close();
    }
  });
});
