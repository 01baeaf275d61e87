/** The assistants DevFlow reads. */
export type AiTool = "claude-code" | "codex" | "gemini-cli" | "aider";

/** Token counts of one request, in the normalised classes. */
export interface TokenCounts {
  /** Uncached input tokens. */
  input: number;
  output: number;
  /** Cache writes (every lifetime). */
  cacheWrite: number;
  /** The part of `cacheWrite` with a 1 h lifetime. */
  cacheWrite1h: number;
  cacheRead: number;
  /** Reasoning tokens; for Codex and Gemini already inside `output`. */
  reasoning: number;
}

interface RecordBase {
  tool: AiTool;
  sessionId: string;
  /** ms UTC. */
  timestamp: number;
  /** The session's working directory, when the record tells. */
  cwd?: string;
  /** Gemini CLI's project hash (SHA-256 of the project path), when there is no cwd. */
  projectHash?: string;
  /** The transcript file and byte offset of the line. */
  file: string;
  offset: number;
}

/** One billed request (after the tool's de-duplication rule). */
export interface UsageRecord extends RecordBase {
  kind: "usage";
  model: string;
  tokens: TokenCounts;
  /** The de-duplication key (Claude `message.id:requestId`, Codex cumulative totals, …). */
  requestKey: string;
  sidechain: boolean;
  speed?: "standard" | "fast";
  /** A cost the tool itself reported (Claude `costUSD`, Aider `Cost:`). */
  reportedCostUsd?: number;
  /** Claude's streaming placeholder input count (0 or 1). */
  placeholderInput?: boolean;
}

/** A prompt the person typed (never tool results or injected context). */
export interface PromptRecord extends RecordBase {
  kind: "prompt";
  promptId: string;
  text: string;
  promptKind: "user" | "slash_command" | "queued";
}

/** Tool categories of `ai.tool_use`. */
export type ToolCategory =
  "edit" | "write" | "read" | "shell" | "search" | "web" | "mcp" | "subagent" | "plan" | "other";

/** One tool call of the assistant. */
export interface ToolUseRecord extends RecordBase {
  kind: "tool_use";
  toolUseId: string;
  name: string;
  category: ToolCategory;
  /** Target file (absolute as the tool wrote it), when the tool has one. */
  targetPath?: string;
  status?: "ok" | "error" | "denied" | "interrupted";
}

/** Lines an assistant wrote into one file. */
export interface EditRecord extends RecordBase {
  kind: "edit";
  toolUseId: string;
  /** The edited file, absolute as the tool wrote it (or relative to the cwd). */
  targetPath: string;
  op: "create" | "modify" | "delete";
  linesAdded: number;
  linesRemoved: number;
  /** Fingerprints of the added lines (see `lineFingerprint`). */
  fingerprints: string[];
  via: string;
}

/** A session's first sighting in a transcript. */
export interface SessionRecord extends RecordBase {
  kind: "session";
  model?: string;
  isSubagent: boolean;
  parentSessionId?: string;
  entrypoint?: string;
}

/** Anything a reader produces. */
export type AiRecord = UsageRecord | PromptRecord | ToolUseRecord | EditRecord | SessionRecord;

/** The sum of all token classes. */
function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheWrite + t.cacheRead;
}

/** How the de-duplication rule ranks one copy of a request (what a {@link UsageKeyStore} keeps). */
export interface UsageRank {
  sidechain: boolean;
  /** The copy's token total ({@link totalTokens}). */
  total: number;
  /** True when the copy states its speed tier. */
  speed: boolean;
  timestamp: number;
}

/** The rank of a usage record. */
function usageRank(r: UsageRecord): UsageRank {
  return {
    sidechain: r.sidechain,
    total: totalTokens(r.tokens),
    speed: r.speed !== undefined,
    timestamp: r.timestamp,
  };
}

/**
 * True when a copy ranked `a` should replace one ranked `b` for the same request key: the
 * main-chain copy beats a sidechain copy, then the larger token total (streaming snapshots
 * grow), then the one that says its `speed` (ai-signals §7), then the earlier timestamp (a
 * resumed session's copy of history is not newer work).
 */
