import {
  EventEngine,
  type DevflowEvent,
  type EventEngineOptions,
  type EventInput,
  type EventSink,
  type Logger,
  type SinkResult,
} from "../src/index.js";

const liveEngines = new Set<EventEngine>();

/**
 * A new engine with a {@link RecordingSink}; `maxWaitMs` defaults to a minute so that only size,
 * flush() or the test's own setting writes batches. Call {@link stopEngines} in `afterEach`.
 */
export function createEngine(options: EventEngineOptions = {}, sink = new RecordingSink()) {
  const engine = new EventEngine({ maxWaitMs: 60_000, ...options });
  engine.addSink(sink);
  liveEngines.add(engine);
  return { engine, sink };
}

/** Stops every engine made by {@link createEngine} (their timers would outlive the test). */
export async function stopEngines(): Promise<void> {
  const engines = [...liveEngines];
  liveEngines.clear();
  await Promise.all(engines.map((e) => e.stop()));
}

/** Resolves after `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when `promise` has not settled after the pending microtasks and one macrotask. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol("pending");
  const winner = await Promise.race([
    promise.then(
      () => null,
      () => null,
    ),
    sleep(0).then(() => marker),
  ]);
  return winner === marker;
}

/** A `file.changed` event input. */
export function fileChanged(path: string, extra: Partial<EventInput> = {}): EventInput {
  return { type: "file.changed", source: "test", data: { path }, ...extra } as EventInput;
}

/** An `activity.heartbeat` input at `timestamp` (ms). */
export function heartbeat(
  timestamp: number,
  data: { category?: string; language?: string; entity?: string } = {},
  extra: Partial<EventInput> = {},
): EventInput {
  return {
    type: "activity.heartbeat",
    source: "editor",
    projectId: "p1",
    timestamp,
    data: { category: "coding", language: "typescript", entity: "src/a.ts", ...data },
    ...extra,
  } as EventInput;
}

/**
 * An in-memory {@link EventSink} that records every batch it accepted. It is idempotent on event
 * id like a real store: a second write of a known id is a duplicate that updates the row (this is
 * how a merged heartbeat extends its stored duration). It can be blocked, slowed down, or told to
 * fail its next writes.
 */
export class RecordingSink implements EventSink {
  readonly name: string;
  /** Snapshots of every accepted batch, in write order. */
  readonly batches: DevflowEvent[][] = [];
  /** Stored rows by id (the latest version of each). */
  readonly rows = new Map<string, DevflowEvent>();
  /** Every call to `write`, failed ones included. */
  attempts = 0;
  /** Time of each call to `write` (performance.now()). */
  readonly attemptTimes: number[] = [];
  readonly #delayMs: number;
  #failures: Array<"throw" | "reject"> = [];
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  #writeWatchers: Array<() => void> = [];

  constructor(options: { name?: string; delayMs?: number } = {}) {
    this.name = options.name ?? "recording";
    this.#delayMs = options.delayMs ?? 0;
  }

  /** Every accepted event, in write order (a heartbeat written twice appears twice). */
  get written(): DevflowEvent[] {
    return this.batches.flat();
  }

  /** Ids of every accepted event, in write order. */
  get ids(): string[] {
    return this.written.map((e) => e.id);
  }

  /** Makes the next `times` writes fail: `throw` synchronously or `reject` asynchronously. */
  failNext(times = 1, mode: "throw" | "reject" = "throw"): void {
    for (let i = 0; i < times; i++) this.#failures.push(mode);
  }

  /** Makes writes wait until {@link release} is called. */
  block(): void {
    this.#gate ??= new Promise<void>((resolve) => (this.#open = resolve));
  }

  /** Lets blocked writes through. */
  release(): void {
    this.#open?.();
    this.#gate = undefined;
    this.#open = undefined;
  }

  /** Resolves once `write` has been called `count` times in all (failed calls included). */
  attempted(count = 1): Promise<void> {
    if (this.attempts >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.attempts >= count) resolve();
        else this.#writeWatchers.push(check);
      };
      this.#writeWatchers.push(check);
    });
  }

  write(batch: readonly DevflowEvent[]): SinkResult | Promise<SinkResult> {
    this.attempts++;
    this.attemptTimes.push(performance.now());
    for (const watch of this.#writeWatchers.splice(0)) watch();
    const failure = this.#failures.shift();
    if (failure === "throw") throw new Error("sink unavailable");
    // Snapshot now: the engine may still extend a queued heartbeat object later.
    const snapshot = batch.map((e) => structuredClone(e));
    if (failure === "reject") return Promise.reject(new Error("sink unavailable"));
    if (!this.#gate && this.#delayMs === 0) return this.#store(snapshot);
    return (async () => {
      if (this.#gate) await this.#gate;
      if (this.#delayMs > 0) await sleep(this.#delayMs);
      return this.#store(snapshot);
    })();
  }

  #store(batch: DevflowEvent[]): SinkResult {
    let stored = 0;
    let duplicates = 0;
    for (const event of batch) {
      if (this.rows.has(event.id)) duplicates++;
      else stored++;
      this.rows.set(event.id, event);
    }
    this.batches.push(batch);
    return { stored, duplicates, rejected: [] };
  }
}

/** One call recorded by {@link RecordingLogger}. */
export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  bindings: Record<string, unknown>;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/** A {@link Logger} that records every call (with the bindings of its child chain). */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[];
  readonly #bindings: Record<string, unknown>;

  constructor(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}) {
    this.entries = entries;
    this.#bindings = bindings;
  }

  debug = this.#method("debug");
  info = this.#method("info");
  warn = this.#method("warn");
  error = this.#method("error");

  child(bindings: Record<string, unknown>): Logger {
    return new RecordingLogger(this.entries, { ...this.#bindings, ...bindings });
  }

  #method(level: LogEntry["level"]) {
    return (objOrMsg: Record<string, unknown> | string, msg?: string): void => {
      const entry =
        typeof objOrMsg === "string"
          ? { level, bindings: this.#bindings, obj: {}, msg: objOrMsg }
          : { level, bindings: this.#bindings, obj: objOrMsg, msg };
      this.entries.push(entry);
    };
  }
}
