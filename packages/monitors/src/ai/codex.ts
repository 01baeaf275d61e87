import { basename } from "node:path";
import { parseApplyPatch } from "./codex-patch.js";
import { lineText, type LineSlice } from "./file-cursor.js";
import { fingerprintLines, stableId } from "./fingerprint.js";
import {
  type AiSourceReader,
  type LineContext,
  listSourceFiles,
  newStats,
  type ReadOptions,
  type ReaderState,
  readLineFiles,
  type ReadStats,
  type SourceRoot,
} from "./incremental.js";
import { type Json, num, obj, str } from "./json-fields.js";
import type { AiRecord } from "./records.js";
import { codexSessionDirs, directoryExists, type SourceEnvironment } from "./roots.js";
import { toolCategory } from "./tool-category.js";

/** Cumulative totals: input, cached input, output, reasoning, total. */
type Totals = [number, number, number, number, number];

/** Per-file state of the Codex reader (JSON). */
interface CodexFileState {
  sessionId?: string;
  cwd?: string;
  model?: string;
  totals?: Totals;
  /** Lines stamped at or before this time replay a parent's history (fork, subagent). */
  replayUntil?: number;
  parent?: string;
}

/** Options of {@link CodexReader}. */
export interface CodexReaderOptions {
  /** Environment and home (`CODEX_HOME`). */
  source: SourceEnvironment;
}

/**
 * Codex CLI rollouts (`sessions/**\/rollout-*.jsonl` and `archived_sessions/`; an archived copy
 * of an active file is skipped), legacy `event_msg` lines and paginated `item_completed` ones.
 * Usage is the delta of the cumulative `total_token_usage` per session; a `token_count` whose
 * cumulative total did not change is a re-emit and skipped; `last_token_usage` is used only
 * without cumulative totals. A forked or subagent rollout replays its parent's history as a
 * burst at its creation time: those lines only set the baseline.
 */
export class CodexReader implements AiSourceReader {
  readonly tool = "codex" as const;
  readonly #dirs: { active: string; archived: string };

  constructor(options: CodexReaderOptions) {
    this.#dirs = codexSessionDirs(options.source);
  }

  roots(): SourceRoot[] {
    return [this.#dirs.active, this.#dirs.archived].map((path) => ({
      path,
      exists: directoryExists(path),
    }));
  }

  read(state: ReaderState, onRecord: (record: AiRecord) => void, options?: ReadOptions): ReadStats {
    const stats = newStats(this.tool, this.roots());
    const all = listSourceFiles(
      state,
      [this.#dirs.active, this.#dirs.archived],
      (n) => n.endsWith(".jsonl"),
      options?.changes,
    );
    const activePrefix = `${this.#dirs.active}/`;
    const active = all.filter((f) => f.startsWith(activePrefix));
    const names = new Set(active.map((f) => basename(f)));
    const archived = all.filter((f) => !f.startsWith(activePrefix) && !names.has(basename(f)));
    const files = [...active, ...archived];
    readLineFiles(files, { state, stats, options }, parseCodexLine, onRecord);
    return stats;
  }
}

function parseCodexLine(line: LineSlice, ctx: LineContext): void {
  let row: Json | undefined;
  try {
    row = obj(JSON.parse(lineText(line)));
  } catch {
    ctx.corrupt();
    return;
  }
  const ts = Date.parse(str(row?.timestamp) ?? "");
  const payload = obj(row?.payload);
  if (!row || !payload || Number.isNaN(ts)) {
    ctx.corrupt();
    return;
  }
  const st = ctx.extra as CodexFileState;
  const type = str(row.type);
  if (type === "session_meta") {
    sessionMeta(payload, ts, line, ctx);
    return;
  }
  if (type === "turn_context") {
    st.model = str(payload.model) ?? st.model;
    st.cwd = str(payload.cwd) ?? st.cwd;
    return;
  }
  const sessionId = st.sessionId ?? basename(ctx.file).replace(/\.jsonl$/, "");
  const replay = st.replayUntil !== undefined && ts <= st.replayUntil;
  const base = {
    tool: "codex" as const,
    sessionId,
    timestamp: ts,
    cwd: st.cwd,
    file: ctx.file,
    offset: line.offset,
  };
  const ptype = str(payload.type);
  if (type === "event_msg" && ptype === "token_count") {
    tokenCount(payload, base, st, ctx);
    return;
  }
  if (replay) return;
  if (type === "event_msg" && ptype === "user_message") {
    const text = str(payload.message);
    if (text)
      ctx.emit({
        ...base,
        kind: "prompt",
        promptId: stableId(sessionId, ts, text),
        text,
        promptKind: "user",
      });
    return;
  }
  if (type === "response_item") responseItem(payload, base, ctx);
  else if (ptype === "item_completed") {
    const item = obj(payload.item);
    if (item && str(item.type) === "token_count") tokenCount(item, base, st, ctx);
    else if (item && str(item.type) === "user_message") {
      const text = str(item.message);
      if (text)
        ctx.emit({
          ...base,
          kind: "prompt",
          promptId: stableId(sessionId, ts, text),
          text,
          promptKind: "user",
        });
    } else if (item) responseItem(item, base, ctx);
  }
}

