// storage.aiReaders: the AI readers' incremental state in its own tables — per-row saves,
// per-key lookups, the open-session table, reset, validation, and no JSONL export.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import type { AiReaderFileRow } from "../src/index.js";
import { openTemp, readRows, tempDir } from "./helpers.js";
import { sqliteOf } from "../src/testing.js";

const file = (path: string, offset: number): AiReaderFileRow => ({
  path,
  cursor: {
    ino: 42,
    offset,
    size: offset,
    mtimeMs: 1_700_000_000_123.456,
    tail: "0123456789abcdef",
  },
  extra: {},
});

describe("storage.aiReaders", () => {
  it("saves cursors, listings and keys as rows and changes only what it is given", () => {
    const storage = openTemp();
    const repo = storage.aiReaders;
    expect(repo.reader("claude-code")).toBeUndefined();
    const gen1 = repo.save({
      readers: [
        {
          tool: "claude-code",
          version: 1,
          corruptLines: 2,
          putFiles: [file("/c/a.jsonl", 100), { ...file("/c/b.jsonl", 5), extra: { seq: 3 } }],
          putDirs: [{ path: "/c", mtimeMs: 17.5, files: ["a.jsonl", "b.jsonl"], dirs: ["s1"] }],
          putUsageKeys: [
            { key: "msg1:req1", sidechain: false, total: 10, speed: false, timestamp: 5 },
            { key: "msg2:req2", sidechain: true, total: 7, speed: true, timestamp: 6 },
          ],
        },
      ],
    });
    expect(gen1.get("claude-code")).toBe(1);
    expect(repo.reader("claude-code")).toMatchObject({
      version: 1,
      corruptLines: 2,
      generation: 1,
    });
    expect(repo.files("claude-code").sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      file("/c/a.jsonl", 100),
      { ...file("/c/b.jsonl", 5), extra: { seq: 3 } },
    ]);
    expect(repo.dirs("claude-code")).toEqual([
      { path: "/c", mtimeMs: 17.5, files: ["a.jsonl", "b.jsonl"], dirs: ["s1"] },
    ]);
    expect(repo.usageKey("claude-code", "msg2:req2")).toEqual({
      key: "msg2:req2",
      sidechain: true,
      total: 7,
      speed: true,
      timestamp: 6,
    });
    expect(repo.usageKey("codex", "msg2:req2")).toBeUndefined();

    // A second save touching one file leaves the other row as it was (same rowid, same values).
    const rowid = (path: string) =>
      readRows(
        storage.path,
        "SELECT rowid AS r FROM ai_reader_files WHERE tool = 'claude-code' AND path = ?",
        path,
      )[0]?.r;
    const bBefore = rowid("/c/b.jsonl");
    const gen2 = repo.save({
      readers: [
        {
          tool: "claude-code",
          version: 1,
          corruptLines: 3,
          putFiles: [file("/c/a.jsonl", 250)],
          deleteDirs: ["/c"],
        },
      ],
    });
    expect(gen2.get("claude-code")).toBe(2);
    expect(rowid("/c/b.jsonl")).toBe(bBefore);
    expect(repo.files("claude-code").find((f) => f.path === "/c/a.jsonl")?.cursor.offset).toBe(250);
    expect(repo.dirs("claude-code")).toEqual([]);
    expect(repo.reader("claude-code")?.corruptLines).toBe(3);

    repo.save({
      readers: [{ tool: "claude-code", version: 1, corruptLines: 3, deleteFiles: ["/c/b.jsonl"] }],
    });
    expect(repo.files("claude-code").map((f) => f.path)).toEqual(["/c/a.jsonl"]);
    expect(repo.counts()).toEqual({ readers: 1, files: 1, dirs: 0, usageKeys: 2, sessions: 0 });

    expect(repo.reset("claude-code")).toBe(true);
    expect(repo.reader("claude-code")).toBeUndefined();
    expect(repo.counts()).toEqual({ readers: 0, files: 0, dirs: 0, usageKeys: 0, sessions: 0 });
    expect(repo.reset("claude-code")).toBe(false);
  });

  it("finds a main-chain copy of a message under any request id, by key range", () => {
    const storage = openTemp();
    const repo = storage.aiReaders;
    repo.save({
      readers: [
        {
          tool: "claude-code",
          version: 1,
          corruptLines: 0,
          putUsageKeys: [
            { key: "m1:r1", sidechain: false, total: 1, speed: false, timestamp: 1 },
            { key: "m2:r9", sidechain: true, total: 1, speed: false, timestamp: 1 },
            { key: "m3", sidechain: false, total: 1, speed: false, timestamp: 1 },
            { key: "m10:r1", sidechain: false, total: 1, speed: false, timestamp: 1 },
          ],
        },
      ],
    });
    expect(repo.hasMainChainMessage("claude-code", "m1")).toBe(true);
    expect(repo.hasMainChainMessage("claude-code", "m2")).toBe(false); // only a sidechain copy
    expect(repo.hasMainChainMessage("claude-code", "m3")).toBe(true); // key without request id
    expect(repo.hasMainChainMessage("claude-code", "m")).toBe(false);
    expect(repo.hasMainChainMessage("codex", "m1")).toBe(false);
    const plan = (
      sqliteOf(storage)
        .prepare(
          "EXPLAIN QUERY PLAN SELECT 1 FROM ai_reader_usage_keys WHERE tool = 'x' AND key = 'k'",
        )
        .all() as Array<{ detail: string }>
    )
      .map((r) => r.detail)
      .join(" ");
    expect(plan).toMatch(
      /USING (COVERING )?INDEX sqlite_autoindex_ai_reader_usage_keys_1 \(tool=\? AND key=\?\)/,
    );
  });

  it("keeps open sessions, updates them per key and prunes ended ones", () => {
    const storage = openTemp();
    const repo = storage.aiReaders;
    const span = (id: string, lastAt: number, ended: boolean) => ({
      tool: "codex",
      sessionId: id,
      projectId: id === "a" ? "p1" : null,
      startedAt: 10,
      lastAt,
      ended,
    });
    repo.save({ sessions: [span("a", 100, false), span("b", 50, true), span("c", 500, true)] });
    expect(repo.openSessions().map((s) => s.sessionId)).toEqual(["a"]);
    expect(repo.session("codex", "a")).toEqual(span("a", 100, false));
    repo.save({ sessions: [span("a", 200, true)], pruneEndedSessionsBefore: 300 });
    expect(repo.openSessions()).toEqual([]);
    expect(repo.session("codex", "a")).toBeUndefined();
    expect(repo.session("codex", "b")).toBeUndefined();
    expect(repo.session("codex", "c")?.ended).toBe(true);
  });

  it("rejects a bad row with a clear error and saves nothing of that call", () => {
    const storage = openTemp();
    const repo = storage.aiReaders;
    let error: unknown;
    try {
      repo.save({
        readers: [
          {
            tool: "gemini-cli",
            version: 1,
            corruptLines: 0,
            putFiles: [
              file("/g/ok.json", 1),
              {
                ...file("/g/bad.json", 1),
                cursor: { ...file("/g/bad.json", 1).cursor, offset: NaN },
              },
            ],
          },
        ],
      });
    } catch (err) {
      error = err;
    }
    expect(isDevflowError(error) && error.code).toBe("STORAGE_BAD_ARGUMENT");
    expect((error as Error).message).toMatch(/\/g\/bad\.json: offset must be a finite number/);
    expect(repo.counts().files).toBe(0);
    expect(repo.reader("gemini-cli")).toBeUndefined();
  });

  it("is never exported: JSONL export has no reader-state rows", async () => {
    const storage = openTemp();
    storage.aiReaders.save({
      readers: [
        {
          tool: "claude-code",
          version: 1,
          corruptLines: 0,
          putFiles: [file("/home/ada/.claude/projects/x/s.jsonl", 1)],
          putUsageKeys: [{ key: "m:r", sidechain: false, total: 1, speed: false, timestamp: 1 }],
        },
      ],
      sessions: [
        {
          tool: "claude-code",
          sessionId: "s",
          projectId: null,
          startedAt: 1,
          lastAt: 2,
          ended: false,
        },
      ],
    });
    const out = join(tempDir(), "export.jsonl");
    const result = await storage.exportJsonl(out);
    const text = readFileSync(out, "utf8");
    expect(text).not.toContain("ai_reader");
    expect(text).not.toContain("/home/ada/.claude");
    expect(Object.keys(result.rows).some((t) => t.startsWith("ai_"))).toBe(false);
  });
});
