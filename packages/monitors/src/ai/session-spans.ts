import type { EventInput } from "@devflow/events";
import type { AiReaderChanges, AiSessionSpanRow, Storage } from "@devflow/storage";
import { stableId } from "./fingerprint.js";

/** Settings key under which DevFlow 0.1 kept the open sessions (migrated to `storage.aiReaders`). */
export const AI_SESSIONS_STATE_KEY = "ai.sessions";

/** How long an ended session is remembered (a late record then joins it instead of a new one). */
const KEEP_ENDED_MS = 7 * 86_400_000;

interface LegacySpan {
  tool: string;
  sessionId: string;
  start: number;
  last: number;
  projectId?: string;
  ended?: boolean;
}

const keyOf = (tool: string, sessionId: string) => `${tool}\u0000${sessionId}`;

/**
 * The assistant sessions seen in the transcripts, kept in `storage.aiReaders` one row per
 * session: the open ones are loaded, others are looked up when a record names them, and only
 * the sessions a read touched (or ended) are saved. A session idle longer than the idle time
 * gets its `ai.session_ended`; ended sessions are forgotten a week after their last activity.
 */
export class AiSessionSpans {
  readonly #storage: Storage;
  readonly #spans = new Map<string, AiSessionSpanRow>();
  readonly #dirty = new Set<string>();
  #legacy = false;

  constructor(storage: Storage) {
    this.#storage = storage;
    for (const row of storage.aiReaders.openSessions())
      this.#spans.set(keyOf(row.tool, row.sessionId), row);
    const legacy = storage.settings.get<Record<string, LegacySpan>>(AI_SESSIONS_STATE_KEY);
    if (legacy === undefined) return;
    this.#legacy = true;
    for (const s of Object.values(legacy)) {
      if (typeof s?.tool !== "string" || typeof s.sessionId !== "string") continue;
      const key = keyOf(s.tool, s.sessionId);
      if (this.#spans.has(key) || storage.aiReaders.session(s.tool, s.sessionId)) continue;
      this.#spans.set(key, {
        tool: s.tool,
        sessionId: s.sessionId,
        projectId: s.projectId ?? null,
        startedAt: s.start,
        lastAt: s.last,
        ended: s.ended === true,
      });
      this.#dirty.add(key);
    }
  }

  /** Extends (or opens) a session with a record at `timestamp`. */
  touch(tool: string, sessionId: string, timestamp: number, projectId?: string): void {
    const key = keyOf(tool, sessionId);
    let span = this.#spans.get(key);
    if (span === undefined) {
      span = this.#storage.aiReaders.session(tool, sessionId) ?? {
        tool,
        sessionId,
        projectId: null,
        startedAt: timestamp,
        lastAt: timestamp,
        ended: false,
      };
      this.#spans.set(key, span);
    }
    span.startedAt = Math.min(span.startedAt, timestamp);
    span.lastAt = Math.max(span.lastAt, timestamp);
    if (projectId) span.projectId = projectId;
    this.#dirty.add(key);
  }

  /** Ends the open sessions idle for `idleMs` at `now`: their `ai.session_ended` events. */
  endIdle(now: number, idleMs: number): EventInput[] {
    const events: EventInput[] = [];
    for (const [key, span] of this.#spans) {
      if (span.ended || now - span.lastAt < idleMs) continue;
      span.ended = true;
      this.#dirty.add(key);
      events.push({
        source: "ai",
        id: `ai-${stableId(span.tool, "session_end", span.sessionId)}`,
        type: "ai.session_ended",
        timestamp: span.lastAt,
        ...(span.projectId ? { projectId: span.projectId } : {}),
        data: {
          tool: span.tool,
          sessionId: span.sessionId,
          durationMs: span.lastAt - span.startedAt,
          reason: "idle",
          lastActivity: span.lastAt,
        },
      });
    }
    return events;
  }

  /** The sessions to save, and the pruning of ended sessions a week old at `now`. */
  changes(now: number): Omit<AiReaderChanges, "readers"> {
    const sessions: AiSessionSpanRow[] = [];
    for (const key of this.#dirty) sessions.push({ ...this.#spans.get(key)! });
    return { sessions, pruneEndedSessionsBefore: now - KEEP_ENDED_MS };
  }

  /** Call once {@link changes} are saved. */
  saved(): void {
    this.#dirty.clear();
    if (this.#legacy) this.#storage.settings.delete(AI_SESSIONS_STATE_KEY);
    this.#legacy = false;
  }
}
