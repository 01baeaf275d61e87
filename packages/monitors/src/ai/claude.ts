import { fingerprintLines } from "./fingerprint.js";
import type { LineSlice } from "./file-cursor.js";
import { lineHas, lineText } from "./file-cursor.js";
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
import { admitUsage, type AiRecord, UsageDeduper, type UsageRecord } from "./records.js";
import { claudeProjectDirs, directoryExists, type SourceEnvironment } from "./roots.js";
import { hunkLines, splitLines, toolCategory } from "./tool-category.js";
import { type Json, num, obj, str } from "./json-fields.js";

const USAGE = Buffer.from('"usage"');
const USER = Buffer.from('"type":"user"');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Options of {@link ClaudeCodeReader}. */
export interface ClaudeCodeReaderOptions {
  /** Environment and home to find the data in (`CLAUDE_CONFIG_DIR`, `XDG_CONFIG_HOME`). */
  source: SourceEnvironment;
  /** Explicit `projects/` directories, instead of the ones the environment names. */
  projectDirs?: string[];
}

/**
 * Claude Code transcripts (`projects/**\/*.jsonl`, subagent files included), read
 * incrementally. Lines without `"usage"` or `"type":"user"` are skipped before parsing. Usage
 * is de-duplicated on `message.id` + `requestId` (or `message.id` alone) across every file of
 * a read: the main-chain copy wins over a sidechain copy, then the larger token total, then the
 * earlier timestamp; `/btw` sidechain replays of a main-chain message are dropped. With
 * `options.usageKeys` the rule also spans reads: a copy no better than one emitted before is not
 * emitted again. Prompts, tool uses and edits are de-duplicated on the line `uuid` and
 * `tool_use_id` (and by their stable event ids across reads).
 */
export class ClaudeCodeReader implements AiSourceReader {
  readonly tool = "claude-code" as const;
  readonly #dirs: string[];

  constructor(options: ClaudeCodeReaderOptions) {
    this.#dirs = options.projectDirs ?? claudeProjectDirs(options.source);
  }

  roots(): SourceRoot[] {
    return this.#dirs.map((path) => ({ path, exists: directoryExists(path) }));
  }

  read(state: ReaderState, onRecord: (record: AiRecord) => void, options?: ReadOptions): ReadStats {
    const roots = this.roots();
    const stats = newStats(this.tool, roots);
    const files = listSourceFiles(
      state,
      roots.map((r) => r.path),
      (n) => n.endsWith(".jsonl"),
      options?.changes,
    );
    const usage = new UsageDeduper();
    const read: ReadDedup = { usage, seen: new Set<string>() };
    const parse = (line: LineSlice, ctx: LineContext): void => {
      if (lineHas(line, USAGE)) parseLine(line, ctx, read, true);
      else if (lineHas(line, USER)) parseLine(line, ctx, read, false);
    };
    readLineFiles(files, { state, stats, options }, parse, (r) => {
      if (r.kind !== "usage") onRecord(r);
    });
    const keys = options?.usageKeys;
    for (const r of usage.records()) {
      if (keys !== undefined && !admitUsage(r, keys)) continue;
      stats.records.usage++;
      onRecord(r);
    }
    return stats;
  }
}

/** What one read has already seen: usage records to deduplicate, ids of emitted records. */
interface ReadDedup {
  readonly usage: UsageDeduper;
  readonly seen: Set<string>;
}

