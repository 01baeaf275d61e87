// ClaudeCodeReader: streaming splits, a resumed session, subagent files and a /btw replay,
// a corrupt line, growing snapshots, incremental appends, truncated and rewritten files.
import { statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AiRecord,
  ClaudeCodeReader,
  claudeProjectDirs,
  emptyReaderState,
  lineFingerprint,
  type UsageRecord,
} from "../../src/index.js";
import {
  appendLines,
  claudeAssistant,
  claudePrompt,
  claudeToolResult,
  tempDir,
  writeLines,
} from "./ai-fixtures.js";

function sum(records: AiRecord[]) {
  const usage = records.filter((r): r is UsageRecord => r.kind === "usage");
  const t = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0, n: usage.length };
  for (const u of usage) {
    t.input += u.tokens.input;
    t.output += u.tokens.output;
    t.cacheWrite += u.tokens.cacheWrite;
    t.cacheRead += u.tokens.cacheRead;
  }
  return t;
}

function corpus(): { config: string; fileA: string; fileB: string } {
  const config = tempDir();
  const proj = join(config, "projects", "-work-proj");
  const fileA = join(proj, "sess-a.jsonl");
  const fileB = join(proj, "sess-b.jsonl");
  const m1 = {
    msg: "msg_1",
    req: "req_1",
    usage: { input: 3, output: 10, cacheWrite: 100, cacheRead: 1000 },
  };
  const m2 = { msg: "msg_2", req: "req_2", usage: { input: 1, output: 50, cacheRead: 1100 } };
  writeLines(fileA, [
    claudePrompt({
      session: "a",
      ts: "2026-01-05T10:00:00.000Z",
      uuid: "p1",
      text: "Add a parser",
    }),
    claudeAssistant({ session: "a", ts: "2026-01-05T10:00:01.000Z", ...m1 }),
    claudeAssistant({
      session: "a",
      ts: "2026-01-05T10:00:02.000Z",
      ...m1,
      content: [
        {
          type: "tool_use",
          id: "toolu_1",
          name: "Edit",
          input: { file_path: "/work/proj/src/a.ts" },
        },
      ],
    }),
    claudeToolResult({
      session: "a",
      ts: "2026-01-05T10:00:03.000Z",
      uuid: "tr1",
      toolUseId: "toolu_1",
      filePath: "/work/proj/src/a.ts",
      patch: [
        {
          oldStart: 1,
          oldLines: 2,
          newStart: 1,
          newLines: 3,
          lines: ["+const a = 1;", "+const b = 2;", " ctx", "-old"],
        },
      ],
    }),
    '{"type":"assistant","message":{"usage":{"input_tokens":',
    claudeAssistant({ session: "a", ts: "2026-01-05T10:05:00.000Z", ...m2 }),
    claudeAssistant({
      session: "a",
      ts: "2026-01-05T10:06:00.000Z",
      msg: "msg_5",
      req: "req_5",
      usage: { input: 2, output: 5 },
    }),
    claudeAssistant({
      session: "a",
      ts: "2026-01-05T10:06:01.000Z",
      msg: "msg_5",
      req: "req_5",
      usage: { input: 2, output: 40 },
    }),
    { type: "summary", summary: "Parser work", leafUuid: "x" },
  ]);
  // A resumed session copies history (same message and request ids) into a new file.
  writeLines(fileB, [
    claudeAssistant({ session: "b", ts: "2026-01-05T10:00:01.000Z", ...m1 }),
    claudeAssistant({ session: "b", ts: "2026-01-05T10:05:00.000Z", ...m2 }),
    claudePrompt({
      session: "b",
      ts: "2026-01-06T09:00:00.000Z",
      uuid: "p2",
      text: "Now the tests",
    }),
    claudeAssistant({
      session: "b",
      ts: "2026-01-06T09:00:05.000Z",
      msg: "msg_3",
      req: "req_3",
      usage: { input: 5, output: 20, cacheWrite: 200, cacheRead: 2000 },
    }),
  ]);
  // A subagent file: its own request, and a /btw replay of msg_2 with a new request id.
  writeLines(join(proj, "sess-a", "subagents", "agent-x.jsonl"), [
    claudeAssistant({
      session: "a",
      ts: "2026-01-05T10:02:00.000Z",
      msg: "msg_4",
      req: "req_4",
      sidechain: true,
      model: "claude-haiku-4-5-20251001",
      usage: { input: 7, output: 30, cacheRead: 500 },
    }),
    claudeAssistant({
      session: "a",
      ts: "2026-01-05T10:05:30.000Z",
      msg: "msg_2",
      req: "req_2b",
      sidechain: true,
      usage: { input: 1, output: 50, cacheRead: 1100 },
    }),
  ]);
  return { config, fileA, fileB };
}

