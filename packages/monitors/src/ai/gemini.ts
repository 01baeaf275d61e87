import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { lineText, type LineSlice } from "./file-cursor.js";
import { fingerprintLines } from "./fingerprint.js";
import {
  type AiSourceReader,
  type LineContext,
  listSourceFiles,
  newStats,
  overBudget,
  type ReadOptions,
  type ReadPass,
  type ReaderState,
  readLineFiles,
  type ReadStats,
  type SourceRoot,
} from "./incremental.js";
import { type Json, num, obj, str } from "./json-fields.js";
import type { AiRecord, UsageRecord } from "./records.js";
import { directoryExists, geminiDataDir, type SourceEnvironment } from "./roots.js";
import { addedLines, splitLines, toolCategory } from "./tool-category.js";

/** Options of {@link GeminiCliReader}. */
export interface GeminiCliReaderOptions {
  /** Environment and home (`GEMINI_DATA_DIR`, default `~/.gemini/tmp`). */
  source: SourceEnvironment;
}

interface Conversation {
  sessionId: string;
  projectHash?: string;
  kind?: string;
}

/**
 * Gemini CLI conversation records (`<project>/chats/session-*.json` rewritten whole, and the
 * `.jsonl` variant appended line by line). A message id is updated in place: the last write of
 * an id wins. `tokens.input` includes the cached tokens (subtracted here); thoughts count as
 * output and as reasoning.
 */
export class GeminiCliReader implements AiSourceReader {
  readonly tool = "gemini-cli" as const;
  readonly #dir: string;

  constructor(options: GeminiCliReaderOptions) {
    this.#dir = geminiDataDir(options.source);
  }

