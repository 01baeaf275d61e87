import { type EngineStatsSnapshot, EventEngine, type Logger, noopLogger } from "@devflow/events";
import type { AiMonitorOptions, MonitorStatus } from "@devflow/monitors";
import { openStorage, type Project, type Storage, type StorageInfo } from "@devflow/storage";
import { AnalysisLoop } from "./analysis-loop.js";
import type { DevflowConfig } from "./config.js";
import type { AddProjectReply } from "./control-client.js";
import { type ControlServer, startControlServer } from "./control-server.js";
import { BackgroundImports } from "./history-imports.js";
import { MonitorSet } from "./monitor-set.js";
import { ensureProject } from "./projects.js";
import { StateFile } from "./state-file.js";

/** Options for {@link createDevflow}. */
export interface CreateDevflowOptions {
  logger?: Logger;
  /** How often a started instance prunes old raw events (default 6 h). */
  pruneIntervalMs?: number;
  /** How often a started instance refreshes `$DEVFLOW_HOME/run/state.json` (default 5 s). */
  stateIntervalMs?: number;
  /** Options of the AI monitor beyond `monitors.ai` (tests pass a process table or sources). */
  ai?: AiMonitorOptions;
  /**
   * Serve the control channel (`<home>/run/control.sock`) while started, so `devflow watch`,
   * `status`, `project add|remove` and the MCP server reach this instance (default true).
   */
  control?: boolean;
}

/** Options for {@link Devflow.start}. */
export interface StartOptions {
  /** Start the machine-wide monitors and the monitors of the projects (default true). */
  monitors?: boolean;
  /** Ids of the projects to monitor (default: every registered project). */
  projects?: readonly string[];
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
  projects: Project[];
  monitors: MonitorStatus[];
}

/** A composed DevFlow: monitors → event engine → storage, plus its lifecycle. */
export interface Devflow {
  readonly config: DevflowConfig;
  readonly engine: EventEngine;
  readonly storage: Storage;
  readonly running: boolean;
  /**
   * Claims the home, starts retention, state publishing and (by default) the monitors, and with
   * them the periodic analyses (`analysis`) of the monitored projects.
   */
  start(options?: StartOptions): Promise<void>;
  /** Stops the analyses and the monitors, drains the engine, closes the database. Idempotent. */
  stop(): Promise<void>;
  /** Registers a project by path (idempotent); a running instance starts watching it. */
  addProject(path: string, name?: string): Promise<Project>;
  /** Unregisters a project and stops its monitors; its stored data is kept. */
  removeProject(id: string): Promise<boolean>;
  /**
   * Imports the git history of these projects in the background (one at a time, each announced
   * by a `git.history_imported` event); stop() aborts it.
   */
  importInBackground(projects: readonly Project[]): void;
  status(): DevflowStatus;
  /** The monitors' statuses alone: cheap (no database reads), for per-request use. */
  monitorStatuses(): MonitorStatus[];
  /** When `start()` completed (ms UTC), or null while stopped. */
  readonly startedAt: number | null;
}

const HOUR = 3_600_000;

/**
 * Composes DevFlow from a parsed config: opens (and migrates) the database, creates the event
 * engine and wires it to the storage sink. `start()` runs it, `stop()` closes it.
 *
 * @example
 * const devflow = createDevflow(loadConfig(), { logger });
 * await devflow.addProject(process.cwd());
 * await devflow.start();
 * await devflow.stop();
 */
export function createDevflow(config: DevflowConfig, options: CreateDevflowOptions = {}): Devflow {
  return new DevflowInstance(config, options);
}