export function betterRank(a: UsageRank, b: UsageRank): boolean {
  if (a.sidechain !== b.sidechain) return !a.sidechain;
  if (a.total !== b.total) return a.total > b.total;
  if (a.speed !== b.speed) return a.speed;
  return a.timestamp < b.timestamp;
}

/** True when `candidate` should replace `current` for the same request key ({@link betterRank}). */
function betterUsage(candidate: UsageRecord, current: UsageRecord): boolean {
  return betterRank(usageRank(candidate), usageRank(current));
}

/**
 * The request keys of usage already emitted, across reads (DevFlow keeps them in
 * `storage.aiReaders`; {@link MemoryUsageKeys} holds them in memory).
 */
export interface UsageKeyStore {
  /** The rank of the copy of `key` emitted before, if any. */
  get(key: string): UsageRank | undefined;
  /** True when a main-chain copy of Claude message `messageId` was emitted under any request id. */
  hasMainMessage(messageId: string): boolean;
  /** Records that the copy ranked `rank` of `key` is now emitted. */
  set(key: string, rank: UsageRank): void;
}

/** The Claude message id of a request key (`<message.id>:<requestId>` or `<message.id>`). */
export function messageIdOfKey(key: string): string {
  const i = key.indexOf(":");
  return i < 0 ? key : key.slice(0, i);
}

/** A {@link UsageKeyStore} in memory. */
export class MemoryUsageKeys implements UsageKeyStore {
  readonly #keys = new Map<string, UsageRank>();
  readonly #main = new Set<string>();

  get(key: string): UsageRank | undefined {
    return this.#keys.get(key);
  }

  hasMainMessage(messageId: string): boolean {
    return this.#main.has(messageId);
  }

  set(key: string, rank: UsageRank): void {
    this.#keys.set(key, rank);
    if (!rank.sidechain) this.#main.add(messageIdOfKey(key));
  }

  /** How many keys are kept. */
  get size(): number {
    return this.#keys.size;
  }
}

/**
 * Applies the de-duplication rule across reads: true (and `keys` updated) when `record` is the
 * first copy of its request key or better than the copy emitted before, and is not a sidechain
 * replay (`/btw`) of a message whose main-chain copy was emitted.
 */
export function admitUsage(record: UsageRecord, keys: UsageKeyStore): boolean {
  const rank = usageRank(record);
  const prev = keys.get(record.requestKey);
  if (prev !== undefined && !betterRank(rank, prev)) return false;
  if (record.sidechain) {
    const msg = messageIdOf(record);
    if (msg !== undefined && keys.hasMainMessage(msg)) return false;
  }
  keys.set(record.requestKey, rank);
  return true;
}

/**
 * Keeps one usage record per request key across every file and read: the documented rule of
 * each tool (see {@link betterUsage}). Hold one instance across incremental reads to apply the
 * rule across them.
 */
export class UsageDeduper {
  readonly #best = new Map<string, UsageRecord>();
  /** Message ids of main-chain Claude copies, to drop `/btw` sidechain replays. */
  readonly #mainMessages = new Set<string>();

  /** Offers a record; true when it is now the kept copy of its key. */
  offer(record: UsageRecord): boolean {
    const current = this.#best.get(record.requestKey);
    if (current !== undefined && !betterUsage(record, current)) return false;
    this.#best.set(record.requestKey, record);
    if (!record.sidechain) {
      const msg = messageIdOf(record);
      if (msg) this.#mainMessages.add(msg);
    }
    return true;
  }

  /** The kept records, without sidechain replays of a main-chain message (Claude `/btw`). */
  records(): UsageRecord[] {
    const out: UsageRecord[] = [];
    for (const r of this.#best.values()) {
      if (r.sidechain && isReplay(r, this.#mainMessages)) continue;
      out.push(r);
    }
    return out;
  }

  /** How many keys are kept. */
  get size(): number {
    return this.#best.size;
  }
}

function messageIdOf(r: UsageRecord): string | undefined {
  return r.tool === "claude-code" ? messageIdOfKey(r.requestKey) : undefined;
}

function isReplay(r: UsageRecord, main: ReadonlySet<string>): boolean {
  const msg = messageIdOf(r);
  return msg !== undefined && main.has(msg);
}