function parseLine(line: LineSlice, ctx: LineContext, read: ReadDedup, hasUsage: boolean): void {
  const { usage, seen } = read;
  let row: Json | undefined;
  try {
    row = obj(JSON.parse(lineText(line)));
  } catch {
    ctx.corrupt();
    return;
  }
  const ts = str(row?.timestamp);
  if (!row || !ts || !ISO.test(ts)) {
    ctx.corrupt();
    return;
  }
  const timestamp = Date.parse(ts);
  const sessionId = str(row.sessionId) ?? sessionFromPath(ctx.file);
  const base = {
    tool: "claude-code" as const,
    sessionId,
    timestamp,
    cwd: str(row.cwd),
    file: ctx.file,
    offset: line.offset,
  };
  const sidechain = row.isSidechain === true;
  if (!seen.has(`s:${sessionId}`)) {
    seen.add(`s:${sessionId}`);
    const subagent = ctx.file.includes("/subagents/");
    ctx.emit({ ...base, kind: "session", isSubagent: subagent, entrypoint: str(row.entrypoint) });
  }
  const message = obj(row.message);
  if (hasUsage && row.type === "assistant" && message) {
    const u = obj(message.usage);
    const model = str(message.model) ?? "unknown";
    if (u && typeof u.input_tokens === "number" && typeof u.output_tokens === "number") {
      if (model !== "<synthetic>") {
        const cc = obj(u.cache_creation);
        const msgId = str(message.id);
        const reqId = str(row.requestId);
        const speed = u.speed === "fast" || u.speed === "standard" ? u.speed : undefined;
        const record: UsageRecord = {
          ...base,
          kind: "usage",
          model,
          tokens: {
            input: num(u.input_tokens),
            output: num(u.output_tokens),
            cacheWrite: num(u.cache_creation_input_tokens),
            cacheWrite1h: num(cc?.ephemeral_1h_input_tokens),
            cacheRead: num(u.cache_read_input_tokens),
            reasoning: 0,
          },
          requestKey: msgId
            ? reqId
              ? `${msgId}:${reqId}`
              : msgId
            : `${ctx.file}:${str(row.uuid) ?? line.offset}`,
          sidechain,
          ...(speed ? { speed } : {}),
          ...(typeof row.costUSD === "number" ? { reportedCostUsd: row.costUSD } : {}),
          ...(num(u.input_tokens) <= 1 ? { placeholderInput: true } : {}),
        };
        usage.offer(record);
      }
    }
    for (const block of Array.isArray(message.content) ? message.content : []) {
      const b = obj(block);
      const id = str(b?.id);
      const name = str(b?.name);
      if (b?.type !== "tool_use" || !id || !name || seen.has(`t:${id}`)) continue;
      seen.add(`t:${id}`);
      const input = obj(b.input);
      const target = str(input?.file_path) ?? str(input?.notebook_path) ?? str(input?.path);
      ctx.emit({
        ...base,
        kind: "tool_use",
        toolUseId: id,
        name,
        category: toolCategory(name),
        ...(target ? { targetPath: target } : {}),
      });
    }
    return;
  }
  if (row.type === "user" && message) userLine({ row, message, sidechain }, base, ctx, seen);
}

function sessionFromPath(file: string): string {
  const name = file.slice(file.lastIndexOf("/") + 1);
  return name.replace(/\.jsonl$/, "");
}

type Base = Pick<AiRecord, "tool" | "sessionId" | "timestamp" | "cwd" | "file" | "offset">;

/** A `"type":"user"` line: the row, its message and whether it belongs to a sidechain. */
interface UserLine {
  readonly row: Json;
  readonly message: Json;
  readonly sidechain: boolean;
}

function userLine(line: UserLine, base: Base, ctx: LineContext, seen: Set<string>): void {
  const { row, message, sidechain } = line;
  const content = message.content;
  const result = obj(row.toolUseResult);
  const blocks = Array.isArray(content) ? content.map(obj) : [];
  const toolResult = blocks.find((b) => b?.type === "tool_result");
  if (toolResult) {
    const id = str(toolResult.tool_use_id);
    if (!id || !result || seen.has(`e:${id}`)) return;
    seen.add(`e:${id}`);
    editOf(id, result, base, ctx);
    return;
  }
  if (sidechain || row.isMeta === true || row.isCompactSummary === true) return;
  const text =
    typeof content === "string"
      ? content
      : blocks
          .filter((b) => b?.type === "text")
          .map((b) => (typeof b?.text === "string" ? b.text : ""))
          .join("\n");
  if (
    text.trim() === "" ||
    text.startsWith("<local-command-") ||
    text.startsWith("[Request interrupted")
  )
    return;
  const uuid = str(row.uuid) ?? `${base.file}:${base.offset}`;
  if (seen.has(`p:${uuid}`)) return;
  seen.add(`p:${uuid}`);
  const command = /<command-name>([^<]*)<\/command-name>/.exec(text);
  ctx.emit({
    ...base,
    kind: "prompt",
    promptId: uuid,
    text: command ? command[1]!.trim() : text,
    promptKind: command ? "slash_command" : "user",
  });
}

function editOf(toolUseId: string, result: Json, base: Base, ctx: LineContext): void {
  const filePath = str(result.filePath);
  if (!filePath) return;
  const patch = Array.isArray(result.structuredPatch) ? result.structuredPatch : [];
  let added: string[] = [];
  let removed = 0;
  for (const hunk of patch) {
    const lines = obj(hunk)?.lines;
    if (!Array.isArray(lines)) continue;
    const h = hunkLines(lines.filter((l): l is string => typeof l === "string"));
    added = added.concat(h.added);
    removed += h.removed;
  }
  const create = result.type === "create";
  if (create && added.length === 0 && typeof result.content === "string") {
    added = splitLines(result.content);
  }
  if (added.length === 0 && removed === 0) return;
  ctx.emit({
    ...base,
    kind: "edit",
    toolUseId,
    targetPath: filePath,
    op: create ? "create" : "modify",
    linesAdded: added.length,
    linesRemoved: removed,
    fingerprints: fingerprintLines(added),
    via: create ? "write" : "structuredPatch",
  });
}
