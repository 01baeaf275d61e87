// CodexReader (cumulative deltas, re-emits, archived copies, forks, last-only usage, apply_patch),
// GeminiCliReader (whole-file and JSONL records, last write wins) and AiderReader (chat history).
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type AiRecord,
  AiderReader,
  CodexReader,
  emptyReaderState,
  GeminiCliReader,
  parseAiderCount,
  type UsageRecord,
} from "../../src/index.js";
import { appendLines, codexLine, codexTokens, tempDir, writeLines } from "./ai-fixtures.js";

function totals(records: AiRecord[]) {
  const t = { input: 0, output: 0, cacheRead: 0, reasoning: 0, n: 0 };
  for (const r of records) {
    if (r.kind !== "usage") continue;
    t.input += r.tokens.input;
    t.output += r.tokens.output;
    t.cacheRead += r.tokens.cacheRead;
    t.reasoning += r.tokens.reasoning;
    t.n++;
  }
  return t;
}

function codexCorpus(home: string): string {
  const day = join(home, "sessions", "2026", "01", "05");
  const s1 = join(day, "rollout-2026-01-05T10-00-00-s1.jsonl");
  const lines = [
    codexLine("2026-01-05T10:00:00.000Z", "session_meta", {
      id: "s1",
      timestamp: "2026-01-05T10:00:00.000Z",
      cwd: "/work/proj",
      originator: "codex_cli_rs",
      cli_version: "0.80.0",
      source: "cli",
    }),
    codexLine("2026-01-05T10:00:01.000Z", "turn_context", {
      cwd: "/work/proj",
      model: "gpt-5-codex",
      approval_policy: "on-request",
    }),
    codexLine("2026-01-05T10:00:02.000Z", "event_msg", {
      type: "user_message",
      message: "fix the bug",
      kind: "plain",
    }),
    codexTokens("2026-01-05T10:00:10.000Z", [100, 20, 10, 5]),
    codexTokens("2026-01-05T10:00:11.000Z", [100, 20, 10, 5]),
    codexTokens("2026-01-05T10:00:12.000Z", null),
    codexTokens("2026-01-05T10:01:00.000Z", [250, 120, 30, 12], [150, 100, 20, 7]),
    codexLine("2026-01-05T10:01:01.000Z", "response_item", {
      type: "custom_tool_call",
      name: "apply_patch",
      call_id: "call_1",
      input:
        "*** Begin Patch\n*** Add File: src/new.ts\n+export const x = 1;\n+export const y = 2;\n*** Update File: src/a.ts\n@@\n-old line\n+new line\n*** End Patch",
    }),
    codexTokens("2026-01-05T10:01:02.000Z", [250, 120, 30, 12]),
    '{"timestamp":"2026-01-05T10:01:03.000Z","type":"event_msg","payload":{',
  ];
  writeLines(s1, lines);
  // The same rollout archived: skipped while the active one exists.
  writeLines(join(home, "archived_sessions", "rollout-2026-01-05T10-00-00-s1.jsonl"), lines);
  // An older archived session with only last_token_usage.
  writeLines(join(home, "archived_sessions", "rollout-2026-01-04T09-00-00-s0.jsonl"), [
    codexLine("2026-01-04T09:00:00.000Z", "session_meta", { id: "s0", cwd: "/work/other" }),
    codexLine("2026-01-04T09:00:01.000Z", "turn_context", { model: "gpt-5" }),
    codexTokens("2026-01-04T09:00:05.000Z", null, [40, 0, 4, 0]),
  ]);
  // A fork replays the parent's history as a burst at its creation time.
  writeLines(join(home, "sessions", "2026", "01", "06", "rollout-2026-01-06T08-00-00-s2.jsonl"), [
    codexLine("2026-01-06T08:00:00.000Z", "session_meta", {
      id: "s2",
      timestamp: "2026-01-06T08:00:00.000Z",
      cwd: "/work/proj",
      forked_from_id: "s1",
    }),
    codexLine("2026-01-06T08:00:00.000Z", "turn_context", { model: "gpt-5-codex" }),
    codexLine("2026-01-06T08:00:00.000Z", "event_msg", {
      type: "user_message",
      message: "fix the bug",
    }),
    codexTokens("2026-01-06T08:00:00.000Z", [250, 120, 30, 12]),
    codexTokens("2026-01-06T08:01:00.000Z", [300, 150, 40, 12]),
  ]);
  return s1;
}

describe("CodexReader", () => {
  it("takes deltas of cumulative totals, skips re-emits, archived copies and fork replays", () => {
    const home = tempDir();
    const s1 = codexCorpus(home);
    const reader = new CodexReader({ source: { env: { CODEX_HOME: home }, home: "/none" } });
    const state = emptyReaderState();
    const records: AiRecord[] = [];
    const stats = reader.read(state, (r) => records.push(r));
    // s1: (100−20, 20, 10) + (150−100, 100, 20); s0: (40, 0, 4); s2 after the replay: (50−30, 30, 10)
    expect(totals(records)).toEqual({
      input: 190,
      output: 44,
      cacheRead: 150,
      reasoning: 12,
      n: 4,
    });
    expect(stats.files).toBe(3);
    expect(stats.corruptLines).toBe(1);
    const usage = records.filter((r): r is UsageRecord => r.kind === "usage");
    expect(new Set(usage.map((u) => u.model))).toEqual(new Set(["gpt-5-codex", "gpt-5"]));
    expect(records.filter((r) => r.kind === "prompt")).toHaveLength(1);
    const edits = records.filter((r) => r.kind === "edit");
    expect(
      edits.map((e) => e.kind === "edit" && [e.targetPath, e.op, e.linesAdded, e.linesRemoved]),
    ).toEqual([
      ["src/new.ts", "create", 2, 0],
      ["src/a.ts", "modify", 1, 1],
    ]);
    const fork = records.find((r) => r.kind === "session" && r.sessionId === "s2");
    expect(fork).toMatchObject({ isSubagent: true, parentSessionId: "s1" });

    // The baseline survives between reads: an appended total gives only its delta.
    appendLines(s1, [codexTokens("2026-01-05T10:02:00.000Z", [260, 120, 35, 12])]);
    const more: AiRecord[] = [];
    reader.read(state, (r) => more.push(r));
    expect(totals(more)).toEqual({ input: 10, output: 5, cacheRead: 0, reasoning: 0, n: 1 });
  });
});

