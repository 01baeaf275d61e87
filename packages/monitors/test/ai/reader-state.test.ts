// The readers' state in storage.aiReaders (real SQLite files): only the rows of changed files
// are written, de-duplication keys span reads, DevFlow 0.1's settings state is taken over
// without a re-read, reads can go in slices, a cached copy reloads after another process
// saved, and an unchanged Gemini conversation is not read again.
import { rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { EventEngine, validateEvent } from "@devflow/events";
import { openStorage, type Storage } from "@devflow/storage";
import {
  AI_SESSIONS_STATE_KEY,
  AiMonitor,
  AiMonitorConfigSchema,
  aiReaderStateKey,
  AiReaderStates,
  ClaudeCodeReader,
  emptyReaderState,
  readAiEvents,
  syncAiSources,
} from "../../src/index.js";
import { appendLines, claudeAssistant, tempDir, writeLines } from "./ai-fixtures.js";

const config = AiMonitorConfigSchema.parse({
  sources: { codex: false, aider: false },
  idleSessionMs: 3_600_000,
});

/** Now, for idle session ends: a little after the fixtures' records. */
const now = Date.parse("2026-02-01T12:00:00Z");

function setup() {
  const home = tempDir();
  const claude = join(home, "claude");
  const gemini = join(home, "gemini");
  const source = { env: { CLAUDE_CONFIG_DIR: claude, GEMINI_DATA_DIR: gemini }, home };
  const storage = openStorage({ path: join(home, "devflow.db") });
  return { home, claude, gemini, source, storage };
}

const line = (session: string, n: number, o: Partial<Parameters<typeof claudeAssistant>[0]> = {}) =>
  claudeAssistant({
    session,
    ts: `2026-02-01T09:${String(n).padStart(2, "0")}:00.000Z`,
    msg: `m${n}`,
    req: `r${n}`,
    usage: { input: 10 * n, output: n },
    ...o,
  });

/** Makes directories look settled (modified a minute ago): their listings are reused. */
function settle(...dirs: string[]): void {
  const past = new Date(Date.now() - 60_000);
  for (const d of dirs) utimesSync(d, past, past);
}

function usageCount(storage: Storage): number {
  return storage.events.count({ types: ["ai.usage"] });
}

describe("reader state in storage.aiReaders", () => {
  it("writes only the rows of files that changed", () => {
    const { claude, source, storage } = setup();
    try {
      for (let s = 1; s <= 5; s++)
        writeLines(join(claude, "projects", "-p", `s${s}.jsonl`), [line(`s${s}`, s)]);
      settle(join(claude, "projects"), join(claude, "projects", "-p"));
      syncAiSources({ storage, config, source, now });
      expect(storage.aiReaders.counts()).toMatchObject({ files: 5, dirs: 2, sessions: 5 });
      const save = vi.spyOn(storage.aiReaders, "save");
      appendLines(join(claude, "projects", "-p", "s3.jsonl"), [line("s3", 33)]);
      const r = syncAiSources({ storage, config, source, now });
      expect(r.stored).toBe(1);
      const readers = save.mock.calls[0]![0].readers!;
      expect(readers.map((c) => c.tool)).toEqual(["claude-code"]);
      expect(readers[0]!.putFiles!.map((f) => f.path)).toEqual([
        join(claude, "projects", "-p", "s3.jsonl"),
      ]);
      expect(readers[0]!.putUsageKeys!.map((k) => k.key)).toEqual(["m33:r33"]);
      // Only the touched session is written.
      expect(save.mock.calls[0]![0].sessions!.map((s) => s.sessionId)).toEqual(["s3"]);
      // Nothing new: nothing written at all but the sessions' pruning.
      syncAiSources({ storage, config, source, now });
      expect(save.mock.calls[1]![0].readers).toEqual([]);
      expect(save.mock.calls[1]![0].sessions).toEqual([]);
      const cursor = storage.aiReaders
        .files("claude-code")
        .find((f) => f.path.endsWith("s3.jsonl"))!.cursor;
      expect(cursor.offset).toBe(statSync(join(claude, "projects", "-p", "s3.jsonl")).size);
      // A deleted transcript loses its row (its directory's listing changed).
      rmSync(join(claude, "projects", "-p", "s5.jsonl"));
      syncAiSources({ storage, config, source, now });
      expect(save.mock.calls[2]![0].readers![0]!.deleteFiles).toEqual([
        join(claude, "projects", "-p", "s5.jsonl"),
      ]);
      expect(storage.aiReaders.files("claude-code")).toHaveLength(4);
    } finally {
      storage.close();
    }
  });

  it("applies the de-duplication rule across reads with the stored keys", () => {
    const { claude, source, storage } = setup();
    try {
      const a = join(claude, "projects", "-p", "a.jsonl");
      writeLines(a, [line("a", 1, { usage: { input: 100, output: 5 } })]);
      syncAiSources({ storage, config, source, now });
      expect(usageCount(storage)).toBe(1);
      // A resumed session copies the request into a new file, later: not stored again.
      writeLines(join(claude, "projects", "-p", "b.jsonl"), [
        line("b", 1, { ts: "2026-02-01T10:00:00.000Z", usage: { input: 100, output: 5 } }),
      ]);
      // Stored: b's session start and its idle end, no usage.
      expect(syncAiSources({ storage, config, source, now }).stored).toBe(2);
      expect(usageCount(storage)).toBe(1);
      // A later streaming snapshot with a larger total is the better copy: stored.
      appendLines(a, [
        line("a", 1, { ts: "2026-02-01T09:01:30.000Z", usage: { input: 100, output: 50 } }),
      ]);
      syncAiSources({ storage, config, source, now });
      expect(usageCount(storage)).toBe(2);
      expect(storage.aiReaders.usageKey("claude-code", "m1:r1")).toMatchObject({
        sidechain: false,
        total: 150,
      });
      // A /btw sidechain replay of that message under another request id: dropped.
      appendLines(a, [
        line("a", 1, { req: "r-btw", sidechain: true, usage: { input: 1, output: 1 } }),
      ]);
      syncAiSources({ storage, config, source, now });
      expect(usageCount(storage)).toBe(2);
      // A reader without stored keys (the same rule within one read only) would take both copies.
      const plain: string[] = [];
      new ClaudeCodeReader({ source }).read(emptyReaderState(), (r) => {
        if (r.kind === "usage") plain.push(r.requestKey);
      });
      expect(plain).toEqual(["m1:r1"]);
    } finally {
      storage.close();
    }
  });

  it("takes over the settings state of DevFlow 0.1 without reading again", () => {
    const { claude, source, storage } = setup();
    try {
      const f = join(claude, "projects", "-p", "s1.jsonl");
      writeLines(f, [line("s1", 1), line("s1", 2)]);
      // What DevFlow 0.1 kept: the reader state and the session table as JSON settings.
      const legacy = emptyReaderState();
      delete legacy.dirs;
      new ClaudeCodeReader({ source }).read(legacy, () => undefined);
      delete legacy.dirs;
      storage.settings.set(aiReaderStateKey("claude-code"), legacy);
      storage.settings.set(AI_SESSIONS_STATE_KEY, {
        "claude-code:s1": {
          tool: "claude-code",
          sessionId: "s1",
          start: Date.parse("2026-02-01T09:01:00Z"),
          last: Date.parse("2026-02-01T09:02:00Z"),
        },
      });
      const first = syncAiSources({ storage, config, source, now });
      expect(first.sources[0]!.filesRead).toBe(0);
      expect(first.stored).toBe(1); // the idle end of s1, nothing read again
      expect(storage.settings.get(aiReaderStateKey("claude-code"))).toBeUndefined();
      expect(storage.settings.get(AI_SESSIONS_STATE_KEY)).toBeUndefined();
      expect(storage.aiReaders.files("claude-code").map((r) => r.path)).toEqual([f]);
      expect(storage.aiReaders.session("claude-code", "s1")).toMatchObject({
        ended: true,
        startedAt: Date.parse("2026-02-01T09:01:00Z"),
      });
      appendLines(f, [line("s1", 3)]);
      expect(syncAiSources({ storage, config, source, now }).sources[0]!.records.usage).toBe(1);
    } finally {
      storage.close();
    }
  });

  it("reads in slices of maxBytes, each stored before the next", () => {
    const { claude, source, storage } = setup();
    try {
      for (let s = 1; s <= 6; s++)
        writeLines(join(claude, "projects", "-p", `s${s}.jsonl`), [
          line(`s${s}`, s),
          line(`s${s}`, s + 10),
        ]);
      const states = new AiReaderStates(storage);
      let slices = 0;
      for (;;) {
        const read = readAiEvents({ storage, config, source, states, maxBytes: 1, now });
        storage.events.insertBatch(read.events.map((e) => validateEvent(e)));
        read.commit();
        slices++;
        if (read.deferredFiles === 0) break;
        expect(read.deferredFiles).toBe(6 - slices);
      }
      expect(slices).toBe(6);
      expect(usageCount(storage)).toBe(12);
    } finally {
      storage.close();
    }
  });

  it("reloads a cached copy after another process saved", () => {
    const { claude, source, storage } = setup();
    try {
      const f = join(claude, "projects", "-p", "s1.jsonl");
      writeLines(f, [line("s1", 1)]);
      const mine = new AiReaderStates(storage);
      const read1 = readAiEvents({ storage, config, source, states: mine, now });
      read1.commit();
      expect(read1.sources[0]!.records.usage).toBe(1);
      appendLines(f, [line("s1", 2)]);
      // Another process (e.g. `devflow ai sources` while DevFlow runs) reads and saves.
      syncAiSources({ storage, config, source, now });
      const read2 = readAiEvents({ storage, config, source, states: mine, now });
      expect(read2.sources[0]!.filesRead).toBe(0);
      expect(read2.events.filter((e) => e.type === "ai.usage")).toEqual([]);
    } finally {
      storage.close();
    }
  });

  it("does not read an unchanged Gemini conversation again", () => {
    const { gemini, source, storage } = setup();
    try {
      const file = join(gemini, "h1", "chats", "session-1.json");
      const conv = (output: number) => ({
        sessionId: "g1",
        projectHash: "h1",
        startTime: "2026-01-05T10:00:00.000Z",
        messages: [
          {
            id: "m1",
            timestamp: "2026-01-05T10:00:05.000Z",
            type: "gemini",
            model: "gemini-2.5-pro",
            tokens: { input: 10, output, cached: 0 },
          },
        ],
      });
      writeLines(file, [conv(5)]);
      const gem = (r: ReturnType<typeof syncAiSources>) =>
        r.sources.find((s) => s.tool === "gemini-cli")!;
      expect(gem(syncAiSources({ storage, config, source, now })).filesRead).toBe(1);
      expect(gem(syncAiSources({ storage, config, source, now })).filesRead).toBe(0);
      writeLines(file, [conv(7)]);
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const third = gem(syncAiSources({ storage, config, source, now }));
      expect(third).toMatchObject({ filesRead: 1, restartedFiles: 1 });
    } finally {
      storage.close();
    }
  });

  it("AiMonitor reads a large backlog in slices and stores every record", async () => {
    const { claude, source, storage } = setup();
    const engine = new EventEngine({ maxWaitMs: 10 });
    engine.addSink(storage.sink);
    for (let s = 1; s <= 4; s++)
      writeLines(join(claude, "projects", "-p", `s${s}.jsonl`), [line(`s${s}`, s)]);
    const monitor = new AiMonitor({ engine, storage }, config, {
      source,
      listProcesses: () => Promise.resolve([]),
      sliceBytes: 1,
    });
    try {
      await monitor.start();
      await monitor.poll(); // joins the first read, running in the background
      expect(usageCount(storage)).toBe(4);
      expect(monitor.status().counters.bytesRead).toBeGreaterThan(0);
      expect(storage.aiReaders.counts().files).toBe(4);
    } finally {
      await monitor.stop();
      await engine.stop();
      storage.close();
    }
  });
});
