import { type DevflowEvent, DevflowError } from "@devflow/events";
import { BaseMonitor, type MonitorContext } from "./base-monitor.js";
import type { MonitorsConfig } from "./config.js";
import { heartbeatOf } from "./activity/signals.js";

/** Options of {@link ActivityTracker} beyond the config. */
export interface ActivityTrackerOptions {
  /** Clock for idle checks and signal age (default `Date.now`). */
  clock?: () => number;
  /** How often to look for projects gone idle (default: idleGapMs / 10, at most 30 s). */
  checkIntervalMs?: number;
  /**
   * Signals older than this on arrival (history imports, catch-up reads) are not activity
   * (default: idleGapMs).
   */
  maxSignalAgeMs?: number;
}

/** The event patterns whose events are signs of work. */
export const ACTIVITY_SIGNAL_PATTERNS = ["file.*", "git.*", "build.*", "test.*", "ai.*"] as const;

interface ProjectState {
  lastSignalAt: number;
  afk: boolean;
}

/**
 * ActivityTracker (the product's UserMonitor): active time from the other monitors' events.
 * Each signal of a project becomes an `activity.heartbeat` (see `heartbeatOf`) at the signal's
 * time; the engine merges identical consecutive heartbeats within its `pulsetimeMs`, which must
 * not exceed `idleGapMs` (set them equal). When a project has no signal for more than
 * `idleGapMs`, one `activity.afk` is emitted (`timestamp - idleMs` = the last signal), and
 * `activity.active` (`afterIdleMs` = the gap) when signals resume. Time totals: `activeTime`.
 */
export class ActivityTracker extends BaseMonitor {
  readonly #config: MonitorsConfig["activity"];
  readonly #clock: () => number;
  readonly #checkIntervalMs: number;
  readonly #maxSignalAgeMs: number;
  readonly #projects = new Map<string, ProjectState>();
  readonly #unsubscribe: Array<() => void> = [];
  /** Signals and idle checks run one at a time, in arrival order. */
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    ctx: MonitorContext,
    config: MonitorsConfig["activity"],
    options: ActivityTrackerOptions = {},
  ) {
    super("activity", ctx);
    this.#config = config;
    this.#clock = options.clock ?? Date.now;
    this.#checkIntervalMs =
      options.checkIntervalMs ?? Math.min(30_000, Math.max(1000, config.idleGapMs / 10));
    this.#maxSignalAgeMs = options.maxSignalAgeMs ?? config.idleGapMs;
  }

  protected onStart(): Promise<void> {
    const pulsetimeMs = this.ctx.engine.config.pulsetimeMs;
    if (pulsetimeMs > this.#config.idleGapMs) {
      throw new DevflowError(
        "MONITORS_PULSETIME_TOO_LONG",
        `engine.pulsetimeMs (${pulsetimeMs}) exceeds monitors.activity.idleGapMs (${this.#config.idleGapMs}): merged heartbeats would count idle time`,
        { data: { pulsetimeMs, idleGapMs: this.#config.idleGapMs } },
      );
    }
    for (const pattern of ACTIVITY_SIGNAL_PATTERNS) {
      this.#unsubscribe.push(this.ctx.engine.subscribe(pattern, (e) => this.#enqueue(e)));
    }
    this.#timer = setInterval(() => void this.checkIdle(), this.#checkIntervalMs);
    this.#timer.unref();
    return Promise.resolve();
  }

  protected async onStop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#chain;
  }

  /**
   * Emits `activity.afk` for every project without a signal for more than `idleGapMs` at
   * `now` (default: the clock), once per idle period. The tracker's timer calls it.
   */
  checkIdle(now = this.#clock()): Promise<void> {
    return this.#then(async () => {
      for (const [projectId, state] of this.#projects) {
        const idleMs = now - state.lastSignalAt;
        if (state.afk || idleMs <= this.#config.idleGapMs) continue;
        state.afk = true;
        await this.#emitAfk(projectId, now, idleMs);
      }
    });
  }

  #enqueue(event: DevflowEvent): Promise<void> {
    return this.#then(() => this.#onSignal(event));
  }

  #then(task: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(task).catch((err: unknown) => {
      this.count("errors");
      this.log.error({ err }, "activity tracking failed");
    });
    this.#chain = run;
    return run;
  }

  async #onSignal(event: DevflowEvent): Promise<void> {
    const projectId = event.projectId;
    if (projectId === undefined) return;
    if (this.ctx.project && projectId !== this.ctx.project.id) return;
    const heartbeat = heartbeatOf(event);
    if (heartbeat === null) return;
    const t = event.timestamp;
    if (this.#clock() - t > this.#maxSignalAgeMs) {
      this.count("staleSignals");
      return;
    }
    this.count("signals");
    const state = this.#projects.get(projectId);
    if (state === undefined) {
      this.#projects.set(projectId, { lastSignalAt: t, afk: false });
    } else if (t >= state.lastSignalAt) {
      const gap = t - state.lastSignalAt;
      if (gap > this.#config.idleGapMs || state.afk) {
        // Idle detected late (no check ran in the gap): the AFK period began at the last signal.
        if (!state.afk) {
          await this.#emitAfk(
            projectId,
            state.lastSignalAt + this.#config.idleGapMs,
            this.#config.idleGapMs,
          );
        }
        await this.emit({
          source: this.name,
          type: "activity.active",
          timestamp: t,
          projectId,
          data: { afterIdleMs: gap },
        });
      }
      state.lastSignalAt = t;
      state.afk = false;
    }
    await this.emit({
      source: this.name,
      type: "activity.heartbeat",
      timestamp: t,
      duration: 0,
      projectId,
      data: heartbeat,
    });
  }

  async #emitAfk(projectId: string, timestamp: number, idleMs: number): Promise<void> {
    await this.emit({
      source: this.name,
      type: "activity.afk",
      timestamp,
      projectId,
      data: { idleMs },
    });
  }
}
