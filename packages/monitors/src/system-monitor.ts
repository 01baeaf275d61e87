import { statfsSync } from "node:fs";
import { cpus, freemem, homedir, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { EventOf } from "@devflow/events";
import { BaseMonitor, type MonitorContext } from "./base-monitor.js";
import type { MonitorsConfig } from "./config.js";

/** One machine sample: the `data` of a `system.sample` event. */
export type SystemSample = EventOf<"system.sample">["data"];

/** Options of {@link SystemMonitor} beyond the config. */
export interface SystemMonitorOptions {
  /** Replaces the real sampler (tests, other platforms). */
  sampler?: () => SystemSample;
  /** The filesystem whose usage is sampled (default: the DevFlow home, else the project). */
  diskPath?: string;
  /** Clock for alert timing (default `Date.now`). */
  now?: () => number;
}

/** The metrics that can raise alerts, with their config keys. */
const ALERT_METRICS = ["cpuPercent", "memoryPercent"] as const;
type AlertMetric = (typeof ALERT_METRICS)[number];

const round2 = (n: number) => Math.round(n * 100) / 100;
const clampPercent = (n: number) => round2(Math.min(100, Math.max(0, n)));

/**
 * Samples the machine: CPU % from `os.cpus()` time deltas since the previous sample (the first
 * one measures from construction), memory used/total (`os.freemem` is the kernel's available
 * memory), load averages, disk usage % of `diskPath` (`fs.statfsSync`, as `df` computes it),
 * this process's RSS, and event-loop lag: the worst timer delay beyond the histogram's 20 ms
 * resolution since the previous sample (`perf_hooks.monitorEventLoopDelay`).
 */
export class SystemSampler {
  static readonly RESOLUTION_MS = 20;
  readonly #diskPath: string | undefined;
  readonly #loop = monitorEventLoopDelay({ resolution: SystemSampler.RESOLUTION_MS });
  #cpu = cpuTimes();

  constructor(diskPath?: string) {
    this.#diskPath = diskPath;
    this.#loop.enable();
  }

  sample(): SystemSample {
    const now = cpuTimes();
    const busy = now.busy - this.#cpu.busy;
    const total = now.total - this.#cpu.total;
    this.#cpu = now;
    const memoryTotalBytes = totalmem();
    const memoryUsedBytes = Math.max(0, memoryTotalBytes - freemem());
    const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
    const lagNs = this.#loop.count > 0 ? this.#loop.max : 0;
    this.#loop.reset();
    const disk = this.#diskPath === undefined ? undefined : diskUsedPercent(this.#diskPath);
    return {
      cpuPercent: total > 0 ? clampPercent((busy / total) * 100) : 0,
      memoryPercent:
        memoryTotalBytes > 0 ? clampPercent((memoryUsedBytes / memoryTotalBytes) * 100) : 0,
      memoryUsedBytes,
      memoryTotalBytes,
      load1: round2(load1),
      load5: round2(load5),
      load15: round2(load15),
      ...(disk === undefined ? {} : { diskUsedPercent: disk }),
      processRssBytes: process.memoryUsage.rss(),
      eventLoopLagMs: round2(Math.max(0, lagNs / 1e6 - SystemSampler.RESOLUTION_MS)),
    };
  }

  /** Stops the event-loop histogram. */
  close(): void {
    this.#loop.disable();
  }
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Used space of the filesystem holding `path`, in % as `df` shows it; `undefined` if unknown. */
export function diskUsedPercent(path: string): number | undefined {
  try {
    const s = statfsSync(path);
    const used = s.blocks - s.bfree;
    const usable = used + s.bavail;
    return usable > 0 ? clampPercent((used / usable) * 100) : undefined;
  } catch {
    return undefined;
  }
}

interface AlertState {
  /** When the value went above the threshold, or `null` while below. */
  aboveSince: number | null;
  raised: boolean;
}

/**
 * SystemMonitor: a `system.sample` (severity debug) every `intervalMs`, and sustained-threshold
 * alerts. When CPU % exceeds `cpuPercent` (or memory % exceeds `memoryPercent`) in every sample
 * for at least `sustainMs`, one `system.alert` `raised` is emitted; the first sample back at or
 * below the threshold emits one `cleared` (with `sustainedMs` = how long it stayed above).
 */
export class SystemMonitor extends BaseMonitor {
  readonly #config: MonitorsConfig["system"];
  readonly #options: SystemMonitorOptions;
  readonly #alerts: Record<AlertMetric, AlertState> = {
    cpuPercent: { aboveSince: null, raised: false },
    memoryPercent: { aboveSince: null, raised: false },
  };
  #sampler: SystemSampler | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #samplingFailed = false;

  constructor(
    ctx: MonitorContext,
    config: MonitorsConfig["system"],
    options: SystemMonitorOptions = {},
  ) {
    super("system", ctx);
    this.#config = config;
    this.#options = options;
  }

  protected onStart(): Promise<void> {
    if (!this.#options.sampler) this.#sampler = new SystemSampler(this.#diskPath());
    this.#timer = setInterval(() => {
      if (this.#tick) return; // the previous sample is still being emitted
      this.#tick = this.sampleNow().finally(() => (this.#tick = undefined));
    }, this.#config.intervalMs);
    this.#timer.unref();
    return Promise.resolve();
  }

  protected async onStop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#tick;
    this.#sampler?.close();
    this.#sampler = undefined;
  }

  /**
   * Takes one sample now, emits it and updates the alerts. The interval timer calls this;
   * tests call it directly with an injected sampler and clock.
   */
  async sampleNow(): Promise<void> {
    let sample: SystemSample;
    try {
      sample = this.#options.sampler ? this.#options.sampler() : this.#realSampler().sample();
    } catch (err) {
      this.count("sampleErrors");
      this.#samplingFailed = true;
      this.setHealth(
        "degraded",
        `sampling failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return;
    }
    if (this.#samplingFailed) {
      this.#samplingFailed = false;
      this.setHealth("healthy");
    }
    const now = (this.#options.now ?? Date.now)();
    this.count("samples");
    await this.emit({ source: this.name, type: "system.sample", timestamp: now, data: sample });
    for (const metric of ALERT_METRICS) await this.#checkAlert(metric, sample[metric], now);
  }

  #realSampler(): SystemSampler {
    this.#sampler ??= new SystemSampler(this.#diskPath());
    return this.#sampler;
  }

  #diskPath(): string {
    if (this.#options.diskPath !== undefined) return this.#options.diskPath;
    const db = this.ctx.storage.path;
    if (db && db !== ":memory:" && !db.startsWith("file::memory:")) return dirname(db);
    return this.ctx.project?.rootPath ?? homedir();
  }

  async #checkAlert(metric: AlertMetric, value: number, now: number): Promise<void> {
    const threshold = this.#config[metric];
    const state = this.#alerts[metric];
    if (value > threshold) {
      state.aboveSince ??= now;
      const sustainedMs = now - state.aboveSince;
      if (!state.raised && sustainedMs >= this.#config.sustainMs) {
        state.raised = true;
        this.count("alerts");
        await this.emit({
          source: this.name,
          type: "system.alert",
          timestamp: now,
          data: { metric, value, threshold, sustainedMs, state: "raised" },
        });
      }
      return;
    }
    const since = state.aboveSince;
    state.aboveSince = null;
    if (!state.raised || since === null) return;
    state.raised = false;
    await this.emit({
      source: this.name,
      type: "system.alert",
      severity: "info",
      timestamp: now,
      data: { metric, value, threshold, sustainedMs: now - since, state: "cleared" },
    });
  }
}
