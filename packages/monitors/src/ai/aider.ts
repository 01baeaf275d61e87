import { existsSync } from "node:fs";
import { join } from "node:path";
import { lineText, type LineSlice } from "./file-cursor.js";
import { fingerprintLines, stableId } from "./fingerprint.js";
import {
  type AiSourceReader,
  forgetMissing,
  type LineContext,
  newStats,
  type ReadOptions,
  type ReaderState,
  readLineFiles,
  type ReadStats,
  type SourceRoot,
} from "./incremental.js";
import type { AiRecord } from "./records.js";
import { addedLines } from "./tool-category.js";

/** Options of {@link AiderReader}. */
export interface AiderReaderOptions {
  /** Repositories whose `.aider.chat.history.md` is read. */
  projectRoots: readonly string[];
  /** The history file name (`--chat-history-file`); default `.aider.chat.history.md`. */
  historyFile?: string;
}

interface AiderState {
  sessionId?: string;
  start?: number;
  seq?: number;
  model?: string;
  prompt?: string[];
  /** The last plain line (a file name before an edit block). */
  lastPlain?: string;
  block?: { file: string; part: "search" | "replace"; search: string[]; replace: string[] };
  /** Edit blocks waiting for `> Applied edit to <file>`. */
  pending?: Record<string, Array<{ search: string[]; replace: string[] }>>;
}

const HEADER = /^# aider chat started at (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})/;
const TOKENS = /^> Tokens: (.+?)\.(?: Cost: \$([\d.]+) message.*)?\s*$/;

/** Parses aider's abbreviated counts: `516`, `16k`, `2.5k`, `1.2M`. */
export function parseAiderCount(text: string): number {
  const m = /^([\d.]+)\s*([kKmM]?)$/.exec(text.trim());
  if (!m) return 0;
  const scale = m[2] === "" ? 1 : m[2]!.toLowerCase() === "k" ? 1000 : 1_000_000;
  return Math.round(Number(m[1]) * scale);
}

/**
 * Aider's chat history in each repository (`.aider.chat.history.md`): sessions from the
 * `# aider chat started at` headers (local time), prompts from `#### ` lines, usage and the
 * reported cost from `> Tokens: … sent, … received. Cost: $… message` lines, and edits from
 * SEARCH/REPLACE blocks confirmed by `> Applied edit to <file>`. Aider writes no per-message
 * times: records are stamped with their session's start plus their order (ms).
 */
export class AiderReader implements AiSourceReader {
  readonly tool = "aider" as const;
  readonly #files: string[];

  constructor(options: AiderReaderOptions) {
    const name = options.historyFile ?? ".aider.chat.history.md";
    this.#files = options.projectRoots.map((r) => join(r, name));
  }

  roots(): SourceRoot[] {
    return this.#files.map((path) => ({ path, exists: existsSync(path) }));
  }

  read(state: ReaderState, onRecord: (record: AiRecord) => void, options?: ReadOptions): ReadStats {
    const stats = newStats(this.tool, this.roots());
    const files = this.#files.filter((f) => existsSync(f));
    forgetMissing(state, files, options?.changes);
    readLineFiles(files, { state, stats, options }, parseAiderLine, onRecord);
    return stats;
  }
}

