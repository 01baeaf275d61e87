import { type EventEngine, isDevflowError, type Logger, noopLogger } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { AnalysisJobs } from "./analysis-jobs.js";
import type { AnalysisConfig } from "./config.js";

/** What one run of the analyses did for one project. */
export interface ProjectAnalysis {
  projectId: string;
  /** Events the stage analysis read. */
  events: number;
  /** Stage transitions newly stored. */
  transitions: number;
  /** Bottlenecks newly found and resolved. */
  opened: number;
  resolved: number;
  /** Why the analyses of this project failed, when they did. */
  error?: string;
}

/** One run of the analyses over the monitored projects. */
export interface AnalysisRun {
  /** When it started (ms UTC). */
  at: number;
  durationMs: number;
  projects: ProjectAnalysis[];
}

/** Options of {@link AnalysisLoop}. */
export interface AnalysisLoopOptions {
  storage: Storage;
  /**
   * Flushed before each run, so the analyses see the events monitored so far; the analyses'
   * own events go through it.
   */
  engine: EventEngine;
  config: AnalysisConfig;
  /** The projects to analyse, asked at each run. */
  projects: () => readonly string[];
  logger?: Logger;
}

/** The loop's counters, as `devflow status` shows them. */
export interface AnalysisLoopStatus {
  runs: number;
  lastRunAt: number | null;
  lastDurationMs: number | null;
  /** Project analyses that failed, over every run. */
  errors: number;
}

/**
 * Keeps the analyses of the work current while DevFlow runs: `initialDelayMs` after start and
 * then every `intervalMs` (runs never overlap), for each monitored project, the stage analysis
 * ({@link AnalysisJobs.refreshStages}: new events since the last run, transitions stored and
 * emitted as `stage.transition`) and the bottleneck detector
 * ({@link AnalysisJobs.refreshBottlenecks}: `bottleneck.detected`/`resolved`), both through the
 * engine. A failing project is logged and counted, never fatal; `stop()` waits for a run in
 * progress.
 */
export class AnalysisLoop {
  readonly #options: AnalysisLoopOptions;
  readonly #log: Logger;
  readonly #jobs: AnalysisJobs;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<AnalysisRun> | undefined;
  #started = false;
  /** Set by `stop()`: nothing more is scheduled and a run in progress skips its other projects. */
  #stopping = false;
  readonly #status: AnalysisLoopStatus = {
    runs: 0,
    lastRunAt: null,
    lastDurationMs: null,
    errors: 0,
  };

  constructor(options: AnalysisLoopOptions) {
    this.#options = options;
    this.#log = (options.logger ?? noopLogger).child({ component: "analysis" });
    this.#jobs = new AnalysisJobs({ storage: options.storage, engine: options.engine });
  }

  /** The persisting analysis jobs this loop runs (for tools that need them current). */
  get jobs(): AnalysisJobs {
    return this.#jobs;
  }

  /** Schedules the first run after `initialDelayMs`. Idempotent. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stopping = false;
    this.#schedule(this.#options.config.initialDelayMs);
  }

  /** Cancels the next run and waits for the one in progress. Idempotent. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#started = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
    this.#stopping = false;
  }

  /** The loop's counters. */
  status(): AnalysisLoopStatus {
    return { ...this.#status };
  }

  /** Runs the analyses now, also while stopped (joins a run in progress). Never rejects. */
  runOnce(): Promise<AnalysisRun> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  #schedule(delayMs: number): void {
    if (!this.#started) return;
    this.#timer = setTimeout(() => {
      void this.runOnce().then(() => this.#schedule(this.#options.config.intervalMs));
    }, delayMs);
    this.#timer.unref();
  }

  async #run(): Promise<AnalysisRun> {
    const at = Date.now();
    const { engine } = this.#options;
    try {
      await engine.flush();
    } catch (err) {
      this.#log.warn({ err }, "could not flush events before the analyses");
    }
    const projects: ProjectAnalysis[] = [];
    for (const projectId of this.#options.projects()) {
      if (this.#stopping) break;
      const result: ProjectAnalysis = {
        projectId,
        events: 0,
        transitions: 0,
        opened: 0,
        resolved: 0,
      };
      try {
        const stages = await this.#jobs.refreshStages(projectId);
        result.events = stages.processed;
        result.transitions = stages.stored;
        const bottlenecks = await this.#jobs.refreshBottlenecks(projectId, Date.now());
        result.opened = bottlenecks.opened.length;
        result.resolved = bottlenecks.resolved.length;
      } catch (err) {
        this.#status.errors++;
        result.error = err instanceof Error ? err.message : String(err);
        const level = isDevflowError(err) ? "warn" : "error";
        this.#log[level]({ err, projectId }, "analysis of the project failed");
      }
      projects.push(result);
    }
    const durationMs = Date.now() - at;
    this.#status.runs++;
    this.#status.lastRunAt = at;
    this.#status.lastDurationMs = durationMs;
    const found = projects.reduce((n, p) => n + p.transitions + p.opened + p.resolved, 0);
    this.#log[found > 0 ? "info" : "debug"](
      { durationMs, projects: projects.length, changes: found },
      "analysed stages and bottlenecks",
    );
    return { at, durationMs, projects };
  }
}