  roots(): SourceRoot[] {
    return [{ path: this.#dir, exists: directoryExists(this.#dir) }];
  }

  read(state: ReaderState, onRecord: (record: AiRecord) => void, options?: ReadOptions): ReadStats {
    const stats = newStats(this.tool, this.roots());
    const inChats = (n: string) => n.startsWith("session-");
    const all = listSourceFiles(state, [this.#dir], inChats, options?.changes).filter(
      (f) => basename(dirname(f)) === "chats",
    );
    const lines = all.filter((f) => f.endsWith(".jsonl"));
    const wholes = all.filter((f) => f.endsWith(".json"));
    const latest = new Map<string, AiRecord>();
    const keep = (r: AiRecord): void => {
      latest.set(`${r.kind}:${r.sessionId}:${recordId(r)}`, r);
    };
    readLineFiles(lines, { state, stats, options }, parseJsonlLine, keep);
    stats.files += wholes.length;
    for (const file of wholes) readWhole(file, keep, { state, stats, options });
    for (const k of Object.keys(stats.records) as Array<AiRecord["kind"]>) stats.records[k] = 0;
    for (const r of latest.values()) {
      stats.records[r.kind]++;
      onRecord(r);
    }
    return stats;
  }
}

function recordId(r: AiRecord): string {
  switch (r.kind) {
    case "usage":
      return r.requestKey;
    case "prompt":
      return r.promptId;
    case "tool_use":
    case "edit":
      return `${r.toolUseId}:${r.kind === "edit" ? r.targetPath : ""}`;
    case "session":
      return "";
  }
}

function readWhole(file: string, emit: (r: AiRecord) => void, read: ReadPass): void {
  const { state, stats, options } = read;
  let text: string;
  let st;
  try {
    const fd = openSync(file, "r");
    try {
      st = fstatSync(fd);
      const prev = state.files[file]?.cursor;
      if (prev && prev.ino === st.ino && prev.size === st.size && prev.mtimeMs === st.mtimeMs)
        return;
      if (overBudget(stats, options)) {
        stats.deferredFiles++;
        return;
      }
      text = readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    stats.errors.push({ file, message: err instanceof Error ? err.message : String(err) });
    return;
  }
  stats.filesRead++;
  stats.bytesRead += st.size;
  if (state.files[file]) stats.restartedFiles++;
  state.files[file] = {
    cursor: { ino: st.ino, offset: st.size, size: st.size, mtimeMs: st.mtimeMs, tail: "" },
    extra: {},
  };
  options?.changes?.files.add(file);
  let conv: Json | undefined;
  try {
    conv = obj(JSON.parse(text));
  } catch {
    stats.corruptLines++;
    state.corruptLines++;
    return;
  }
  const sessionId = str(conv?.sessionId);
  if (!conv || !sessionId) {
    stats.corruptLines++;
    state.corruptLines++;
    return;
  }
  const c: Conversation = { sessionId, projectHash: str(conv.projectHash), kind: str(conv.kind) };
  const start = Date.parse(str(conv.startTime) ?? "");
  if (!Number.isNaN(start)) sessionRecord(c, start, { file, offset: 0, emit });
  const messages = Array.isArray(conv.messages) ? conv.messages : [];
  messages.forEach((m, i) => {
    const msg = obj(m);
    if (msg) message(msg, c, { file, offset: i, emit });
  });
}

/** Where a record comes from (file and offset) and where it goes. */
interface RecordSink {
  readonly file: string;
  readonly offset: number;
  readonly emit: (r: AiRecord) => void;
}

function sessionRecord(c: Conversation, ts: number, at: RecordSink): void {
  const { file, offset, emit } = at;
  emit({
    kind: "session",
    tool: "gemini-cli",
    sessionId: c.sessionId,
    timestamp: ts,
    file,
    offset,
    isSubagent: c.kind === "subagent",
    ...(c.projectHash ? { projectHash: c.projectHash } : {}),
  });
}

function parseJsonlLine(line: LineSlice, ctx: LineContext): void {
  let row: Json | undefined;
  try {
    row = obj(JSON.parse(lineText(line)));
  } catch {
    ctx.corrupt();
    return;
  }
  if (!row) return ctx.corrupt();
  const conv = ctx.extra as Partial<Conversation>;
  if (str(row.sessionId) && !str(row.type)) {
    conv.sessionId = str(row.sessionId);
    conv.projectHash = str(row.projectHash) ?? conv.projectHash;
    conv.kind = str(row.kind) ?? conv.kind;
    const start = Date.parse(str(row.startTime) ?? "");
    if (!Number.isNaN(start))
      sessionRecord(conv as Conversation, start, {
        file: ctx.file,
        offset: line.offset,
        emit: (r) => ctx.emit(r),
      });
    return;
  }
  const sessionId = conv.sessionId ?? basename(ctx.file).replace(/\.jsonl$/, "");
  message(
    row,
    { ...conv, sessionId },
    { file: ctx.file, offset: line.offset, emit: (r) => ctx.emit(r) },
  );
}

function message(m: Json, c: Conversation, at: RecordSink): void {
  const { file, offset, emit } = at;
  const id = str(m.id);
  const ts = Date.parse(str(m.timestamp) ?? "");
  if (!id || Number.isNaN(ts)) return;
  const base = {
    tool: "gemini-cli" as const,
    sessionId: c.sessionId,
    timestamp: ts,
    file,
    offset,
    ...(c.projectHash ? { projectHash: c.projectHash } : {}),
  };
  if (m.type === "user") {
    const text = textOf(m.content);
    if (text) emit({ ...base, kind: "prompt", promptId: id, text, promptKind: "user" });
    return;
  }
  if (m.type !== "gemini") return;
  const t = obj(m.tokens);
  if (t) {
    const cached = num(t.cached);
    const thoughts = num(t.thoughts);
    const usage: UsageRecord = {
      ...base,
      kind: "usage",
      model: str(m.model) ?? "unknown",
      tokens: {
        input: Math.max(0, num(t.input) - cached),
        output: num(t.output) + thoughts,
        cacheWrite: 0,
        cacheWrite1h: 0,
        cacheRead: cached,
        reasoning: thoughts,
      },
      requestKey: `${c.sessionId}:${id}`,
      sidechain: c.kind === "subagent",
    };
    if (usage.tokens.input + usage.tokens.output + cached > 0) emit(usage);
  }
  for (const call of Array.isArray(m.toolCalls) ? m.toolCalls : []) {
    const tc = obj(call);
    const name = str(tc?.name);
    const callId = str(tc?.id);
    if (!tc || !name || !callId) continue;
    const args = obj(tc.args);
    const target = str(args?.file_path) ?? str(args?.absolute_path) ?? str(args?.path);
    const status = tc.status === "error" ? "error" : tc.status === "cancelled" ? "denied" : "ok";
    emit({
      ...base,
      kind: "tool_use",
      toolUseId: callId,
      name,
      category: toolCategory(name),
      status,
      ...(target ? { targetPath: target } : {}),
    });
    if (!target || status !== "ok") continue;
    const edit =
      name === "write_file" && typeof args?.content === "string"
        ? { added: splitLines(args.content), removed: 0, op: "create" as const, via: "write_file" }
        : name === "replace" && typeof args?.new_string === "string"
          ? {
              ...addedLines(str(args.old_string) ?? "", args.new_string),
              op: "modify" as const,
              via: "replace",
            }
          : undefined;
    if (!edit || (edit.added.length === 0 && edit.removed === 0)) continue;
    emit({
      ...base,
      kind: "edit",
      toolUseId: callId,
      targetPath: target,
      op: edit.op,
      linesAdded: edit.added.length,
      linesRemoved: edit.removed,
      fingerprints: fingerprintLines(edit.added),
      via: edit.via,
    });
  }
}

function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return content.trim() === "" ? undefined : content;
  if (!Array.isArray(content)) return undefined;
  const text = content
    .map((p) => (typeof obj(p)?.text === "string" ? (obj(p)!.text as string) : ""))
    .join("\n");
  return text.trim() === "" ? undefined : text;
}
