// syncAiSources: readers → normalised events in a real SQLite file, joined to projects by cwd,
// idempotent re-reads, idle session ends, cost estimates, and prompt privacy (canary).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStorage } from "@devflow/storage";
import {
  AiMonitorConfigSchema,
  normaliseModelId,
  PriceTable,
  syncAiSources,
} from "../../src/index.js";
import {
  claudeAssistant,
  claudePrompt,
  claudeToolResult,
  codexLine,
  codexTokens,
  tempDir,
  writeLines,
} from "./ai-fixtures.js";

const CANARY = "CANARY-7f3a9c-do-not-store";

function setup(prompts: "full" | "redacted" | "none") {
  const home = tempDir();
  const proj = join(home, "repo");
  const claude = join(home, "claude");
  writeLines(join(claude, "projects", "-repo", "s1.jsonl"), [
    claudePrompt({
      session: "s1",
      ts: "2026-02-01T09:00:00.000Z",
      uuid: "u1",
      text: `please ${CANARY} mail ada@example.com`,
      cwd: proj,
    }),
    claudeAssistant({
      session: "s1",
      ts: "2026-02-01T09:00:05.000Z",
      msg: "m1",
      req: "r1",
      cwd: proj,
      usage: {
        input: 1000,
        output: 2000,
        cacheWrite: 10_000,
        cacheWrite1h: 4000,
        cacheRead: 100_000,
      },
      content: [
        {
          type: "tool_use",
          id: "t1",
          name: "Write",
          input: { file_path: join(proj, "src", "x.ts") },
        },
      ],
    }),
    claudeToolResult({
      session: "s1",
      ts: "2026-02-01T09:00:06.000Z",
      uuid: "u2",
      toolUseId: "t1",
      filePath: join(proj, "src", "x.ts"),
      create: "one\ntwo\n",
      cwd: proj,
    }),
    claudeAssistant({
      session: "s1",
      ts: "2026-02-01T09:01:00.000Z",
      msg: "m2",
      req: "r2",
      cwd: "/elsewhere",
      model: "mystery-model-9",
      usage: { input: 5, output: 5 },
    }),
  ]);
  const codex = join(home, "codex");
  writeLines(join(codex, "sessions", "2026", "02", "01", "rollout-2026-02-01T10-00-00-c1.jsonl"), [
    codexLine("2026-02-01T10:00:00.000Z", "session_meta", { id: "c1", cwd: proj }),
    codexLine("2026-02-01T10:00:01.000Z", "turn_context", { model: "gpt-5" }),
    codexLine("2026-02-01T10:00:02.000Z", "event_msg", {
      type: "user_message",
      message: `again ${CANARY}`,
    }),
    codexTokens("2026-02-01T10:00:10.000Z", [2_000_000, 1_000_000, 100_000, 0]),
  ]);
  const storage = openStorage({ path: join(home, "devflow.db") });
  const project = storage.projects.add({ name: "repo", rootPath: proj });
  const config = AiMonitorConfigSchema.parse({ prompts, sources: { geminiCli: false } });
  const source = {
    env: { CLAUDE_CONFIG_DIR: claude, CODEX_HOME: codex, GEMINI_DATA_DIR: join(home, "none") },
    home,
  };
  return { home, storage, project, config, source };
}