class DevflowInstance implements Devflow {
  readonly config: DevflowConfig;
  readonly engine: EventEngine;
  readonly storage: Storage;
  readonly #log: Logger;
  readonly #options: CreateDevflowOptions;
  readonly #stateFile: StateFile;
  readonly #monitors: MonitorSet;
  readonly #analysis: AnalysisLoop;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #imports: BackgroundImports;
  #control: ControlServer | null = null;
  #controlError: string | null = null;
  #monitorsOn = false;
  #startedAt: number | null = null;
  #pruning: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(config: DevflowConfig, options: CreateDevflowOptions) {
    this.config = config;
    this.#options = options;
    this.#log = (options.logger ?? noopLogger).child({ component: "runtime" });
    this.storage = openStorage({
      path: config.storage.path,
      synchronous: config.storage.synchronous,
      busyTimeoutMs: config.storage.busyTimeoutMs,
      retentionDays: config.storage.retentionDays,
      logger: options.logger,
    });
    // One knob for active time: heartbeats merge across the same gap that ends a session.
    this.engine = new EventEngine({
      ...config.engine,
      pulsetimeMs: config.monitors.activity.idleGapMs,
      logger: options.logger,
    });
    this.engine.addSink(this.storage.sink);
    this.#stateFile = new StateFile(config.home);
    this.#monitors = new MonitorSet(this.engine, this.storage, config.monitors, {
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.ai ? { ai: options.ai } : {}),
    });
    this.#analysis = new AnalysisLoop({
      storage: this.storage,
      engine: this.engine,
      config: config.analysis,
      projects: () => this.#monitors.projectIds(),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.#imports = new BackgroundImports({
      storage: this.storage,
      engine: this.engine,
      messages: config.monitors.git.messages,
      logger: this.#log,
    });
  }

  get running(): boolean {
    return this.#startedAt !== null;
  }

  async start(options: StartOptions = {}): Promise<void> {
    if (this.#startedAt !== null) return;
    const now = Date.now();
    this.#stateFile.acquire({
      pid: process.pid,
      startedAt: now,
      updatedAt: now,
      database: this.config.storage.path,
      status: null,
    });
    this.#startedAt = now;
    this.#prune();
    this.#timers.push(
      setInterval(() => this.#prune(), this.#options.pruneIntervalMs ?? 6 * HOUR).unref(),
    );
    // A started DevFlow keeps the process alive, like a listening server, until stop().
    this.#timers.push(setInterval(() => this.#publish(), this.#options.stateIntervalMs ?? 5000));
    if (options.monitors ?? true) {
      this.#monitorsOn = true;
      await this.#monitors.startGlobal();
      const only = options.projects ? new Set(options.projects) : null;
      for (const project of this.storage.projects.list()) {
        if (!only || only.has(project.id)) await this.#monitors.startProject(project);
      }
      if (this.config.analysis.enabled) this.#analysis.start();
    }
    if (this.#options.control ?? true) await this.#serveControl();
    this.#publish();
    this.#log.info({ database: this.config.storage.path }, "devflow started");
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const t of this.#timers.splice(0)) clearInterval(t);
      try {
        await this.#control?.close();
        this.#control = null;
        await this.#imports.stop();
        await this.#analysis.stop();
        await this.#monitors.stopAll();
        if (this.#pruning) await this.#pruning;
        await this.engine.stop();
      } finally {
        if (this.#startedAt !== null) this.#stateFile.release();
        this.#startedAt = null;
        this.storage.close();
        this.#log.info("devflow stopped");
      }
    })();
    return this.#stopping;
  }

  async addProject(path: string, name?: string): Promise<Project> {
    const { project, created } = ensureProject(this.storage, path, name);
    if (created)
      this.#log.info({ projectId: project.id, rootPath: project.rootPath }, "project registered");
    if (this.#monitorsOn) await this.#monitors.startProject(project);
    return project;
  }

  async removeProject(id: string): Promise<boolean> {
    await this.#monitors.stopProject(id);
    return this.storage.projects.remove(id);
  }

  importInBackground(projects: readonly Project[]): void {
    this.#imports.add(projects);
  }

  /** The control channel: status, project add/remove, live events; only the lock owner serves. */
  async #serveControl(): Promise<void> {
    try {
      this.#control = await startControlServer({
        home: this.config.home,
        ...(this.#options.logger ? { logger: this.#options.logger } : {}),
        handlers: {
          status: () => this.status(),
          addProject: async (path, name): Promise<AddProjectReply> => {
            const { project, created } = ensureProject(this.storage, path, name);
            if (this.#monitorsOn) {
              await this.#monitors.startProject(project);
              this.#imports.add([project]);
            }
            this.#log.info({ projectId: project.id, created }, "project added over the channel");
            return { project, created, monitoring: this.#monitorsOn };
          },
          removeProject: async (id) => ({ removed: await this.removeProject(id) }),
          subscribe: (pattern, handler) => this.engine.subscribe(pattern, handler),
        },
      });
      this.#controlError = null;
    } catch (err) {
      this.#controlError = err instanceof Error ? err.message : String(err);
      this.#log.error({ err }, "control channel not available");
    }
  }

  get startedAt(): number | null {
    return this.#startedAt;
  }

  monitorStatuses(): MonitorStatus[] {
    return this.#monitors.statuses();
  }

  status(): DevflowStatus {
    return {
      running: this.#startedAt !== null,
      pid: process.pid,
      startedAt: this.#startedAt,
      home: this.config.home,
      database: this.storage.info(),
      engine: this.engine.stats(),
      components: this.#components(),
      projects: this.storage.projects.list(),
      monitors: this.#monitors.statuses(),
    };
  }

  #components(): ComponentStatus[] {
    const state = this.#startedAt !== null ? "running" : "stopped";
    const { engine, storage } = this.config;
    return [
      {
        name: "event engine",
        state,
        detail: `batches of ≤ ${engine.batchSize} events or ≤ ${engine.maxWaitMs} ms, queue bound ${engine.highWaterMark}`,
      },
      {
        name: "storage",
        state,
        detail: `SQLite ${storage.path} (WAL, synchronous=${storage.synchronous})`,
      },
      {
        name: "retention",
        state,
        detail: `raw events kept ${storage.retentionDays} days, rollups kept`,
      },
      this.#analysisComponent(),
      this.#controlComponent(),
    ];
  }

  #controlComponent(): ComponentStatus {
    if (this.#control !== null) {
      return {
        name: "control channel",
        state: "running",
        detail: `${this.#control.path} (${this.#control.clients} clients, ${this.#control.counters.dropped} events dropped for slow clients)`,
      };
    }
    return {
      name: "control channel",
      state: this.#controlError !== null ? "error" : "stopped",
      detail: this.#controlError ?? "off",
    };
  }

  #analysisComponent(): ComponentStatus {
    const { analysis } = this.config;
    const loop = this.#analysis.status();
    const every = `stages and bottlenecks of the monitored projects every ${formatMs(analysis.intervalMs)}`;
    const last =
      loop.lastRunAt === null
        ? `, first run ${formatMs(analysis.initialDelayMs)} after start`
        : `, last run ${new Date(loop.lastRunAt).toISOString()} (${loop.lastDurationMs} ms)`;
    return {
      name: "analysis",
      state:
        !analysis.enabled || !this.#monitorsOn
          ? "stopped"
          : this.#startedAt !== null
            ? "running"
            : "stopped",
      detail: analysis.enabled
        ? `${every}${last}${loop.errors > 0 ? `, ${loop.errors} failed` : ""}`
        : "off (analysis.enabled = false)",
    };
  }

  #prune(): void {
    this.#pruning ??= this.storage
      .prune({ retentionDays: this.config.storage.retentionDays })
      .then(
        (r) => {
          if (r.deleted > 0)
            this.#log.info({ deleted: r.deleted, cutoff: r.cutoff }, "pruned old raw events");
        },
        (err: unknown) => this.#log.error({ err }, "retention prune failed"),
      )
      .finally(() => (this.#pruning = undefined));
  }

  #publish(): void {
    if (this.#startedAt === null) return;
    try {
      this.#stateFile.write({
        pid: process.pid,
        startedAt: this.#startedAt,
        updatedAt: Date.now(),
        database: this.config.storage.path,
        status: this.status(),
      });
    } catch (err) {
      this.#log.warn({ err }, "could not write the state file");
    }
  }
}

/** `300000` → `5 min`, `1500` → `1.5 s`. */
function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
