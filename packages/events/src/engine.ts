import { type EngineConfig, EngineConfigSchema } from "./config.js";
import { DevflowError, toDevflowError } from "./errors.js";
import { HeartbeatMerger, isHeartbeat } from "./heartbeat.js";
import { type Logger, noopLogger } from "./logger.js";
import { compilePattern } from "./pattern.js";
import { PriorityQueue } from "./queue.js";
import type { DevflowEvent, EventInput } from "./schemas.js";
import type { BatchReport, EventSink } from "./sink.js";
import { EngineStats, type EngineStatsSnapshot } from "./stats.js";
import { toFieldIssues, validateEvent } from "./validate.js";

/** Options for {@link EventEngine}: the engine config (partial, defaults applied) and a logger. */
export interface EventEngineOptions extends Partial<EngineConfig> {
  logger?: Logger;
  /** First retry delay after a sink failure; doubles up to 30 s (default 500 ms). */
  retryDelayMs?: number;
}

/** The outcome of one accepted `emit`. */
export interface EmitResult {
  /** `queued`: will be persisted; `merged`: extended a queued/stored heartbeat; `shed`: dropped under load. */
  status: "queued" | "merged" | "shed";
  event: DevflowEvent;
}

/** A live subscriber; may be async. Its failures are counted and logged, never propagated. */
export type EventHandler = (event: DevflowEvent) => void | Promise<void>;

/** The outcome of one input of {@link EventEngine.emitMany}. */
export type EmitOutcome = { ok: true; result: EmitResult } | { ok: false; error: DevflowError };

/**
 * The event engine: validates events, fans them out to live subscribers, and writes them to
 * sinks in batches (≤ `batchSize` events or ≤ `maxWaitMs`), most severe first. The queue is
 * bounded: above `highWaterMark` an `emit` waits for room, and debug events are shed (counted).
 *
 * @example
 * const engine = new EventEngine({ batchSize: 100 });
 * engine.addSink(storageSink);
 * engine.subscribe("git.*", (e) => logger.info({ type: e.type }, "git event"));
 * await engine.emit({ type: "file.changed", source: "file-monitor", data: { path: "src/a.ts" } });
 * await engine.stop();
 */
export class EventEngine {
  readonly config: EngineConfig;
  readonly #log: Logger;
  readonly #queue = new PriorityQueue();
  readonly #sinks: EventSink[] = [];
  readonly #subs = new Set<{ match: (type: string) => boolean; handler: EventHandler }>();
  readonly #pendingById = new Map<string, DevflowEvent>();
  readonly #heartbeats: HeartbeatMerger;
  readonly #stats = new EngineStats();
  readonly #waiters: Array<() => void> = [];
  readonly #inflightHandlers = new Set<Promise<void>>();
  readonly #batchListeners = new Set<(report: BatchReport) => void>();
  readonly #retryBaseMs: number;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #sizeFlushPending = false;
  #retryMs = 0;
  #stopped = false;

