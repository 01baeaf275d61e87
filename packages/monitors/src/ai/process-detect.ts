import { readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";
import { readProcessCwd, readProcessStart } from "../perf/proc.js";

/** An assistant found in the process table. */
export interface AiProcessClass {
  /** `claude-code`, `codex`, `gemini-cli`, `aider`, `opencode`, `copilot`, `cursor`, `claude-desktop`, `chatgpt`. */
  tool: string;
  /** True for tools that write a transcript DevFlow reads (the process only triggers a read). */
  transcript: boolean;
}

/** One process-table row, as ps-list gives it, plus the executable path when known. */
export interface AiProcessRow {
  pid: number;
  ppid: number;
  name: string;
  cmd?: string;
  /** `/proc/<pid>/exe` (read when absent). */
  exe?: string;
}

const base = (p: string | undefined) => (p ? basename(p).toLowerCase() : "");

/**
 * Classifies a process as an AI assistant from its executable path and its first three argv
 * entries (never the whole command line: heredocs and paths there give false positives), after
 * ai-signals §10. Helpers (`Claude Helper`, `Cursor Helper`) are not assistants.
 */
export function classifyAiProcess(
  row: Pick<AiProcessRow, "name" | "cmd" | "exe">,
): AiProcessClass | null {
  const argv = (row.cmd ?? "")
    .split(/\s+/)
    .filter((a) => a !== "")
    .slice(0, 3);
  const exe = row.exe ?? argv[0] ?? "";
  const name = row.name;
  if (/helper/i.test(name) || /helper/i.test(basename(exe))) return null;
  const args = argv.join(" ");
  const argBases = argv.map((a) => base(a));
  if (
    exe.includes("/claude/versions/") ||
    base(argv[0]) === "claude" ||
    args.includes("@anthropic-ai/claude-code")
  ) {
    return { tool: "claude-code", transcript: true };
  }
  if (
    /^codex(?:$|-)/.test(base(exe)) ||
    /^codex(?:$|-)/.test(name.toLowerCase()) ||
    args.includes("@openai/codex")
  ) {
    return { tool: "codex", transcript: true };
  }
  if (
    args.includes("gemini-cli") ||
    args.includes("@google/gemini") ||
    base(argv[0]) === "gemini"
  ) {
    return { tool: "gemini-cli", transcript: true };
  }
  if (argBases.includes("aider")) return { tool: "aider", transcript: true };
  if (base(exe) === "opencode" || name === "opencode")
    return { tool: "opencode", transcript: false };
  if (args.includes("@github/copilot") || base(argv[0]) === "copilot")
    return { tool: "copilot", transcript: false };
  if (base(exe) === "cursor-agent" || base(argv[0]) === "cursor-agent")
    return { tool: "cursor", transcript: false };
  if (exe.includes("Cursor.app/") || base(exe) === "cursor" || base(exe) === "cursor.exe")
    return { tool: "cursor", transcript: false };
  if (exe.includes("Claude.app/") || base(exe) === "claude.exe" || base(exe) === "claude-desktop") {
    return { tool: "claude-desktop", transcript: false };
  }
  if (exe.includes("ChatGPT.app/") || base(exe) === "chatgpt.exe")
    return { tool: "chatgpt", transcript: false };
  return null;
}

/** A running assistant. `key` is `<pid>:<start ticks>`, stable across polls. */
export interface AiProcess extends AiProcessClass {
  key: string;
  pid: number;
  startedAt: number;
  cwd: string | null;
}

function readExe(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

function readCmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return undefined;
  }
}

/**
 * Turns successive process-table snapshots into assistant starts and ends. Subagents and
 * helpers are separate processes of the same tool: only the outermost process of a tool (no
 * ancestor of the same tool) is a session. On Linux `/proc` gives the exe, argv, cwd and the
 * start time.
 */
export class AiProcessScanner {
  readonly #active = new Map<string, AiProcess>();

  /** The assistants running after the last scan. */
  get running(): AiProcess[] {
    return [...this.#active.values()];
  }

  scan(rows: readonly AiProcessRow[]): {
    started: AiProcess[];
    ended: Array<AiProcess & { goneAt: number }>;
  } {
    const now = Date.now();
    const byPid = new Map(rows.map((r) => [r.pid, r]));
    const classes = new Map<number, AiProcessClass>();
    for (const r of rows) {
      if (r.pid === process.pid) continue;
      const exe = r.exe ?? readExe(r.pid);
      const cmd = r.cmd ?? readCmdline(r.pid);
      const cls = classifyAiProcess({
        name: r.name,
        ...(cmd ? { cmd } : {}),
        ...(exe ? { exe } : {}),
      });
      if (cls) classes.set(r.pid, cls);
    }
    const seen = new Set<string>();
    const started: AiProcess[] = [];
    for (const [pid, cls] of classes) {
      let outer = true;
      for (
        let p = byPid.get(pid)?.ppid, depth = 0;
        p !== undefined && p > 0 && depth < 64;
        p = byPid.get(p)?.ppid, depth++
      ) {
        if (classes.get(p)?.tool === cls.tool) {
          outer = false;
          break;
        }
      }
      if (!outer) continue;
      const start = readProcessStart(pid);
      const key = `${pid}:${start?.ticks ?? "?"}`;
      seen.add(key);
      if (this.#active.has(key)) continue;
      const proc: AiProcess = {
        ...cls,
        key,
        pid,
        startedAt: Math.min(start?.startedAt ?? now, now),
        cwd: readProcessCwd(pid),
      };
      this.#active.set(key, proc);
      started.push(proc);
    }
    const ended: Array<AiProcess & { goneAt: number }> = [];
    for (const [key, proc] of this.#active) {
      if (seen.has(key)) continue;
      this.#active.delete(key);
      ended.push({ ...proc, goneAt: now });
    }
    return { started, ended };
  }
}
