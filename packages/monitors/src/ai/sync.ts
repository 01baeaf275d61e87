import { type EventEngine, type EventInput, validateEvent } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { AiderReader } from "./aider.js";
import { ClaudeCodeReader } from "./claude.js";
import { CodexReader } from "./codex.js";
import type { AiMonitorConfig } from "./config.js";
import { GeminiCliReader } from "./gemini.js";
import type { AiSourceReader, ReadStats } from "./incremental.js";
import { PriceTable } from "./pricing.js";
import { AiReaderStates } from "./reader-store.js";
import type { AiRecord } from "./records.js";
import type { SourceEnvironment } from "./roots.js";
import { AiSessionSpans } from "./session-spans.js";
import { type AiProjectRoot, ProjectJoiner, recordToEvent } from "./to-events.js";

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
  /** The readers' state, kept across reads by a long-running caller (default: loaded anew). */
  states?: AiReaderStates;
  /** Stop opening further files once this many bytes were read (see `ReadOptions.maxBytes`). */
  maxBytes?: number;
  /** Now (ms), for ending idle sessions; default `Date.now()`. */
  now?: number;
}

/** What one read of every source produced. */
export interface AiReadResult {
  sources: ReadStats[];
  events: EventInput[];
  /** Files with new bytes left for the next read (`maxBytes` reached). */
  deferredFiles: number;
  /** Persists the readers' state (only the rows that changed); call once the events are stored. */
  commit(): void;
}

/**
 * Reads every AI source incrementally (state in `storage.aiReaders`, see {@link AiReaderStates}),
 * joins records to the registered projects by working directory, and returns the events plus
 * `ai.session_ended` for sessions idle longer than `idleSessionMs`.
 */
export function readAiEvents(options: ReadAiEventsOptions): AiReadResult {
  const { storage, config } = options;
  const now = options.now ?? Date.now();
  const projects = storage.projects.list().map((p) => ({ id: p.id, rootPath: p.rootPath }));
  const readers = options.readers ?? createAiReaders(config, options.source, projects);
  const joiner = new ProjectJoiner(projects);
  const prices = new PriceTable(config.prices);
  const states = options.states ?? new AiReaderStates(storage);
  const spans = new AiSessionSpans(storage);
  const events: EventInput[] = [];
  const sources: ReadStats[] = [];
  const onRecord = (r: AiRecord): void => {
    const event = recordToEvent(r, { joiner, prices, prompts: config.prompts });
    if (event === null) return;
    events.push(event);
    spans.touch(r.tool, r.sessionId, r.timestamp, event.projectId);
  };
  let deferredFiles = 0;
  for (const reader of readers) {
    const stats = reader.read(states.state(reader.tool), onRecord, {
      usageKeys: states.usageKeys(reader.tool),
      changes: states.changesOf(reader.tool),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
    deferredFiles += stats.deferredFiles;
    sources.push(stats);
  }
  events.push(...spans.endIdle(now, config.idleSessionMs));
  return {
    sources,
    events,
    deferredFiles,
    commit: () => {
      states.save(spans.changes(now));
      spans.saved();
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

/** Options of {@link emitAiSources}. */
export interface EmitAiSourcesOptions extends ReadAiEventsOptions {
  /**
   * The engine the events go through (the running DevFlow's, or a one-shot one from
   * `@devflow/runtime`), so live subscribers see them; it must write to `storage`.
   */
  engine: EventEngine;
}

/**
 * Reads every AI source incrementally and emits the new events through `engine` (idempotent
 * ids: events read again are counted as duplicates), waits until they are stored, then saves
 * the readers' state. What `devflow ai sources` runs before it reports.
 */
export async function emitAiSources(options: EmitAiSourcesOptions): Promise<SyncAiResult> {
  const started = performance.now();
  const read = readAiEvents(options);
  const { engine, storage } = options;
  let stored = 0;
  let duplicates = 0;
  let rejected = 0;
  const errors: string[] = [];
  for (let i = 0; i < read.events.length; i += BATCH) {
    const batch = read.events.slice(i, i + BATCH);
    // Every AI event has a stable id: the ones already stored are the duplicates (checked before
    // emitting, since the engine may write this batch while it is being emitted).
    const known = new Set(
      batch.flatMap((e) => (e.id !== undefined && storage.events.get(e.id) ? [e.id] : [])),
    );
    const outcomes = await engine.emitMany(batch);
    outcomes.forEach((outcome, n) => {
      if (!outcome.ok) {
        rejected++;
        if (errors.length < 10) errors.push(outcome.error.message);
      } else if (known.has(batch[n]!.id ?? "")) duplicates++;
      else stored++;
    });
  }
  await engine.flush();
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

const BATCH = 5000;

/**
 * Reads every AI source incrementally and stores the new events straight into `storage`
 * (idempotent ids), then saves the readers' state.
 *
 * @deprecated Use {@link emitAiSources} instead: it goes through the event engine, so live
 * subscribers (`devflow watch`) see the events. Kept for the `devflow analyze ai` command until
 * it moves to the operation catalogue.
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