  constructor(options: EventEngineOptions = {}) {
    const { logger, retryDelayMs, ...config } = options;
    const parsed = EngineConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issues = toFieldIssues(parsed.error, "engine");
      throw new DevflowError(
        "EVENTS_BAD_CONFIG",
        `invalid engine options: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        { data: { issues } },
      );
    }
    this.config = parsed.data;
    this.#log = (logger ?? noopLogger).child({ component: "event-engine" });
    this.#heartbeats = new HeartbeatMerger(this.config.pulsetimeMs);
    this.#retryBaseMs = retryDelayMs ?? 500;
  }

  /** Adds a batch sink; returns a function that removes it. */
  addSink(sink: EventSink): () => void {
    this.#sinks.push(sink);
    return () => {
      const i = this.#sinks.indexOf(sink);
      if (i >= 0) this.#sinks.splice(i, 1);
    };
  }

  /**
   * Subscribes to live events matching `pattern` (`*`, `git.*` or an exact type). Handlers run
   * right after an event is accepted, before it is persisted. Returns an idempotent unsubscribe.
   */
  subscribe(pattern: string, handler: EventHandler): () => void {
    const entry = { match: compilePattern(pattern), handler };
    this.#subs.add(entry);
    return () => void this.#subs.delete(entry);
  }

  /** Calls `listener` after each batch every sink accepted (e.g. to acknowledge producers). */
  onBatch(listener: (report: BatchReport) => void): () => void {
    this.#batchListeners.add(listener);
    return () => void this.#batchListeners.delete(listener);
  }

  /**
   * Validates and queues one event. Waits while the queue is at its high-water mark (debug
   * events are shed instead).
   *
   * @throws {@link DevflowError} `EVENTS_INVALID` naming the bad field; `EVENTS_STOPPED` after stop.
   */
  emit(input: EventInput): Promise<EmitResult> {
    return this.emitUntrusted(input);
  }

  /**
   * Like {@link EventEngine.emit} for input of unknown shape: an object or a JSON string from
   * an import file, a remote agent or a test.
   */
  async emitUntrusted(input: unknown): Promise<EmitResult> {
    if (this.#stopped) throw new DevflowError("EVENTS_STOPPED", "the event engine is stopped");
    let event: DevflowEvent;
    try {
      event = validateEvent(input, { maxDataBytes: this.config.maxDataBytes });
    } catch (err) {
      this.#stats.rejected++;
      throw err;
    }
    if (isHeartbeat(event)) {
      const { merged, event: current } = this.#heartbeats.push(event);
      if (merged) return this.#acceptMerged(current);
    }
    if (this.#queue.size >= this.config.highWaterMark) {
      if (event.severity === "debug") {
        this.#stats.shed++;
        return { status: "shed", event };
      }
      while (this.#queue.size >= this.config.highWaterMark && !this.#stopped) {
        this.#stats.waiting++;
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
        this.#stats.waiting--;
      }
    }
    this.#enqueue(event);
    this.#deliver(event);
    return { status: "queued", event };
  }

  /** Emits several events; every valid one is queued even when others are invalid. */
  async emitMany(inputs: readonly unknown[]): Promise<EmitOutcome[]> {
    const out: EmitOutcome[] = [];
    for (const input of inputs) {
      try {
        out.push({ ok: true, result: await this.emitUntrusted(input) });
      } catch (err) {
        out.push({ ok: false, error: toDevflowError(err, "EVENTS_INVALID") });
      }
    }
    return out;
  }

  /**
   * Writes everything queued now, in batches, and waits until the sinks are done. After a failed
   * write it waits out the retry delay before trying again, so it resolves only once the sinks
   * accept the batch.
   */
  async flush(): Promise<void> {
    while (this.#queue.size > 0 || this.#flushing) {
      if (this.#flushing) {
        await this.#flushing;
        continue;
      }
      if (this.#retryMs > 0) {
        // A write failed and the retry timer will try again after the backoff: wait for it rather
        // than retrying at once (a sink that throws synchronously would make this loop spin).
        const failures = this.#stats.sinkFailures;
        await new Promise((resolve) => setTimeout(resolve, this.#retryMs));
        const retried = this.#retryMs === 0 || this.#stats.sinkFailures !== failures;
        if (retried || this.#flushing) continue;
      }
      await this.#runFlush(true);
    }
  }

  /** Flushes the queue and waits for running subscriber handlers. */
  async drain(): Promise<void> {
    await this.flush();
    while (this.#inflightHandlers.size > 0) await Promise.allSettled([...this.#inflightHandlers]);
    if (this.#queue.size > 0) await this.flush();
  }

  /** Drains, then refuses new events. Idempotent. */
  async stop(): Promise<void> {
    await this.drain();
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Counters and gauges of the engine. */
  stats(): EngineStatsSnapshot {
    return this.#stats.snapshot(this.#queue.size, this.config.highWaterMark);
  }

  #acceptMerged(event: DevflowEvent): EmitResult {
    this.#stats.merged++;
    const pending = this.#pendingById.get(event.id);
    if (pending) pending.duration = event.duration;
    else this.#enqueue(event); // already written: the sink extends the stored row
    this.#deliver(event);
    return { status: "merged", event };
  }

  #enqueue(event: DevflowEvent): void {
    this.#stats.emitted++;
    this.#queue.push(event);
    if (isHeartbeat(event)) this.#pendingById.set(event.id, event);
    if (this.#queue.size >= this.config.batchSize) this.#scheduleSizeFlush();
    if (!this.#timer) this.#armTimer(this.config.maxWaitMs);
  }

  /** A full batch is waiting: write it soon, after the current producer burst yields. */
  #scheduleSizeFlush(): void {
    if (this.#sizeFlushPending || this.#flushing) return; // a running flush takes full batches too
    this.#sizeFlushPending = true;
    setImmediate(() => {
      this.#sizeFlushPending = false;
      void this.#runFlush(false);
    });
  }

  /** The deadline of the oldest queued event (or the retry delay after a failed write). */
  #armTimer(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#runFlush(true);
    }, delayMs);
  }

  #deliver(event: DevflowEvent): void {
    for (const sub of this.#subs) {
      if (!sub.match(event.type)) continue;
      try {
        const result = sub.handler(event);
        if (result instanceof Promise) {
          const p = result.then(
            () => void this.#stats.delivered++,
            (err: unknown) => this.#handlerFailed(err, event),
          );
          this.#inflightHandlers.add(p);
          void p.finally(() => this.#inflightHandlers.delete(p));
        } else {
          this.#stats.delivered++;
        }
      } catch (err) {
        this.#handlerFailed(err, event);
      }
    }
  }

  #handlerFailed(err: unknown, event: DevflowEvent): void {
    this.#stats.subscriberErrors++;
    this.#log.warn({ err, type: event.type, id: event.id }, "subscriber failed");
  }

  /**
   * One flush pass, serialised: writes full batches, and with `force` (deadline, flush, drain)
   * also the partial rest. Partial batches are never written early, so a steady producer gets
   * batches of exactly `batchSize`.
   */
  #runFlush(force: boolean): Promise<void> {
    if (this.#flushing) {
      if (!force) return this.#flushing;
      // After a failed pass the retry timer (and flush()) take over: no extra retry without delay.
      return this.#flushing.then(() => (this.#retryMs > 0 ? undefined : this.#runFlush(true)));
    }
    const due = () => this.#queue.size >= this.config.batchSize || (force && this.#queue.size > 0);
    // Nothing to write: return before the async pass, whose `finally` would otherwise run before
    // `#flushing` is assigned and leave it set for good (flush() would then spin on it).
    if (!due()) return Promise.resolve();
    this.#flushing = (async () => {
      try {
        while (due()) {
          const ok = await this.#writeBatch(this.#queue.take(this.config.batchSize));
          if (!ok) return;
        }
      } finally {
        this.#flushing = undefined;
        if (this.#queue.size === 0) {
          clearTimeout(this.#timer);
          this.#timer = undefined;
        } else if (this.#retryMs > 0) {
          this.#armTimer(this.#retryMs);
        } else if (this.#queue.size >= this.config.batchSize) {
          this.#scheduleSizeFlush();
        } else if (!this.#timer) {
          this.#armTimer(this.config.maxWaitMs);
        }
      }
    })();
    return this.#flushing;
  }

