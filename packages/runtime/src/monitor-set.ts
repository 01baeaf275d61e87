import type { EventEngine, Logger } from "@devflow/events";
import {
  ActivityTracker,
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

/** The monitors of a running DevFlow: per project (file, git, perf) and machine-wide. */
export class MonitorSet {
  readonly #byProject = new Map<string, BaseMonitor[]>();
  readonly #global: BaseMonitor[] = [];
  readonly #engine: EventEngine;
  readonly #storage: Storage;
  readonly #config: MonitorsConfig;
  readonly #logger: Logger | undefined;

  constructor(engine: EventEngine, storage: Storage, config: MonitorsConfig, logger?: Logger) {
    this.#engine = engine;
    this.#storage = storage;
    this.#config = config;
    this.#logger = logger;
  }

  /** Starts the machine-wide monitors (system, activity). */
  async startGlobal(): Promise<void> {
    const ctx = { engine: this.#engine, storage: this.#storage, logger: this.#logger };
    if (this.#config.activity.enabled)
      this.#global.push(new ActivityTracker(ctx, this.#config.activity));
    if (this.#config.system.enabled) this.#global.push(new SystemMonitor(ctx, this.#config.system));
    await this.#startAll(this.#global);
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
