// Writers of assistant transcripts in each tool's documented shape (ai-signals.md §2–§4).
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp directory removed after the test. */
export function tempDir(prefix = "devflow-ai-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Writes lines (objects become JSON) to `path`, creating directories. */
export function writeLines(path: string, lines: ReadonlyArray<object | string>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n",
  );
}

/** Appends lines to `path`. */
export function appendLines(path: string, lines: ReadonlyArray<object | string>): void {
  appendFileSync(
    path,
    lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n",
  );
}

interface Usage {
  input: number;
  output: number;
  cacheWrite?: number;
  cacheRead?: number;
  cacheWrite1h?: number;
}

/** One Claude Code assistant line (one content block of a response). */
export function claudeAssistant(o: {
  session: string;
  ts: string;
  msg: string;
  req?: string;
  model?: string;
  usage: Usage;
  cwd?: string;
  sidechain?: boolean;
  content?: object[];
  uuid?: string;
}): object {
  return {
    parentUuid: null,
    isSidechain: o.sidechain ?? false,
    userType: "external",
    cwd: o.cwd ?? "/work/proj",
    sessionId: o.session,
    version: "2.1.3",
    gitBranch: "main",
    type: "assistant",
    uuid: o.uuid ?? `${o.msg}-${o.ts}`,
    timestamp: o.ts,
    ...(o.req ? { requestId: o.req } : {}),
    message: {
      id: o.msg,
      type: "message",
      role: "assistant",
      model: o.model ?? "claude-sonnet-4-5-20250929",
      content: o.content ?? [{ type: "text", text: "ok" }],
      stop_reason: null,
      usage: {
        input_tokens: o.usage.input,
        cache_creation_input_tokens: o.usage.cacheWrite ?? 0,
        cache_read_input_tokens: o.usage.cacheRead ?? 0,
        ...(o.usage.cacheWrite1h !== undefined
          ? {
              cache_creation: {
                ephemeral_5m_input_tokens: (o.usage.cacheWrite ?? 0) - o.usage.cacheWrite1h,
                ephemeral_1h_input_tokens: o.usage.cacheWrite1h,
              },
            }
          : {}),
        output_tokens: o.usage.output,
        service_tier: "standard",
      },
    },
  };
}

/** A Claude Code user prompt line. */
export function claudePrompt(o: {
  session: string;
  ts: string;
  uuid: string;
  text: string;
  cwd?: string;
}): object {
  return {
    parentUuid: null,
    isSidechain: false,
    userType: "external",
    cwd: o.cwd ?? "/work/proj",
    sessionId: o.session,
    version: "2.1.3",
    type: "user",
    message: { role: "user", content: o.text },
    uuid: o.uuid,
    timestamp: o.ts,
  };
}

/** A Claude Code tool result line of an Edit (structuredPatch) or Write create. */
export function claudeToolResult(o: {
  session: string;
  ts: string;
  uuid: string;
  toolUseId: string;
  filePath: string;
  patch?: Array<{
    oldStart: number;
    oldLines: number;
    newStart: number;
    newLines: number;
    lines: string[];
  }>;
  create?: string;
  cwd?: string;
}): object {
  return {
    parentUuid: null,
    isSidechain: false,
    cwd: o.cwd ?? "/work/proj",
    sessionId: o.session,
    version: "2.1.3",
    type: "user",
    uuid: o.uuid,
    timestamp: o.ts,
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: o.toolUseId, content: "done" }],
    },
    toolUseResult:
      o.create !== undefined
        ? { type: "create", filePath: o.filePath, content: o.create, structuredPatch: [] }
        : {
            filePath: o.filePath,
            oldString: "x",
            newString: "y",
            structuredPatch: o.patch ?? [],
            userModified: false,
            replaceAll: false,
          },
  };
}

/** A Codex rollout line. */
export function codexLine(ts: string, type: string, payload: object): object {
  return { timestamp: ts, type, payload };
}

/** A Codex `token_count` event with cumulative totals (and the last turn's usage). */
export function codexTokens(
  ts: string,
  total: [number, number, number, number] | null,
  last?: [number, number, number, number],
): object {
  const u = (t: [number, number, number, number]) => ({
    input_tokens: t[0],
    cached_input_tokens: t[1],
    output_tokens: t[2],
    reasoning_output_tokens: t[3],
    total_tokens: t[0] + t[2],
  });
  return codexLine(ts, "event_msg", {
    type: "token_count",
    info:
      total === null && last === undefined
        ? null
        : {
            ...(total ? { total_token_usage: u(total) } : {}),
            ...(last ? { last_token_usage: u(last) } : {}),
            model_context_window: 272000,
          },
    rate_limits: { primary: { used_percent: 5, window_minutes: 300, resets_at: 1 } },
  });
}