describe("GeminiCliReader", () => {
  it("reads whole and JSONL conversation records; the last write of a message id wins", () => {
    const dir = tempDir();
    const chats = join(dir, "abc123", "chats");
    writeLines(join(chats, "session-2026-01-05T10-00-g1.json"), [
      {
        sessionId: "g1",
        projectHash: "abc123",
        startTime: "2026-01-05T10:00:00.000Z",
        lastUpdated: "2026-01-05T10:10:00.000Z",
        messages: [
          {
            id: "m1",
            timestamp: "2026-01-05T10:00:00.000Z",
            type: "user",
            content: "write a test",
          },
          {
            id: "m2",
            timestamp: "2026-01-05T10:00:05.000Z",
            type: "gemini",
            content: "ok",
            model: "gemini-2.5-pro",
            tokens: { input: 1000, output: 50, cached: 400, thoughts: 20, tool: 0, total: 1070 },
          },
          {
            id: "m3",
            timestamp: "2026-01-05T10:01:00.000Z",
            type: "gemini",
            content: "",
            model: "gemini-2.5-pro",
            tokens: { input: 500, output: 10, cached: 0, total: 510 },
            toolCalls: [
              {
                id: "tc1",
                name: "write_file",
                args: { file_path: "/work/proj/t.test.ts", content: "a\nb\nc\n" },
                status: "success",
              },
            ],
          },
        ],
      },
    ]);
    writeLines(join(chats, "session-2026-01-05T11-00-g2.jsonl"), [
      {
        sessionId: "g2",
        projectHash: "abc123",
        startTime: "2026-01-05T11:00:00.000Z",
        kind: "main",
      },
      {
        id: "m4",
        timestamp: "2026-01-05T11:00:05.000Z",
        type: "gemini",
        model: "gemini-2.5-flash",
        tokens: { input: 100, output: 5, cached: 0 },
      },
      "not json",
      {
        id: "m4",
        timestamp: "2026-01-05T11:00:05.000Z",
        type: "gemini",
        model: "gemini-2.5-flash",
        tokens: { input: 100, output: 25, cached: 0 },
      },
    ]);
    const reader = new GeminiCliReader({
      source: { env: { GEMINI_DATA_DIR: dir }, home: "/none" },
    });
    const records: AiRecord[] = [];
    const stats = reader.read(emptyReaderState(), (r) => records.push(r));
    // m2: (1000−400, 50+20, 400); m3: (500, 10); m4 last write: (100, 25)
    expect(totals(records)).toEqual({
      input: 1200,
      output: 105,
      cacheRead: 400,
      reasoning: 20,
      n: 3,
    });
    expect(stats.corruptLines).toBe(1);
    expect(records.filter((r) => r.kind === "edit")).toMatchObject([
      { targetPath: "/work/proj/t.test.ts", linesAdded: 3, op: "create" },
    ]);
    expect(records.find((r) => r.kind === "session")?.projectHash).toBe("abc123");
  });
});

describe("AiderReader", () => {
  it("reads sessions, prompts, reported usage and applied edits from the chat history", () => {
    const root = tempDir();
    const history = join(root, ".aider.chat.history.md");
    writeFileSync(
      history,
      [
        "# aider chat started at 2026-01-05 10:00:00",
        "",
        "> Aider v0.86.0",
        "> Main model: anthropic/claude-sonnet-4-5 with diff edit format",
        "",
        "#### add a greeting function",
        "#### in a new file",
        "",
        "I'll add it.",
        "",
        "src/greet.py",
        "```python",
        "<<<<<<< SEARCH",
        "=======",
        "def greet(name):",
        '    return f"hi {name}"',
        ">>>>>>> REPLACE",
        "```",
        "",
        "> Tokens: 2.5k sent, 120 received. Cost: $0.0093 message, $0.0093 session.",
        "> Applied edit to src/greet.py",
        "",
      ].join("\n"),
    );
    const reader = new AiderReader({ projectRoots: [root] });
    const state = emptyReaderState();
    const records: AiRecord[] = [];
    reader.read(state, (r) => records.push(r));
    expect(totals(records)).toEqual({ input: 2500, output: 120, cacheRead: 0, reasoning: 0, n: 1 });
    const usage = records.find((r): r is UsageRecord => r.kind === "usage");
    expect(usage?.reportedCostUsd).toBe(0.0093);
    expect(usage?.model).toBe("anthropic/claude-sonnet-4-5");
    expect(records.find((r) => r.kind === "prompt")).toMatchObject({
      text: "add a greeting function\nin a new file",
    });
    expect(records.find((r) => r.kind === "edit")).toMatchObject({
      targetPath: "src/greet.py",
      linesAdded: 2,
      op: "create",
      cwd: root,
    });
    appendLines(history, ["#### now tests", "", "> Tokens: 1.2M sent, 3k received."]);
    const more: AiRecord[] = [];
    reader.read(state, (r) => more.push(r));
    expect(totals(more)).toMatchObject({ input: 1_200_000, output: 3000, n: 1 });
    expect(parseAiderCount("16k")).toBe(16_000);
  });
});
