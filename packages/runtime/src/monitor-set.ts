import type { EventEngine, Logger } from "@devflow/events";
import {
  ActivityTracker,
  AiMonitor,
  type AiMonitorOptions,
  type BaseMonitor,
  FileMonitor,
  GitMonitor,
  type MonitorProject,
  type MonitorsConfig,
  type MonitorStatus,
  PerfMonitor,
  SystemMonitor,
} from "@devflow/monitors";
import type { Storage } from "@devflow/storage";

/** Options of {@link MonitorSet}. */
export interface MonitorSetOptions {
  logger?: Logger;
  /** Options of the AI monitor (tests pass their own process table). */
  ai?: AiMonitorOptions;
}

/** The monitors of a running DevFlow: per project (file, git, perf) and machine-wide (system, activity, AI). */
export class MonitorSet {
  readonly #byProject = new Map<string, BaseMonitor[]>();
  readonly #global: BaseMonitor[] = [];
  readonly #engine: EventEngine;
  readonly #storage: Storage;
  readonly #config: MonitorsConfig;
  readonly #logger: Logger | undefined;
  readonly #ai: AiMonitorOptions;

  constructor(
    engine: EventEngine,
    storage: Storage,
    config: MonitorsConfig,
    options: MonitorSetOptions = {},
  ) {
    this.#engine = engine;
    this.#storage = storage;
    this.#config = config;
    this.#logger = options.logger;
    this.#ai = options.ai ?? {};
  }

  /**
   * Starts the machine-wide monitors: system, activity and AI assistants (`monitors.ai`: its
   * roots, sources and prompt privacy; the first read of the transcripts runs in the background).
   */
  async startGlobal(): Promise<void> {
    const ctx = { engine: this.#engine, storage: this.#storage, logger: this.#logger };
    if (this.#config.activity.enabled)
      this.#global.push(new ActivityTracker(ctx, this.#config.activity));
    if (this.#config.system.enabled) this.#global.push(new SystemMonitor(ctx, this.#config.system));
    if (this.#config.ai.enabled) this.#global.push(new AiMonitor(ctx, this.#config.ai, this.#ai));
    await this.#startAll(this.#global);
  }

  /** Ids of the projects whose monitors run. */
  projectIds(): string[] {
    return [...this.#byProject.keys()];
  }

  /** Starts the file, git and perf monitors of one project (no-op when already watched). */
  async startProject(project: MonitorProject): Promise<void> {
    if (this.#byProject.has(project.id)) return;
    const ctx = { engine: this.#engine, storage: this.#storage, logger: this.#logger, project };
    const monitors: BaseMonitor[] = [];
    if (this.#config.file.enabled) monitors.push(new FileMonitor(ctx, this.#config.file));
    if (this.#config.git.enabled) monitors.push(new GitMonitor(ctx, this.#config.git));
    if (this.#config.perf.enabled) monitors.push(new PerfMonitor(ctx, this.#config.perf));
    this.#byProject.set(project.id, monitors);
    await this.#startAll(monitors);
  }

  /** Stops and forgets the monitors of one project. */
  async stopProject(projectId: string): Promise<void> {
    const monitors = this.#byProject.get(projectId);
    this.#byProject.delete(projectId);
    if (monitors) await Promise.allSettled(monitors.map((m) => m.stop()));
  }

  /** Stops everything; monitors stop before the engine drains, so their last events persist. */
  async stopAll(): Promise<void> {
    const all = [...[...this.#byProject.values()].flat(), ...this.#global];
    this.#byProject.clear();
    this.#global.length = 0;
    await Promise.allSettled(all.map((m) => m.stop()));
  }

  statuses(): MonitorStatus[] {
    return [...[...this.#byProject.values()].flat(), ...this.#global].map((m) => m.status());
  }

  /** A monitor that fails to start is left in `error` health (shown by status), not fatal. */
  async #startAll(monitors: BaseMonitor[]): Promise<void> {
    await Promise.all(
      monitors.map((m) =>
        m.start().catch((err: unknown) => {
          this.#logger?.error({ err, monitor: m.name }, "monitor failed to start");
        }),
      ),
    );
  }
}