function parseAiderLine(line: LineSlice, ctx: LineContext): void {
  const text = lineText(line);
  const st = ctx.extra as AiderState;
  const header = HEADER.exec(text);
  if (header) {
    flushPrompt(st, ctx, line.offset);
    const start = new Date(`${header[1]}T${header[2]}`).getTime();
    st.sessionId = stableId(ctx.file, line.offset);
    st.start = Number.isNaN(start) ? 0 : start;
    st.seq = 0;
    st.model = undefined;
    st.block = undefined;
    st.pending = {};
    ctx.emit({
      ...base(st, ctx, line.offset),
      kind: "session",
      isSubagent: false,
      entrypoint: "cli",
    });
    return;
  }
  if (st.sessionId === undefined) return;
  if (text.startsWith("#### ")) {
    (st.prompt ??= []).push(text.slice(5));
    return;
  }
  flushPrompt(st, ctx, line.offset);
  const model = /^> (?:Main model|Model): (\S+)/.exec(text);
  if (model) {
    st.model = model[1];
    return;
  }
  const tokens = TOKENS.exec(text);
  if (tokens) {
    usageLine({ parts: tokens[1]!, cost: tokens[2] }, st, ctx, line.offset);
    return;
  }
  const applied = /^> Applied edit to (.+)$/.exec(text);
  if (applied) {
    const file = applied[1]!.trim();
    for (const b of st.pending?.[file] ?? []) {
      const diff = addedLines(b.search.join("\n"), b.replace.join("\n"));
      ctx.emit({
        ...base(st, ctx, line.offset),
        kind: "edit",
        toolUseId: stableId(ctx.file, line.offset, b.replace.length),
        targetPath: file,
        op: b.search.length === 0 ? "create" : "modify",
        linesAdded: diff.added.length,
        linesRemoved: diff.removed,
        fingerprints: fingerprintLines(diff.added),
        via: "search_replace",
      });
    }
    if (st.pending) delete st.pending[file];
    return;
  }
  editBlockLine(text, st);
}

function editBlockLine(text: string, st: AiderState): void {
  if (/^<{5,9} SEARCH/.test(text)) {
    if (st.lastPlain) st.block = { file: st.lastPlain, part: "search", search: [], replace: [] };
    return;
  }
  const b = st.block;
  if (b && /^={5,9}$/.test(text)) {
    b.part = "replace";
    return;
  }
  if (b && /^>{5,9} REPLACE/.test(text)) {
    ((st.pending ??= {})[b.file] ??= []).push({ search: b.search, replace: b.replace });
    st.block = undefined;
    return;
  }
  if (b) {
    (b.part === "search" ? b.search : b.replace).push(text);
    return;
  }
  const plain = text.trim();
  if (plain !== "" && !plain.startsWith("```") && !plain.startsWith(">")) st.lastPlain = plain;
}

function base(st: AiderState, ctx: LineContext, offset: number) {
  st.seq = (st.seq ?? 0) + 1;
  const root = ctx.file.slice(0, ctx.file.lastIndexOf("/")) || "/";
  return {
    tool: "aider" as const,
    sessionId: st.sessionId!,
    timestamp: (st.start ?? 0) + st.seq,
    cwd: root,
    file: ctx.file,
    offset,
  };
}

function flushPrompt(st: AiderState, ctx: LineContext, offset: number): void {
  if (!st.prompt || st.sessionId === undefined) return;
  const text = st.prompt.join("\n");
  st.prompt = undefined;
  if (text.trim() === "") return;
  ctx.emit({
    ...base(st, ctx, offset),
    kind: "prompt",
    promptId: stableId(ctx.file, offset),
    text,
    promptKind: text.startsWith("/") ? "slash_command" : "user",
  });
}

/** The token counts (`parts`) and the cost of a `> Tokens: …` line. */
interface UsageText {
  readonly parts: string;
  readonly cost: string | undefined;
}

function usageLine(text: UsageText, st: AiderState, ctx: LineContext, offset: number): void {
  const { parts, cost } = text;
  let sent = 0;
  let received = 0;
  let cacheWrite = 0;
  let cacheRead = 0;
  for (const part of parts.split(",")) {
    const m = /^\s*([\d.]+\s*[kKmM]?) (sent|received|cache write|cache hit)/.exec(part);
    if (!m) continue;
    const n = parseAiderCount(m[1]!);
    if (m[2] === "sent") sent = n;
    else if (m[2] === "received") received = n;
    else if (m[2] === "cache write") cacheWrite = n;
    else cacheRead = n;
  }
  ctx.emit({
    ...base(st, ctx, offset),
    kind: "usage",
    model: st.model ?? "unknown",
    tokens: { input: sent, output: received, cacheWrite, cacheWrite1h: 0, cacheRead, reasoning: 0 },
    requestKey: `${ctx.file}:${offset}`,
    sidechain: false,
    ...(cost !== undefined ? { reportedCostUsd: Number(cost) } : {}),
  });
}
