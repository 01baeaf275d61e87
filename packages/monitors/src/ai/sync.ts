import { type EventInput, validateEvent } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { AiderReader } from "./aider.js";
import { ClaudeCodeReader } from "./claude.js";
import { CodexReader } from "./codex.js";
import type { AiMonitorConfig } from "./config.js";
import { stableId } from "./fingerprint.js";
import { GeminiCliReader } from "./gemini.js";
import {
  type AiSourceReader,
  emptyReaderState,
  type ReaderState,
  type ReadStats,
} from "./incremental.js";
import { PriceTable } from "./pricing.js";
import type { AiRecord } from "./records.js";
import type { SourceEnvironment } from "./roots.js";
import { type AiProjectRoot, ProjectJoiner, recordToEvent } from "./to-events.js";

/** Settings key of a reader's incremental state. */
export function aiReaderStateKey(tool: string): string {
  return `ai.reader.${tool}`;
}
/** Settings key of the open-session table. */
export const AI_SESSIONS_STATE_KEY = "ai.sessions";

interface SessionSpan {
  tool: string;
  sessionId: string;
  start: number;
  last: number;
  projectId?: string;
  ended?: boolean;
}

/** The readers for a config: every enabled source; Aider reads the given project roots. */
export function createAiReaders(
  config: AiMonitorConfig,
  source: SourceEnvironment,
  projects: readonly AiProjectRoot[],
): AiSourceReader[] {
  const readers: AiSourceReader[] = [];
  if (config.sources.claudeCode) readers.push(new ClaudeCodeReader({ source }));
  if (config.sources.codex) readers.push(new CodexReader({ source }));
  if (config.sources.geminiCli) readers.push(new GeminiCliReader({ source }));
  if (config.sources.aider)
    readers.push(new AiderReader({ projectRoots: projects.map((p) => p.rootPath) }));
  return readers;
}

/** Options of {@link readAiEvents}. */
export interface ReadAiEventsOptions {
  storage: Storage;
  config: AiMonitorConfig;
  /** Where to find the assistants' data (tests pass their own). */
  source: SourceEnvironment;
  /** Readers to use instead of {@link createAiReaders}. */
  readers?: AiSourceReader[];
  /** Now (ms), for ending idle sessions; default `Date.now()`. */
  now?: number;
}

/** What one read of every source produced. */
export interface AiReadResult {
  sources: ReadStats[];
  events: EventInput[];
  /** Persists the readers' state; call once the events are stored. */
  commit(): void;
}

/**
 * Reads every AI source incrementally (state in `settings` under `ai.reader.<tool>`), joins
 * records to the registered projects by working directory, and returns the events plus
 * `ai.session_ended` for sessions idle longer than `idleSessionMs`.
 */
export function readAiEvents(options: ReadAiEventsOptions): AiReadResult {
  const { storage, config } = options;
  const now = options.now ?? Date.now();
  const projects = storage.projects.list().map((p) => ({ id: p.id, rootPath: p.rootPath }));
  const readers = options.readers ?? createAiReaders(config, options.source, projects);
  const joiner = new ProjectJoiner(projects);
  const prices = new PriceTable(config.prices);
  const sessions = storage.settings.get<Record<string, SessionSpan>>(AI_SESSIONS_STATE_KEY) ?? {};
  const events: EventInput[] = [];
  const states = new Map<string, ReaderState>();
  const sources: ReadStats[] = [];
  const onRecord = (r: AiRecord): void => {
    const event = recordToEvent(r, { joiner, prices, prompts: config.prompts });
    if (event === null) return;
    events.push(event);
    const key = `${r.tool}:${r.sessionId}`;
    const span = (sessions[key] ??= {
      tool: r.tool,
      sessionId: r.sessionId,
      start: r.timestamp,
      last: r.timestamp,
    });
    span.start = Math.min(span.start, r.timestamp);
    span.last = Math.max(span.last, r.timestamp);
    if (event.projectId) span.projectId = event.projectId;
  };
  for (const reader of readers) {
    const stored = storage.settings.get<ReaderState>(aiReaderStateKey(reader.tool));
    const state = stored?.version === 1 ? stored : emptyReaderState();
    sources.push(reader.read(state, onRecord));
    states.set(reader.tool, state);
  }
  for (const [key, span] of Object.entries(sessions)) {
    if (span.ended) {
      if (now - span.last > 7 * 86_400_000) delete sessions[key];
      continue;
    }
    if (now - span.last < config.idleSessionMs) continue;
    span.ended = true;
    events.push({
      source: "ai",
      id: `ai-${stableId(span.tool, "session_end", span.sessionId)}`,
      type: "ai.session_ended",
      timestamp: span.last,
      ...(span.projectId ? { projectId: span.projectId } : {}),
      data: {
        tool: span.tool,
        sessionId: span.sessionId,
        durationMs: span.last - span.start,
        reason: "idle",
        lastActivity: span.last,
      },
    });
  }
  return {
    sources,
    events,
    commit: () => {
      for (const [tool, state] of states) storage.settings.set(aiReaderStateKey(tool), state);
      storage.settings.set(AI_SESSIONS_STATE_KEY, sessions);
    },
  };
}

/** What {@link syncAiSources} did. */
export interface SyncAiResult {
  sources: ReadStats[];
  /** Events newly stored. */
  stored: number;
  /** Events already stored (read again). */
  duplicates: number;
  /** Events that failed validation (with the first errors). */
  rejected: number;
  errors: string[];
  durationMs: number;
}

const BATCH = 5000;

/**
 * Reads every AI source incrementally and stores the new events straight into `storage`
 * (idempotent ids), then saves the readers' state. What `devflow ai sources` and
 * `devflow analyze ai` run before they report.
 */
export function syncAiSources(options: ReadAiEventsOptions): SyncAiResult {
  const started = performance.now();
  const read = readAiEvents(options);
  let stored = 0;
  let duplicates = 0;
  let rejected = 0;
  const errors: string[] = [];
  for (let i = 0; i < read.events.length; i += BATCH) {
    const batch = [];
    for (const input of read.events.slice(i, i + BATCH)) {
      try {
        batch.push(validateEvent(input));
      } catch (err) {
        rejected++;
        if (errors.length < 10) errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    const r = options.storage.events.insertBatch(batch);
    stored += r.stored;
    duplicates += r.duplicates;
    rejected += r.rejected.length;
  }
  read.commit();
  return {
    sources: read.sources,
    stored,
    duplicates,
    rejected,
    errors,
    durationMs: performance.now() - started,
  };
}
