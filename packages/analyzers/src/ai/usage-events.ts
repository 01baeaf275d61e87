import type { EventOf } from "@devflow/events";
import type { EventRepository } from "@devflow/storage";

/** One stored `ai.usage` event, flattened for analysis. */
export interface UsageEntry {
  id: string;
  timestamp: number;
  projectId?: string;
  tool: string;
  sessionId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  costUsd?: number;
  costSource: "reported" | "calculated" | "unknown_model";
  requestKey: string;
  sidechain: boolean;
  speed?: "standard" | "fast";
  placeholderInput: boolean;
  cwd?: string;
}

/** Which usage to load. Times are ms UTC (`to` exclusive). */
export interface UsageFilter {
  from?: number;
  to?: number;
  projectId?: string;
  /** Only these assistants (`claude-code`, `codex`, …). */
  tools?: readonly string[];
}

const PAGE = 50_000;

function total(e: UsageEntry): number {
  return e.inputTokens + e.outputTokens + e.cacheWriteTokens + e.cacheReadTokens;
}

/**
 * True when `a` wins over `b` for the same request key: the main-chain copy, then the larger
 * token total, then the one with a `speed`, then the earlier one (the rule of ai-signals §7,
 * as the monitors' readers apply it).
 */
export function preferUsage(a: UsageEntry, b: UsageEntry): boolean {
  if (a.sidechain !== b.sidechain) return !a.sidechain;
  const ta = total(a);
  const tb = total(b);
  if (ta !== tb) return ta > tb;
  if ((a.speed !== undefined) !== (b.speed !== undefined)) return a.speed !== undefined;
  return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.id < b.id);
}

/**
 * Applies the de-duplication rule to stored usage: one entry per (tool, request key), and a
 * Claude sidechain copy of a message the main chain also has (a `/btw` replay) is dropped.
 * Readers store each distinct copy once; this finishes the rule across incremental reads.
 */
export function dedupeUsage(entries: Iterable<UsageEntry>): UsageEntry[] {
  const best = new Map<string, UsageEntry>();
  for (const e of entries) {
    const key = `${e.tool}\u0000${e.requestKey}`;
    const cur = best.get(key);
    if (cur === undefined || preferUsage(e, cur)) best.set(key, e);
  }
  const mainMessages = new Set<string>();
  for (const e of best.values()) {
    if (e.tool === "claude-code" && !e.sidechain) mainMessages.add(e.requestKey.split(":")[0]!);
  }
  const out: UsageEntry[] = [];
  for (const e of best.values()) {
    if (e.tool === "claude-code" && e.sidechain && mainMessages.has(e.requestKey.split(":")[0]!))
      continue;
    out.push(e);
  }
  return out.sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
}

function toEntry(e: EventOf<"ai.usage">): UsageEntry {
  const d = e.data;
  return {
    id: e.id,
    timestamp: e.timestamp,
    ...(e.projectId ? { projectId: e.projectId } : {}),
    tool: d.tool,
    sessionId: d.sessionId,
    model: d.model,
    inputTokens: d.inputTokens,
    outputTokens: d.outputTokens,
    cacheWriteTokens: d.cacheWriteTokens ?? 0,
    cacheReadTokens: d.cacheReadTokens ?? 0,
    reasoningTokens: d.reasoningTokens ?? 0,
    ...(d.costUsd !== undefined ? { costUsd: d.costUsd } : {}),
    costSource: d.costSource ?? (d.costUsd !== undefined ? "calculated" : "unknown_model"),
    requestKey: d.requestKey ?? e.id,
    sidechain: d.sidechain ?? false,
    ...(d.speed ? { speed: d.speed } : {}),
    placeholderInput: d.placeholderInput ?? false,
    ...(d.cwd ? { cwd: d.cwd } : {}),
  };
}

/** Loads the stored `ai.usage` events matching `filter`, de-duplicated ({@link dedupeUsage}). */
export function loadUsage(
  storage: { readonly events: EventRepository },
  filter: UsageFilter = {},
): UsageEntry[] {
  const raw: UsageEntry[] = [];
  let after: { timestamp: number; id: string } | undefined;
  for (;;) {
    const page = storage.events.query({
      types: ["ai.usage"],
      limit: PAGE,
      ...(filter.from !== undefined ? { from: filter.from } : {}),
      ...(filter.to !== undefined ? { to: filter.to } : {}),
      ...(filter.projectId !== undefined ? { projectId: filter.projectId } : {}),
      ...(after ? { after } : {}),
    });
    for (const e of page) {
      if (e.type !== "ai.usage") continue;
      if (filter.tools && !filter.tools.includes(e.data.tool)) continue;
      raw.push(toEntry(e));
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { timestamp: last.timestamp, id: last.id };
  }
  return dedupeUsage(raw);
}
