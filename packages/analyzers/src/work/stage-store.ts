/**
 * @module stage-store
 * Runs the stage analyzer over a project's stored events, incrementally, without writing: given
 * the state of the previous run (the analyzer's state and a cursor), {@link advanceStages}
 * reads the events since then and returns the transitions to store, their `stage.transition`
 * events (deterministic ids, so a re-run stores nothing twice) and the new state. Storing them
 * is the job of `@devflow/runtime` (`AnalysisJobs.refreshStages`).
 */
import { type DevflowEvent, EVENT_TYPES } from "@devflow/events";
import type {
  EventCursor,
  EventRepository,
  ProjectRepository,
  SettingsRepository,
  StageTransitionInput,
  StoredStageTransition,
  WorkRepository,
} from "@devflow/storage";
import type { Period } from "./period.js";
import {
  StageAnalyzer,
  type StageAnalyzerOptions,
  type StageAnalyzerState,
  type StageSnapshot,
  type StageTransitionRecord,
} from "./stage-analyzer.js";
import { type HeartbeatSpan, stageSpans, type StageTime, timeInStages } from "./stage-timeline.js";
import { analysisEvent, clip, requireProject, stableId, storedEvents } from "./store-util.js";

/** The event types the stage analyzer reads. */
export const STAGE_EVENT_TYPES: readonly string[] = EVENT_TYPES.filter(
  (t) =>
    /^(file|git|ai|integration)\./.test(t) || t === "build.finished" || t === "test.run_finished",
);

/** The settings key of a project's stage analysis state. */
export function stageStateKey(projectId: string): string {
  return `analyzers.work.stages.${projectId}`;
}

/** What an incremental stage analysis carries from one run to the next (kept in settings). */
export interface StageAnalysisState {
  /** The last event analysed, in `(timestamp, id)` order. */
  cursor: EventCursor | null;
  analyzer: StageAnalyzerState;
}

/** The repositories the stage analysis reads. */
export interface StageReads {
  readonly projects: ProjectRepository;
  readonly events: EventRepository;
  readonly work: WorkRepository;
}

/** Options of {@link advanceStages}. */
export interface AdvanceStagesOptions {
  projectId: string;
  /** The state the previous run returned (none: start from the first event). */
  state?: StageAnalysisState | null | undefined;
  /** Analyse events before this time (default: all stored events). */
  until?: number;
  analyzer?: Partial<StageAnalyzerOptions>;
  /** Events read per query (default 5000). */
  pageSize?: number;
}

/** What {@link advanceStages} found: the data to store, nothing stored yet. */
export interface StageAdvance {
  /** Events read. */
  processed: number;
  /** Transitions found in this run. */
  transitions: StageTransitionRecord[];
  /** The rows to store for them (deterministic ids). */
  rows: StageTransitionInput[];
  /** Their validated `stage.transition` events (the same ids as the rows). */
  events: DevflowEvent[];
  /** The state to keep for the next run, or `null` when no event was read (keep the old one). */
  state: StageAnalysisState | null;
  snapshot: StageSnapshot;
}

function toEvidenceStrings(record: StageTransitionRecord): string[] {
  return record.evidence.map((e) => clip(`${e.eventId} ${e.rules[0] ?? ""} ${e.subject}`));
}

/**
 * Feeds the project's events stored after `state`'s cursor (in `(timestamp, id)` order) to the
 * stage analyzer and returns the transitions it finds, as rows and events to store, with the
 * new state. Events stored later with older timestamps than already analysed ones are not
 * revisited. Reads only.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function advanceStages(reads: StageReads, options: AdvanceStagesOptions): StageAdvance {
  const { projectId } = options;
  requireProject(reads.projects, projectId);
  const saved = options.state ?? undefined;
  const analyzer = new StageAnalyzer(options.analyzer, saved?.analyzer);
  let cursor = saved?.cursor ?? undefined;
  const transitions: StageTransitionRecord[] = [];
  let processed = 0;
  for (const event of storedEvents(reads.events, {
    projectId,
    types: STAGE_EVENT_TYPES,
    ...(cursor ? { after: cursor } : {}),
    ...(options.until === undefined ? {} : { to: options.until }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  })) {
    processed++;
    const files =
      event.type === "git.commit"
        ? reads.work
            .commitFiles(projectId, (event.data as { hash: string }).hash)
            .map((f) => f.path)
        : undefined;
    transitions.push(...analyzer.push(event, files));
    cursor = { timestamp: event.timestamp, id: event.id };
  }
  const rows: StageTransitionInput[] = transitions.map((t) => ({
    id: stableId("stage", projectId, t.at, t.from, t.to, t.subStage),
    projectId,
    fromStage: t.from,
    toStage: t.to,
    subStage: t.subStage,
    confidence: t.confidence,
    timestamp: t.at,
    evidence: { decidedAt: t.decidedAt, fromSubStage: t.fromSubStage, events: t.evidence },
  }));
  const events: DevflowEvent[] = transitions.map((t, i) =>
    analysisEvent({
      id: rows[i]!.id,
      type: "stage.transition",
      source: "stage-analyzer",
      projectId,
      timestamp: t.at,
      metadata: { decidedAt: t.decidedAt, fromSubStage: t.fromSubStage },
      data: {
        from: t.from,
        to: t.to,
        ...(t.subStage === null ? {} : { subStage: t.subStage }),
        confidence: t.confidence,
        evidence: toEvidenceStrings(t),
      },
    }),
  );
  return {
    processed,
    transitions,
    rows,
    events,
    state: processed > 0 ? { cursor: cursor ?? null, analyzer: analyzer.state } : null,
    snapshot: analyzer.snapshot(),
  };
}

/** A project's stages over a period. */
export interface StageReport {
  projectId: string;
  period: Period;
  /** The analyzer's latest view (the stage now, with confidence, scores and evidence). */
  current: StageSnapshot;
  /** The stage in effect when the period began, if known. */
  atStart: { stage: string; subStage: string | null } | null;
  transitions: StoredStageTransition[];
  timeInStage: StageTime[];
  timeInSubStage: StageTime[];
}

/**
 * Reads the stored transitions of a period and totals the time per stage and sub-stage, with
 * the active time (merged heartbeats of the project) spent in each; the current stage is the
 * one of the state the last stored run kept (`AnalysisJobs.refreshStages` in
 * `@devflow/runtime` brings both up to date).
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function stageReport(
  storage: StageReads & { readonly settings: SettingsRepository },
  projectId: string,
  period: Period,
): StageReport {
  requireProject(storage.projects, projectId);
  const saved = storage.settings.get<StageAnalysisState>(stageStateKey(projectId));
  const current = new StageAnalyzer({}, saved?.analyzer).snapshot();
  const before = storage.work.lastTransition(projectId, period.from - 1);
  const transitions = storage.work.transitions({ projectId, from: period.from, to: period.to });
  const heartbeats: HeartbeatSpan[] = [];
  for (const e of storedEvents(storage.events, {
    projectId,
    types: ["activity.heartbeat"],
    from: period.from,
    to: period.to,
  })) {
    heartbeats.push({ timestamp: e.timestamp, durationMs: e.duration ?? 0 });
  }
  const spans = stageSpans(before, transitions, period);
  const times = timeInStages(spans, heartbeats);
  return {
    projectId,
    period,
    current,
    atStart: before ? { stage: before.toStage, subStage: before.subStage } : null,
    transitions,
    timeInStage: times.stages,
    timeInSubStage: times.subStages,
  };
}