function sessionMeta(payload: Json, ts: number, line: LineSlice, ctx: LineContext): void {
  const st = ctx.extra as CodexFileState;
  const id = str(payload.id) ?? str(payload.session_id);
  if (st.sessionId !== undefined) {
    // A second session_meta: the parent's header copied into a fork; its history follows.
    st.replayUntil = Math.max(st.replayUntil ?? 0, ts + 1000);
    return;
  }
  st.sessionId = id ?? basename(ctx.file).replace(/\.jsonl$/, "");
  st.cwd = str(payload.cwd);
  const source = obj(payload.source);
  const spawn = obj(obj(source?.subagent)?.thread_spawn);
  const parent = str(payload.forked_from_id) ?? str(spawn?.parent_thread_id);
  const metaTs = Date.parse(str(payload.timestamp) ?? "") || ts;
  if (parent || source?.subagent !== undefined) {
    st.parent = parent;
    st.replayUntil = metaTs + 1000;
  }
  ctx.emit({
    kind: "session",
    tool: "codex",
    sessionId: st.sessionId,
    timestamp: metaTs,
    cwd: st.cwd,
    file: ctx.file,
    offset: line.offset,
    isSubagent: parent !== undefined || source?.subagent !== undefined,
    ...(parent ? { parentSessionId: parent } : {}),
    ...(str(payload.source) ? { entrypoint: str(payload.source) } : {}),
  });
}

type Base = Pick<AiRecord, "tool" | "sessionId" | "timestamp" | "cwd" | "file" | "offset">;

function totalsOf(u: Json): Totals {
  const input = num(u.input_tokens);
  const output = num(u.output_tokens);
  const total = num(u.total_tokens) || input + output;
  return [input, num(u.cached_input_tokens), output, num(u.reasoning_output_tokens), total];
}

function tokenCount(payload: Json, base: Base, st: CodexFileState, ctx: LineContext): void {
  // A line stamped at or before `replayUntil` replays a parent's history (fork, subagent).
  const replay = st.replayUntil !== undefined && base.timestamp <= st.replayUntil;
  const info = obj(payload.info);
  const total = obj(info?.total_token_usage);
  const last = obj(info?.last_token_usage);
  let delta: Totals;
  let key: string;
  if (total) {
    const now = totalsOf(total);
    const prev = st.totals;
    if (prev && now.every((v, i) => v === prev[i])) return; // a re-emit
    st.totals = now;
    if (replay) return;
    const shrank = prev !== undefined && now.some((v, i) => v < prev[i]!);
    delta = prev && !shrank ? (now.map((v, i) => v - prev[i]!) as Totals) : now;
    key = `${base.sessionId}:${now.join(",")}`;
  } else if (last) {
    if (replay) return;
    delta = totalsOf(last);
    key = `${base.sessionId}:${base.timestamp}:${delta.join(",")}`;
  } else return;
  const [input, cached, output, reasoning] = delta;
  if (input + output === 0) return;
  ctx.emit({
    ...base,
    kind: "usage",
    model: st.model ?? "unknown",
    tokens: {
      input: Math.max(0, input - cached),
      output,
      cacheWrite: 0,
      cacheWrite1h: 0,
      cacheRead: Math.min(cached, input),
      reasoning,
    },
    requestKey: key,
    sidechain: false,
  });
}

function responseItem(p: Json, base: Base, ctx: LineContext): void {
  const type = str(p.type);
  const callId = str(p.call_id) ?? str(p.id) ?? `${base.file}:${base.offset}`;
  let name: string | undefined;
  let patch: string | undefined;
  if (type === "function_call") {
    name = str(p.name);
    if (name === "apply_patch") {
      const args = safeJson(str(p.arguments));
      patch = str(obj(args)?.input) ?? str(p.arguments);
    }
  } else if (type === "custom_tool_call") {
    name = str(p.name);
    if (name === "apply_patch") patch = str(p.input);
  } else if (type === "local_shell_call") name = "local_shell_call";
  else if (type === "web_search_call") name = "web_search_call";
  if (!name) return;
  ctx.emit({ ...base, kind: "tool_use", toolUseId: callId, name, category: toolCategory(name) });
  if (!patch) return;
  for (const f of parseApplyPatch(patch)) {
    ctx.emit({
      ...base,
      kind: "edit",
      toolUseId: callId,
      targetPath: f.path,
      op: f.op,
      linesAdded: f.added.length,
      linesRemoved: f.removed,
      fingerprints: fingerprintLines(f.added),
      via: "apply_patch",
    });
  }
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
