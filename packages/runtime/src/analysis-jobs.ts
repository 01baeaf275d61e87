/**
 * @module analysis-jobs
 * The analyses of the work that persist, on top of the pure analyzers of `@devflow/analyzers`:
 * the incremental stage update (state and cursor in settings, transitions stored), the
 * bottleneck update (open findings in settings) and metric recording. Their events
 * (`stage.transition`, `bottleneck.detected`/`resolved`) go through the event engine, so live
 * subscribers see them; their ids are deterministic, so a re-run stores nothing twice.
 */
import {
  advanceStages,
  type AdvanceStagesOptions,
  bottleneckChanges,
  bottleneckStateKey,
  type BottleneckThresholds,
  type BottleneckUpdate,
  metricSamples,
  type MetricsReport,
  type OpenFindings,
  type StageAnalysisState,
  type StageSnapshot,
  stageStateKey,
  type StageTransitionRecord,
} from "@devflow/analyzers";
import { type DevflowEvent, EventEngine, type Logger } from "@devflow/events";
import type { Storage } from "@devflow/storage";

/** What {@link AnalysisJobs.refreshStages} did. */
export interface StageRefresh {
  /** Events read. */
  processed: number;
  /** Transitions found in this run. */
  transitions: StageTransitionRecord[];
  /** Transitions newly stored (0 when a previous run stored them already). */
  stored: number;
  snapshot: StageSnapshot;
}

/** Where the jobs' events go: an engine's `emit` (waited for until stored). */
export type EventPublisher = (events: readonly DevflowEvent[]) => Promise<void>;

/** Publishes through a running engine and waits until the events are stored (`flush`). */
export function enginePublisher(engine: EventEngine): EventPublisher {
  return async (events) => {
    if (events.length === 0) return;
    for (const event of events) await engine.emit(event);
    await engine.flush();
  };
}

/**
 * Publishes through a short-lived engine on the storage's sink, for processes that run no
 * DevFlow (a CLI command): the same validation and idempotent storage as a running engine.
 */
export function standalonePublisher(storage: Storage, logger?: Logger): EventPublisher {
  return async (events) => {
    if (events.length === 0) return;
    const engine = new EventEngine(logger ? { logger } : {});
    engine.addSink(storage.sink);
    try {
      for (const event of events) await engine.emit(event);
    } finally {
      await engine.stop();
    }
  };
}

/** Options of {@link AnalysisJobs}. */
export interface AnalysisJobsOptions {
  storage: Storage;
  /** The running engine; without one, events go through a short-lived engine per job. */
  engine?: EventEngine;
  logger?: Logger;
}

/**
 * The persisting analysis jobs of one storage. Used by the analysis loop of a running DevFlow
 * and, as the `analysis` hook of `@devflow/mcp-tools`' `ToolContext`, by tools and commands
 * that need the stages or bottlenecks current before they answer.
 */
export class AnalysisJobs {
  readonly #storage: Storage;
  readonly #publish: EventPublisher;

  constructor(options: AnalysisJobsOptions) {
    this.#storage = options.storage;
    this.#publish = options.engine
      ? enginePublisher(options.engine)
      : standalonePublisher(options.storage, options.logger);
  }

  /**
   * Analyses the project's events stored since the last run (`until`: only events before that
   * time), stores the transitions found, emits their `stage.transition` events and keeps the
   * analyzer's state and cursor in settings.
   *
   * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
   */
  async refreshStages(
    projectId: string,
    until?: number,
    options: Omit<AdvanceStagesOptions, "projectId" | "until" | "state"> = {},
  ): Promise<StageRefresh> {
    const storage = this.#storage;
    const key = stageStateKey(projectId);
    const step = advanceStages(storage, {
      ...options,
      projectId,
      state: storage.settings.get<StageAnalysisState>(key),
      ...(until === undefined ? {} : { until }),
    });
    let stored = 0;
    if (step.rows.length > 0) {
      stored = storage.work.recordTransitions(step.rows).stored;
      await this.#publish(step.events);
    }
    // Saved last: after a crash the next run finds the same transitions (same ids) again.
    if (step.state) storage.settings.set(key, step.state);
    return {
      processed: step.processed,
      transitions: step.transitions,
      stored,
      snapshot: step.snapshot,
    };
  }

  /**
   * Detects the project's bottlenecks at `at`, emits `bottleneck.detected` for new findings and
   * `bottleneck.resolved` for those that went away, and keeps the open findings in settings.
   *
   * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
   */
  async refreshBottlenecks(
    projectId: string,
    at: number,
    thresholds?: Partial<BottleneckThresholds>,
  ): Promise<BottleneckUpdate> {
    const storage = this.#storage;
    const key = bottleneckStateKey(projectId);
    const changes = bottleneckChanges(storage, {
      projectId,
      at,
      open: storage.settings.get<OpenFindings>(key),
      ...(thresholds === undefined ? {} : { thresholds }),
    });
    await this.#publish(changes.events);
    storage.settings.set(key, changes.open);
    return {
      at: changes.at,
      findings: changes.findings,
      opened: changes.opened,
      resolved: changes.resolved,
    };
  }

  /**
   * Stores a report's metrics as samples (recomputing the same period replaces them). Returns
   * how many were stored.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` naming a bad sample.
   */
  recordMetrics(report: MetricsReport): number {
    return this.#storage.work.putMetrics(metricSamples(report));
  }
}
