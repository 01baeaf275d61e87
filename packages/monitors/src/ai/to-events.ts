import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { EventInput } from "@devflow/events";
import { applyMessagePolicy, type MessagePolicy } from "../privacy.js";
import { stableId } from "./fingerprint.js";
import type { PriceTable } from "./pricing.js";
import type { AiRecord } from "./records.js";

/** A registered project, for joining sessions to projects by working directory. */
export interface AiProjectRoot {
  id: string;
  /** Absolute root path. */
  rootPath: string;
}

/** The Gemini CLI project hash of a directory: the SHA-256 (hex) of its absolute path. */
function geminiProjectHash(path: string): string {
  return createHash("sha256").update(path).digest("hex");
}

/** Finds the project of a working directory: the registered root that contains it, deepest first. */
export class ProjectJoiner {
  readonly #roots: AiProjectRoot[];
  readonly #byHash = new Map<string, AiProjectRoot>();

  constructor(projects: readonly AiProjectRoot[]) {
    this.#roots = [...projects].sort((a, b) => b.rootPath.length - a.rootPath.length);
    for (const p of projects) this.#byHash.set(geminiProjectHash(p.rootPath), p);
  }

  /** The project containing `cwd` (or whose Gemini hash is `projectHash`). */
  match(cwd: string | undefined, projectHash?: string): AiProjectRoot | undefined {
    if (cwd !== undefined) {
      for (const p of this.#roots) {
        if (
          cwd === p.rootPath ||
          cwd.startsWith(p.rootPath.endsWith(sep) ? p.rootPath : p.rootPath + sep)
        )
          return p;
      }
    }
    return projectHash === undefined ? undefined : this.#byHash.get(projectHash);
  }
}

/** Options of {@link recordToEvent}. */
export interface RecordToEventOptions {
  joiner: ProjectJoiner;
  prices: PriceTable;
  /** How much prompt text to keep. */
  prompts: MessagePolicy;
}

/** A path relative to `base` when inside it, else `undefined`. */
function inside(path: string, base: string | undefined): string | undefined {
  if (base === undefined) return undefined;
  const abs = isAbsolute(path) ? path : resolve(base, path);
  const rel = relative(base, abs);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/**
 * Turns a reader record into an event: `ai.usage` (with its cost estimate), `ai.prompt` (text
 * per the privacy policy), `ai.tool_use`, `ai.edit` (fingerprints only) or
 * `ai.session_started`. The id is a stable hash of the tool and the record's natural key, so
 * reading a file again stores nothing twice. Paths become relative to the project (or the
 * session's cwd); an edit outside both is dropped (`null`).
 */
export function recordToEvent(r: AiRecord, options: RecordToEventOptions): EventInput | null {
  const project = options.joiner.match(r.cwd, r.projectHash);
  const base = {
    source: "ai",
    timestamp: r.timestamp,
    ...(project ? { projectId: project.id } : {}),
  };
  const session = { tool: r.tool, sessionId: r.sessionId };
  const rel = (p: string | undefined) =>
    p === undefined
      ? undefined
      : (inside(p, project?.rootPath) ?? (r.cwd ? inside(p, r.cwd) : undefined));
  switch (r.kind) {
    case "usage": {
      const cost = options.prices.cost(r.model, r.tokens, {
        speed: r.speed,
        reportedUsd: r.reportedCostUsd,
      });
      const t = r.tokens;
      return {
        ...base,
        id: `ai-${stableId(r.tool, "usage", r.requestKey, t.input, t.output, t.cacheWrite, t.cacheRead, t.reasoning, r.sidechain, r.timestamp)}`,
        type: "ai.usage",
        data: {
          ...session,
          model: r.model,
          inputTokens: t.input,
          outputTokens: t.output,
          cacheReadTokens: t.cacheRead,
          cacheWriteTokens: t.cacheWrite,
          ...(t.cacheWrite1h > 0 ? { cacheWrite1hTokens: t.cacheWrite1h } : {}),
          ...(t.reasoning > 0 ? { reasoningTokens: t.reasoning } : {}),
          ...(cost.usd !== undefined ? { costUsd: cost.usd } : {}),
          costSource: cost.source,
          requestKey: r.requestKey.slice(0, 512),
          sidechain: r.sidechain,
          ...(r.speed ? { speed: r.speed } : {}),
          ...(r.placeholderInput ? { placeholderInput: true } : {}),
          ...(r.cwd ? { cwd: r.cwd.slice(0, 4096) } : {}),
        },
      };
    }
    case "prompt": {
      const text = applyMessagePolicy(r.text, options.prompts);
      return {
        ...base,
        id: `ai-${stableId(r.tool, "prompt", r.promptId)}`,
        type: "ai.prompt",
        data: {
          ...session,
          chars: r.text.length,
          kind: r.promptKind,
          ...(text !== undefined ? { text: text.slice(0, 65_536) } : {}),
        },
      };
    }
    case "tool_use": {
      const path = rel(r.targetPath);
      return {
        ...base,
        id: `ai-${stableId(r.tool, "tool", r.toolUseId)}`,
        type: "ai.tool_use",
        data: {
          ...session,
          name: r.name.slice(0, 512),
          toolUseId: r.toolUseId.slice(0, 512),
          category: r.category,
          ...(path ? { path } : {}),
          ...(r.status ? { status: r.status } : {}),
        },
      };
    }
    case "edit": {
      const path = rel(r.targetPath);
      if (path === undefined) return null;
      return {
        ...base,
        id: `ai-${stableId(r.tool, "edit", r.toolUseId, r.targetPath)}`,
        type: "ai.edit",
        data: {
          ...session,
          path,
          linesAdded: r.linesAdded,
          linesRemoved: r.linesRemoved,
          fingerprints: r.fingerprints.slice(0, 10_000),
          toolUseId: r.toolUseId.slice(0, 512),
          op: r.op,
          via: r.via,
        },
      };
    }
    case "session":
      return {
        ...base,
        id: `ai-${stableId(r.tool, "session", r.sessionId)}`,
        type: "ai.session_started",
        data: {
          ...session,
          ...(r.model ? { model: r.model } : {}),
          ...(r.cwd ? { cwd: r.cwd.slice(0, 4096) } : {}),
          detectedBy: "transcript",
          isSubagent: r.isSubagent,
          ...(r.parentSessionId ? { parentSessionId: r.parentSessionId } : {}),
          ...(r.entrypoint ? { entrypoint: r.entrypoint.slice(0, 512) } : {}),
        },
      };
  }
}
