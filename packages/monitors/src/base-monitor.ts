import {
  type EventEngine,
  type EventInput,
  isDevflowError,
  type Logger,
  noopLogger,
} from "@devflow/events";
import type { Storage } from "@devflow/storage";

/** Health of a monitor, as `devflow status` shows it. */
export type MonitorHealth = "stopped" | "starting" | "healthy" | "degraded" | "error";

/** The project a monitor watches. */
export interface MonitorProject {
  id: string;
  name: string;
  /** Absolute path of the project root. */
  rootPath: string;
}

/** What every monitor gets: where events go, where state lives, how to log. */
export interface MonitorContext {
  engine: EventEngine;
  storage: Storage;
  logger?: Logger;
  /** The watched project; absent for machine-wide monitors (system). */
  project?: MonitorProject;
}

/** A snapshot of a monitor for status displays. */
export interface MonitorStatus {
  /** Monitor kind: `file`, `git`, `perf`, `system`, `activity`. */
  name: string;
  projectId: string | null;
  health: MonitorHealth;
  /** What is wrong, when degraded or in error. */
  message: string | null;
  /** How to fix it, when known (e.g. the sysctl to raise inotify limits). */
  fix: string | null;
  startedAt: number | null;
  lastEventAt: number | null;
  counters: Record<string, number>;
}

/**
 * The contract of every monitor: `start`, `stop`, `status()` with health and counters; events
 * go out through the engine. Subclasses implement `onStart`/`onStop` and call `emit`.
 */
export abstract class BaseMonitor {
  readonly name: string;
  protected readonly ctx: MonitorContext;
  protected readonly log: Logger;
  #health: MonitorHealth = "stopped";
  #message: string | null = null;
  #fix: string | null = null;
  #startedAt: number | null = null;
  #lastEventAt: number | null = null;
  readonly #counters: Record<string, number> = { events: 0, invalidEvents: 0 };

  protected constructor(name: string, ctx: MonitorContext) {
    this.name = name;
    this.ctx = ctx;
    this.log = (ctx.logger ?? noopLogger).child({ monitor: name, projectId: ctx.project?.id });
  }

  /** Starts the monitor; a failure leaves it in `error` health with the reason, and rethrows. */
  async start(): Promise<void> {
    if (this.#startedAt !== null) return;
    this.#health = "starting";
    this.#startedAt = Date.now();
    try {
      await this.onStart();
      if (this.#health === "starting") this.#health = "healthy";
    } catch (err) {
      this.setHealth("error", err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  /** Stops the monitor and releases its watchers and timers. Idempotent. */
  async stop(): Promise<void> {
    if (this.#startedAt === null) return;
    try {
      await this.onStop();
    } finally {
      this.#startedAt = null;
      this.#health = "stopped";
    }
  }

  status(): MonitorStatus {
    return {
      name: this.name,
      projectId: this.ctx.project?.id ?? null,
      health: this.#health,
      message: this.#message,
      fix: this.#fix,
      startedAt: this.#startedAt,
      lastEventAt: this.#lastEventAt,
      counters: { ...this.#counters },
    };
  }

  protected abstract onStart(): Promise<void>;
  protected abstract onStop(): Promise<void>;

  /** Sets health; `healthy` clears the message and fix. */
  protected setHealth(health: MonitorHealth, message?: string, fix?: string): void {
    this.#health = health;
    this.#message = health === "healthy" ? null : (message ?? null);
    this.#fix = health === "healthy" ? null : (fix ?? null);
    if (health === "error" || health === "degraded") {
      this.log.warn({ health, fix }, message ?? health);
    }
  }

  /** Adds to a named counter shown by `status()`. */
  protected count(counter: string, by = 1): void {
    this.#counters[counter] = (this.#counters[counter] ?? 0) + by;
  }

  /**
   * Emits an event with this monitor as `source` and its project as `projectId`. An invalid
   * event is counted and logged, never thrown: a monitor must keep running.
   */
  protected async emit(input: EventInput): Promise<boolean> {
    try {
      await this.ctx.engine.emit({
        ...input,
        source: input.source ?? this.name,
        projectId: input.projectId ?? this.ctx.project?.id,
      });
      this.count("events");
      this.#lastEventAt = Date.now();
      return true;
    } catch (err) {
      this.count("invalidEvents");
      this.log.error({ err, type: input.type }, isDevflowError(err) ? err.message : "emit failed");
      return false;
    }
  }
}
