import { type EngineStatsSnapshot, EventEngine, type Logger, noopLogger } from "@devflow/events";
import { openStorage, type Storage, type StorageInfo } from "@devflow/storage";
import type { DevflowConfig } from "./config.js";
import { StateFile } from "./state-file.js";

/** Options for {@link createDevflow}. */
export interface CreateDevflowOptions {
  logger?: Logger;
  /** How often a started instance prunes old raw events (default 6 h). */
  pruneIntervalMs?: number;
  /** How often a started instance refreshes `$DEVFLOW_HOME/run/state.json` (default 5 s). */
  stateIntervalMs?: number;
}

/** One started part of DevFlow, as `devflow up` and `devflow status` show it. */
export interface ComponentStatus {
  name: string;
  state: "running" | "stopped" | "error";
  detail: string;
}

/** A snapshot of a DevFlow instance. */
export interface DevflowStatus {
  running: boolean;
  pid: number;
  startedAt: number | null;
  home: string;
  database: StorageInfo;
  engine: EngineStatsSnapshot;
  components: ComponentStatus[];
}

/** A composed DevFlow: the event engine writing to storage, plus its lifecycle. */
export interface Devflow {
  readonly config: DevflowConfig;
  readonly engine: EventEngine;
  readonly storage: Storage;
  readonly running: boolean;
  /** Starts the background work (retention, state publishing) and claims the home. */
  start(): Promise<void>;
  /** Drains the engine, stops the background work and closes the database. Idempotent. */
  stop(): Promise<void>;
  status(): DevflowStatus;
}

const HOUR = 3_600_000;

/**
 * Composes DevFlow from a parsed config: opens (and migrates) the database, creates the event
 * engine and wires it to the storage sink. Call `start()` to run it, `stop()` to close it.
 *
 * @example
 * const devflow = createDevflow(loadConfig(), { logger });
 * await devflow.start();
 * await devflow.engine.emit({ type: "file.changed", source: "me", data: { path: "a.ts" } });
 * await devflow.stop();
 */
export function createDevflow(config: DevflowConfig, options: CreateDevflowOptions = {}): Devflow {
  const log = (options.logger ?? noopLogger).child({ component: "runtime" });
  const storage = openStorage({
    path: config.storage.path,
    synchronous: config.storage.synchronous,
    busyTimeoutMs: config.storage.busyTimeoutMs,
    logger: options.logger,
  });
  const engine = new EventEngine({ ...config.engine, logger: options.logger });
  engine.addSink(storage.sink);
  const stateFile = new StateFile(config.home);
  const timers: NodeJS.Timeout[] = [];
  let startedAt: number | null = null;
  let stopping: Promise<void> | undefined;

  let pruning: Promise<void> | undefined;
  const prune = (): void => {
    pruning ??= storage
      .prune({ retentionDays: config.storage.retentionDays })
      .then(
        (r) => {
          if (r.deleted > 0)
            log.info({ deleted: r.deleted, cutoff: r.cutoff }, "pruned old raw events");
        },
        (err: unknown) => log.error({ err }, "retention prune failed"),
      )
      .finally(() => (pruning = undefined));
  };

  const components = (): ComponentStatus[] => {
    const running = startedAt !== null ? "running" : "stopped";
    const { batchSize, maxWaitMs, highWaterMark } = config.engine;
    return [
      {
        name: "event engine",
        state: running,
        detail: `batches of ≤ ${batchSize} events or ≤ ${maxWaitMs} ms, queue bound ${highWaterMark}`,
      },
      {
        name: "storage",
        state: running,
        detail: `SQLite ${config.storage.path} (WAL, synchronous=${config.storage.synchronous})`,
      },
      {
        name: "retention",
        state: running,
        detail: `raw events kept ${config.storage.retentionDays} days, rollups kept`,
      },
    ];
  };

  const status = (): DevflowStatus => ({
    running: startedAt !== null,
    pid: process.pid,
    startedAt,
    home: config.home,
    database: storage.info(),
    engine: engine.stats(),
    components: components(),
  });

  const publish = (): void => {
    if (startedAt === null) return;
    try {
      stateFile.write({
        pid: process.pid,
        startedAt,
        updatedAt: Date.now(),
        database: config.storage.path,
        status: status(),
      });
    } catch (err) {
      log.warn({ err }, "could not write the state file");
    }
  };

  return {
    config,
    engine,
    storage,
    get running() {
      return startedAt !== null;
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- async so a refused start rejects
    async start() {
      if (startedAt !== null) return;
      const now = Date.now();
      stateFile.acquire({
        pid: process.pid,
        startedAt: now,
        updatedAt: now,
        database: config.storage.path,
        status: null,
      });
      startedAt = now;
      prune();
      timers.push(setInterval(prune, options.pruneIntervalMs ?? 6 * HOUR).unref());
      // A started DevFlow keeps the process alive, like a listening server, until stop().
      timers.push(setInterval(publish, options.stateIntervalMs ?? 5000));
      publish();
      log.info({ database: config.storage.path }, "devflow started");
    },
    stop() {
      stopping ??= (async () => {
        for (const t of timers.splice(0)) clearInterval(t);
        if (pruning) await pruning;
        try {
          await engine.stop();
        } finally {
          if (startedAt !== null) stateFile.release();
          startedAt = null;
          storage.close();
          log.info("devflow stopped");
        }
      })();
      return stopping;
    },
    status,
  };
}
