// Commit attribution on a scripted repository (bench/ai-scripted-repo.mjs): an assistant
// session's edits are committed with hand-written lines, reworked by hand, one AI commit is
// reverted, an agent branch is left open; plus message evidence and git-ai notes.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openStorage } from "@devflow/storage";
import {
  AiMonitorConfigSchema,
  attributeCommits,
  messageEvidence,
  parseAiNote,
  syncAiSources,
} from "../../src/index.js";
import { tempDir } from "./ai-fixtures.js";

const script = fileURLToPath(new URL("../../bench/ai-scripted-repo.mjs", import.meta.url));

interface Scripted {
  repo: string;
  claude: string;
  commits: Record<"base" | "c1" | "c2" | "c3" | "c4" | "c5", string>;
}

describe("attributeCommits", () => {
  it("finds trailer, line-match and branch evidence with exact AI line counts", async () => {
    const dir = tempDir();
    const s = JSON.parse(
      execFileSync(process.execPath, [script, dir], { encoding: "utf8" }),
    ) as Scripted;
    const storage = openStorage({ path: join(dir, "devflow.db") });
    try {
      const project = storage.projects.add({ name: "repo", rootPath: s.repo });
      const config = AiMonitorConfigSchema.parse({});
      syncAiSources({
        storage,
        config,
        source: {
          env: {
            CLAUDE_CONFIG_DIR: s.claude,
            CODEX_HOME: join(dir, "x"),
            GEMINI_DATA_DIR: join(dir, "x"),
          },
          home: dir,
        },
      });
      expect(storage.events.count({ types: ["ai.edit"], projectId: project.id })).toBe(3);
      const r = await attributeCommits({
        storage,
        project,
        now: Date.parse("2026-06-01T00:00:00Z"),
      });
      const by = new Map(r.commits.map((c) => [c.hash, c]));
      const c = (k: keyof Scripted["commits"]) => by.get(s.commits[k])!;
      expect(r.commits).toHaveLength(6);
      expect(c("base")).toMatchObject({
        linesAdded: 3,
        aiLinesAdded: 0,
        confidence: null,
        evidence: [],
      });
      // c1: 4 AI lines of a.ts (lines 4–7) and 3 of b.ts (1–3) among 10 added; trailer and match.
      expect(c("c1")).toMatchObject({
        linesAdded: 10,
        aiLinesAdded: 7,
        share: 0.7,
        confidence: "high",
        tools: ["claude-code"],
      });
      expect(c("c1").aiLines).toEqual({ "src/a.ts": [[4, 7]], "src/b.ts": [[1, 3]] });
      expect(
        c("c1")
          .evidence.map((e) => e.kind)
          .sort(),
      ).toEqual(["line_match", "trailer"]);
      // c2: hand rework; the AI lines it keeps were already used by c1.
      expect(c("c2")).toMatchObject({ linesAdded: 2, aiLinesAdded: 0, confidence: null });
      expect(c("c3")).toMatchObject({
        linesAdded: 5,
        aiLinesAdded: 5,
        share: 1,
        confidence: "high",
      });
      expect(c("c3").evidence).toEqual([
        {
          kind: "line_match",
          detail: "5 of 5 added lines match AI edits",
          confidence: "high",
          tool: "claude-code",
        },
      ]);
      expect(c("c4")).toMatchObject({ linesAdded: 0, confidence: null });
      expect(c("c5")).toMatchObject({
        linesAdded: 1,
        aiLinesAdded: 0,
        confidence: "medium",
        tools: ["codex"],
      });
      expect(r.stored).toBe(3);
      // Attributing again stores nothing new (same results, same ids).
      expect((await attributeCommits({ storage, project })).stored).toBe(0);
      const events = storage.events.query({ types: ["ai.commit_attributed"] });
      expect(events.map((e) => e.type === "ai.commit_attributed" && e.data.method).sort()).toEqual([
        "branch",
        "fingerprint",
        "trailer",
      ]);
    } finally {
      storage.close();
    }
  });

  it("reads evidence from messages, identities and refs/notes/ai", () => {
    const who = {
      authorName: "Ada",
      authorEmail: "ada@example.com",
      committerName: "Ada",
      committerEmail: "ada@example.com",
    };
    expect(
      messageEvidence({ ...who, message: "fix\n\nCo-authored-by: Codex <noreply@openai.com>" }),
    ).toMatchObject([{ kind: "trailer", confidence: "high", tool: "codex" }]);
    expect(
      messageEvidence({ ...who, message: "aider: fix it", authorName: "Ada (aider)" }).map((e) => [
        e.kind,
        e.confidence,
      ]),
    ).toEqual([
      ["subject_prefix", "medium"],
      ["author_suffix", "high"],
    ]);
    expect(
      messageEvidence({
        ...who,
        message: "x\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)",
      }),
    ).toMatchObject([{ kind: "footer", confidence: "medium", tool: "claude-code" }]);
    expect(
      messageEvidence({
        ...who,
        message: "x",
        authorName: "Copilot",
        authorEmail: "198982749+Copilot@users.noreply.github.com",
      }),
    ).toMatchObject([{ kind: "bot_identity", confidence: "high", tool: "copilot" }]);
    expect(messageEvidence({ ...who, message: "x", committerName: "claude[bot]" })).toMatchObject([
      { kind: "bot_identity", tool: "claude-code" },
    ]);
    expect(messageEvidence({ ...who, message: "plain commit" })).toEqual([]);
    expect(
      messageEvidence({
        ...who,
        message: "x\n\nCo-authored-by: Claude Shannon <claude@example.org>",
      }),
    ).toEqual([
      {
        kind: "trailer",
        detail: "Co-authored-by: Claude Shannon <[email]>",
        confidence: "low",
        tool: "claude-code",
      },
    ]);
    const note = parseAiNote(
      'src/a.ts\n  abcd1234 1-3,7\nsrc/b.ts\n  ef56 2\n---\n{"schema_version":"authorship/3.0.0","prompts":{"abcd1234":{"agent_id":{"tool":"cursor","model":"x"}}}}\n',
    );
    expect([...note.lines]).toEqual([
      [
        "src/a.ts",
        [
          [1, 3],
          [7, 7],
        ],
      ],
      ["src/b.ts", [[2, 2]]],
    ]);
    expect(note.tools).toEqual(["cursor"]);
  });
});