describe("syncAiSources", () => {
  it("stores normalised events once, joined to projects, with cost estimates", () => {
    const { storage, project, config, source } = setup("full");
    try {
      const first = syncAiSources({
        storage,
        config,
        source,
        now: Date.parse("2026-02-01T10:05:00Z"),
      });
      expect(first.rejected).toBe(0);
      const usage = storage.events.query({ types: ["ai.usage"] });
      expect(usage).toHaveLength(3);
      const m1 = usage.find((e) => e.type === "ai.usage" && e.data.requestKey === "m1:r1");
      expect(m1?.projectId).toBe(project.id);
      // claude-sonnet-4-5: 1000×3 + 2000×15 + 6000×3.75 + 4000×6 + 100000×0.3 per million
      expect(m1?.type === "ai.usage" && m1.data.costUsd).toBeCloseTo(0.1095, 10);
      expect(m1?.type === "ai.usage" && m1.data.costSource).toBe("calculated");
      const other = usage.find((e) => e.type === "ai.usage" && e.data.requestKey === "m2:r2");
      expect(other?.projectId).toBeUndefined();
      expect(other?.type === "ai.usage" && other.data.costSource).toBe("unknown_model");
      const codex = usage.find((e) => e.type === "ai.usage" && e.data.tool === "codex");
      // gpt-5: 1M uncached × 1.25 + 1M cached × 0.125 + 100k × 10
      expect(codex?.type === "ai.usage" && codex.data.costUsd).toBeCloseTo(2.375, 10);
      const edit = storage.events.query({ types: ["ai.edit"] })[0];
      expect(edit?.type === "ai.edit" && edit.data).toMatchObject({
        path: "src/x.ts",
        linesAdded: 2,
        op: "create",
      });
      const tool = storage.events.query({ types: ["ai.tool_use"] })[0];
      expect(tool?.type === "ai.tool_use" && tool.data).toMatchObject({
        path: "src/x.ts",
        category: "write",
      });
      expect(storage.events.count({ types: ["ai.session_started"] })).toBe(2);
      // s1 was idle for over 30 min at `now`; c1 was active 5 min ago.
      expect(storage.events.count({ types: ["ai.session_ended"] })).toBe(1);

      // A new reader state re-reads everything: the ids are stable, nothing is stored twice.
      storage.aiReaders.reset("claude-code");
      const again = syncAiSources({
        storage,
        config,
        source,
        now: Date.parse("2026-02-01T12:00:00Z"),
      });
      expect(again.stored).toBe(1); // only c1's idle end
      expect(storage.events.count({ types: ["ai.usage"] })).toBe(3);
      const ended = storage.events.query({ types: ["ai.session_ended"] });
      expect(ended.map((e) => e.type === "ai.session_ended" && e.data.durationMs).sort()).toEqual([
        10_000, 60_000,
      ]);
    } finally {
      storage.close();
    }
  });

  it("keeps prompt text per the privacy setting; with `none` the canary is nowhere", async () => {
    for (const policy of ["full", "redacted", "none"] as const) {
      const { home, storage, config, source } = setup(policy);
      try {
        syncAiSources({ storage, config, source });
        const prompts = storage.events.query({ types: ["ai.prompt"] });
        expect(prompts).toHaveLength(2);
        const text = prompts.map((p) => (p.type === "ai.prompt" ? p.data.text : undefined));
        if (policy === "full") expect(text[0]).toContain("ada@example.com");
        if (policy === "redacted") expect(text[0]).toBe(`please ${CANARY} mail [email]`);
        if (policy === "none") {
          expect(text).toEqual([undefined, undefined]);
          expect(prompts[0]?.type === "ai.prompt" && prompts[0].data.chars).toBe(
            `please ${CANARY} mail ada@example.com`.length,
          );
          const out = join(home, "export.jsonl");
          await storage.exportJsonl(out);
          storage.close();
          for (const f of readdirSync(home).filter(
            (n) => n.startsWith("devflow.db") || n === "export.jsonl",
          )) {
            expect(readFileSync(join(home, f)).includes(CANARY), f).toBe(false);
          }
        }
      } finally {
        storage.close();
      }
    }
  });
});

describe("PriceTable", () => {
  it("normalises model ids and applies long-context, override and reported prices", () => {
    expect(normaliseModelId("anthropic/claude-sonnet-4-5-20250929")).toBe("claude-sonnet-4-5");
    expect(normaliseModelId("gpt-5-codex")).toBe("gpt-5-codex");
    expect(normaliseModelId("gemini-2.5-pro-preview-06-05")).toBe("gemini-2.5-pro-preview-06-05");
    const table = new PriceTable({ "my-model": { input: 1, output: 2 } });
    const t = {
      input: 150_000,
      output: 1000,
      cacheWrite: 0,
      cacheWrite1h: 0,
      cacheRead: 100_000,
      reasoning: 0,
    };
    // 250k prompt > 200k: Sonnet 4.5 long-context rates 6 / 22.5 / read 0.6.
    expect(table.cost("claude-sonnet-4-5", t).usd).toBeCloseTo(
      (150_000 * 6 + 1000 * 22.5 + 100_000 * 0.6) / 1e6,
      12,
    );
    expect(table.cost("gemini-2.5-pro-preview-06-05", { ...t, cacheRead: 0 }).usd).toBeCloseTo(
      (150_000 * 1.25 + 1000 * 10) / 1e6,
      12,
    );
    expect(table.cost("my-model", { ...t, cacheRead: 0 })).toMatchObject({
      usd: 0.152,
      source: "calculated",
    });
    expect(table.cost("claude-opus-4-6", t, { reportedUsd: 0.5 })).toEqual({
      usd: 0.5,
      source: "reported",
    });
    expect(table.cost("nope", t)).toEqual({ usd: undefined, source: "unknown_model" });
    expect(table.source).toContain("1 override");
  });
});