describe("ClaudeCodeReader", () => {
  it("finds projects/ under each CLAUDE_CONFIG_DIR entry, else ~/.config/claude and ~/.claude", () => {
    expect(
      claudeProjectDirs({ env: { CLAUDE_CONFIG_DIR: "/a, /b/projects" }, home: "/h" }),
    ).toEqual(["/a/projects", "/b/projects"]);
    expect(claudeProjectDirs({ env: {}, home: "/h" })).toEqual([
      "/h/.config/claude/projects",
      "/h/.claude/projects",
    ]);
    expect(claudeProjectDirs({ env: { XDG_CONFIG_HOME: "/x" }, home: "/h" })).toEqual([
      "/x/claude/projects",
      "/h/.claude/projects",
    ]);
  });

  it("de-duplicates usage across files and totals exactly the hand-computed values", () => {
    const { config } = corpus();
    const reader = new ClaudeCodeReader({
      source: { env: { CLAUDE_CONFIG_DIR: config }, home: "/nonexistent" },
    });
    const records: AiRecord[] = [];
    const stats = reader.read(emptyReaderState(), (r) => records.push(r));
    // msg_1 (3/10/100/1000) + msg_2 (1/50/0/1100) + msg_3 (5/20/200/2000) + msg_4 (7/30/0/500)
    // + msg_5 larger snapshot (2/40/0/0); the resumed copies and the /btw replay are dropped.
    expect(sum(records)).toEqual({
      input: 18,
      output: 150,
      cacheWrite: 300,
      cacheRead: 4600,
      n: 5,
    });
    expect(stats.corruptLines).toBe(1);
    expect(stats.files).toBe(3);
    const byKey = new Map(
      records.filter((r): r is UsageRecord => r.kind === "usage").map((r) => [r.requestKey, r]),
    );
    expect(byKey.get("msg_4:req_4")?.model).toBe("claude-haiku-4-5-20251001");
    expect(byKey.get("msg_4:req_4")?.sidechain).toBe(true);
    expect(byKey.get("msg_2:req_2")?.placeholderInput).toBe(true);
    expect(byKey.get("msg_1:req_1")?.sessionId).toBe("a");
    expect(
      records.filter((r) => r.kind === "prompt").map((r) => r.kind === "prompt" && r.text),
    ).toEqual(["Add a parser", "Now the tests"]);
    const edit = records.find((r) => r.kind === "edit");
    expect(edit).toMatchObject({
      targetPath: "/work/proj/src/a.ts",
      linesAdded: 2,
      linesRemoved: 1,
      via: "structuredPatch",
    });
    expect(edit?.kind === "edit" && edit.fingerprints).toEqual([
      lineFingerprint("const a = 1;"),
      lineFingerprint("const b = 2;"),
    ]);
    expect(records.filter((r) => r.kind === "tool_use")).toHaveLength(1);
    expect(
      records
        .filter((r) => r.kind === "session")
        .map((r) => r.sessionId)
        .sort(),
    ).toEqual(["a", "b"]);
  });

  it("reads only appended bytes, and re-reads a truncated or rewritten file from the start", () => {
    const { config, fileA, fileB } = corpus();
    const reader = new ClaudeCodeReader({
      source: { env: { CLAUDE_CONFIG_DIR: config }, home: "/x" },
    });
    const state = emptyReaderState();
    reader.read(state, () => undefined);

    const again: AiRecord[] = [];
    const quiet = reader.read(state, (r) => again.push(r));
    expect(again).toEqual([]);
    expect(quiet.bytesRead).toBe(0);

    const before = statSync(fileB).size;
    appendLines(fileB, [
      claudeAssistant({
        session: "b",
        ts: "2026-01-06T09:10:00.000Z",
        msg: "msg_6",
        req: "req_6",
        usage: { input: 4, output: 8 },
      }),
    ]);
    // A half-written line is not consumed until its newline arrives.
    writeFileSync(fileB, '{"type":"assistant","usage"', { flag: "a" });
    const appended: AiRecord[] = [];
    const s2 = reader.read(state, (r) => appended.push(r));
    expect(sum(appended)).toEqual({ input: 4, output: 8, cacheWrite: 0, cacheRead: 0, n: 1 });
    expect(s2.bytesRead).toBe(statSync(fileB).size - before);
    expect(s2.corruptLines).toBe(0);

    // Truncated and rewritten with other content: read again from the start.
    writeLines(fileA, [
      claudeAssistant({
        session: "a",
        ts: "2026-01-07T08:00:00.000Z",
        msg: "msg_7",
        req: "req_7",
        usage: { input: 9, output: 9 },
      }),
    ]);
    const rewritten: AiRecord[] = [];
    const s3 = reader.read(state, (r) => rewritten.push(r));
    expect(s3.restartedFiles).toBe(1);
    expect(sum(rewritten)).toEqual({ input: 9, output: 9, cacheWrite: 0, cacheRead: 0, n: 1 });

    // Rewritten in place to a larger file whose earlier bytes differ: also from the start.
    const big = [
      claudeAssistant({
        session: "a",
        ts: "2026-01-07T08:00:00.000Z",
        msg: "msg_8",
        req: "req_8",
        usage: { input: 1, output: 2 },
      }),
    ];
    for (let i = 0; i < 5; i++)
      big.push(
        claudePrompt({ session: "a", ts: "2026-01-07T08:01:00.000Z", uuid: `q${i}`, text: "more" }),
      );
    writeLines(fileA, big);
    const s4: AiRecord[] = [];
    expect(reader.read(state, (r) => s4.push(r)).restartedFiles).toBe(1);
    expect(sum(s4)).toMatchObject({ input: 1, output: 2, n: 1 });
  });

  it("keeps directory listings between reads and still sees files added later", () => {
    const { config } = corpus();
    const proj = join(config, "projects", "-work-proj");
    const old = new Date(Date.now() - 60_000);
    const reader = new ClaudeCodeReader({
      source: { env: { CLAUDE_CONFIG_DIR: config }, home: "/x" },
    });
    const state = emptyReaderState();
    utimesSync(proj, old, old);
    expect(reader.read(state, () => undefined).files).toBe(3);
    // Listed from the cache (the directory is unchanged), nothing new.
    expect(reader.read(state, () => undefined)).toMatchObject({ files: 3, filesRead: 0 });
    // A new session file changes the directory's mtime: it is listed and read.
    writeLines(join(proj, "sess-c.jsonl"), [
      claudeAssistant({
        session: "c",
        ts: "2026-01-08T08:00:00.000Z",
        msg: "msg_c",
        req: "req_c",
        usage: { input: 3, output: 4 },
      }),
    ]);
    const got: AiRecord[] = [];
    expect(reader.read(state, (r) => got.push(r))).toMatchObject({ files: 4, filesRead: 1 });
    expect(sum(got)).toMatchObject({ input: 3, output: 4, n: 1 });
  });
});
