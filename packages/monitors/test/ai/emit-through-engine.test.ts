// One way for events: emitAiSources and attributeCommits go through an EventEngine (its live
// subscribers see every event, its sink stores them, re-reads count as duplicates), and
// importGitHistory with an engine announces the import with one git.history_imported event.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type DevflowEvent, EventEngine } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import {
  AiMonitorConfigSchema,
  attributeCommits,
  emitAiSources,
  importGitHistory,
} from "../../src/index.js";
import { commitFile, git, tempDir as gitTempDir } from "../git-helpers.js";
import { claudeAssistant, claudePrompt, tempDir, writeLines } from "./ai-fixtures.js";

function engineOver(storage: ReturnType<typeof openStorage>) {
  const engine = new EventEngine({ maxWaitMs: 5 });
  engine.addSink(storage.sink);
  const seen: DevflowEvent[] = [];
  engine.subscribe("*", (e) => void seen.push(e));
  return { engine, seen };
}

describe("events through the engine", () => {
  it("emitAiSources: subscribers see each AI event, storage has it, a re-read stores nothing", async () => {
    const home = tempDir();
    const proj = join(home, "repo");
    const claude = join(home, "claude");
    writeLines(join(claude, "projects", "-repo", "s1.jsonl"), [
      claudePrompt({
        session: "s1",
        ts: "2026-02-01T09:00:00.000Z",
        uuid: "u1",
        text: "hi",
        cwd: proj,
      }),
      claudeAssistant({
        session: "s1",
        ts: "2026-02-01T09:00:05.000Z",
        msg: "m1",
        req: "r1",
        cwd: proj,
        usage: { input: 100, output: 20 },
      }),
    ]);
    const storage = openStorage({ path: join(home, "devflow.db") });
    const { engine, seen } = engineOver(storage);
    try {
      const project = storage.projects.add({ name: "repo", rootPath: proj });
      const config = AiMonitorConfigSchema.parse({ sources: { codex: false, geminiCli: false } });
      const source = { env: { CLAUDE_CONFIG_DIR: claude }, home };
      const now = Date.parse("2026-02-01T09:10:00Z");
      const first = await emitAiSources({ engine, storage, config, source, now });
      // s1: session start, prompt, usage (not idle 30 min yet at `now`).
      expect(seen.map((e) => e.type).sort()).toEqual([
        "ai.prompt",
        "ai.session_started",
        "ai.usage",
      ]);
      expect(first).toMatchObject({ stored: 3, duplicates: 0, rejected: 0 });
      expect(storage.events.count({ types: ["ai.usage"], projectId: project.id })).toBe(1);

      storage.aiReaders.reset("claude-code");
      const again = await emitAiSources({ engine, storage, config, source, now });
      expect(again).toMatchObject({ stored: 0, duplicates: 3 });
      expect(storage.events.count()).toBe(3);
    } finally {
      await engine.stop();
      storage.close();
    }
  });

  it("attributeCommits emits through the given engine; importGitHistory announces itself once", async () => {
    const repo = gitTempDir();
    git(repo, "init", "-q", "-b", "main");
    commitFile(
      repo,
      "a.ts",
      "one\n",
      "feat: one\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
    );
    commitFile(repo, "b.ts", "two\n", "fix: two");
    const storage = openStorage({ path: join(gitTempDir(), "devflow.db") });
    const { engine, seen } = engineOver(storage);
    try {
      const project = storage.projects.add({ name: "r", rootPath: repo });
      const r = await attributeCommits({ storage, project, engine });
      expect(r.stored).toBe(1);
      expect(seen.filter((e) => e.type === "ai.commit_attributed")).toHaveLength(1);
      expect(storage.events.count({ types: ["ai.commit_attributed"] })).toBe(1);
      expect((await attributeCommits({ storage, project, engine })).stored).toBe(0);

      const imported = await importGitHistory({ storage, project, engine });
      expect(imported).toMatchObject({ commits: 2, skipped: 0 });
      await engine.flush();
      const summary = seen.filter((e) => e.type === "git.history_imported");
      expect(summary).toHaveLength(1);
      expect(summary[0]).toMatchObject({
        projectId: project.id,
        data: { commits: 2, skipped: 0, total: 2 },
      });
      expect(storage.events.count({ types: ["git.history_imported"] })).toBe(1);
      // Nothing new: no second announcement.
      await importGitHistory({ storage, project, engine });
      expect(seen.filter((e) => e.type === "git.history_imported")).toHaveLength(1);
    } finally {
      await engine.stop();
      storage.close();
    }
  });
});