  async #writeBatch(batch: DevflowEvent[]): Promise<boolean> {
    const started = performance.now();
    for (const e of batch) if (isHeartbeat(e)) this.#pendingById.delete(e.id);
    let stored = 0;
    let duplicates = 0;
    const rejected: Array<{ id: string; error: string }> = [];
    try {
      for (const sink of this.#sinks) {
        const r = await sink.write(batch);
        stored = Math.max(stored, r.stored);
        duplicates = Math.max(duplicates, r.duplicates);
        rejected.push(...r.rejected);
      }
    } catch (err) {
      this.#stats.sinkFailures++;
      this.#retryMs = Math.min(30_000, this.#retryMs ? this.#retryMs * 2 : this.#retryBaseMs);
      this.#log.error(
        { err, size: batch.length, retryMs: this.#retryMs },
        "batch write failed; will retry",
      );
      for (const e of batch) if (isHeartbeat(e)) this.#pendingById.set(e.id, e);
      this.#queue.unshift(batch);
      return false;
    }
    this.#retryMs = 0;
    const latencyMs = performance.now() - started;
    this.#stats.recordBatch(stored, duplicates, rejected.length, latencyMs);
    for (const r of rejected)
      this.#log.warn({ id: r.id, error: r.error }, "event rejected by sink");
    this.#wakeWaiters();
    const report: BatchReport = {
      size: batch.length,
      ids: batch.map((e) => e.id),
      stored,
      duplicates,
      rejected,
      latencyMs,
    };
    for (const listener of this.#batchListeners) {
      try {
        listener(report);
      } catch (err) {
        this.#log.warn({ err }, "batch listener failed");
      }
    }
    return true;
  }

  #wakeWaiters(): void {
    let room = this.config.highWaterMark - this.#queue.size;
    while (room-- > 0 && this.#waiters.length > 0) this.#waiters.shift()!();
  }
}
