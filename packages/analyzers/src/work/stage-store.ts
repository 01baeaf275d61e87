/**
 * @module stage-store
 * Runs the stage analyzer over a project's stored events, incrementally: the analyzer's state and
 * a cursor live in `settings`, transitions go to `stage_transitions` and, as `stage.transition`
 * events, to `events` (deterministic ids, so a re-run stores nothing twice).
 */
import { type DevflowEvent, EVENT_TYPES } from "@devflow/events";
import type { EventCursor, Storage, StoredStageTransition } from "@devflow/storage";
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

interface PersistedState {
  cursor: EventCursor | null;
  analyzer: StageAnalyzerState;
}

/** Options of {@link updateStages}. */
export interface UpdateStagesOptions {
  projectId: string;
  /** Analyse events before this time (default: all stored events). */
  until?: number;
  analyzer?: Partial<StageAnalyzerOptions>;
  /** Events read per query (default 5000). */
  pageSize?: number;
}

/** What {@link updateStages} did. */
export interface UpdateStagesResult {
  /** Events read. */
  processed: number;
  /** Transitions found in this run. */
  transitions: StageTransitionRecord[];
  /** Transitions newly stored (0 when a previous run stored them already). */
  stored: number;
  snapshot: StageSnapshot;
}

function toEvidenceStrings(record: StageTransitionRecord): string[] {
  return record.evidence.map((e) => clip(`${e.eventId} ${e.rules[0] ?? ""} ${e.subject}`));
}

/**
 * Feeds the project's events stored since the last run (in `(timestamp, id)` order) to the
 * stage analyzer and stores the transitions it finds. Events stored later with older
 * timestamps than already analysed ones are not revisited.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function updateStages(storage: Storage, options: UpdateStagesOptions): UpdateStagesResult {
  const { projectId } = options;
  requireProject(storage, projectId);
  const saved = storage.settings.get<PersistedState>(stageStateKey(projectId));
  const analyzer = new StageAnalyzer(options.analyzer, saved?.analyzer);
  let cursor = saved?.cursor ?? undefined;
  const transitions: StageTransitionRecord[] = [];
  let processed = 0;
  for (const event of storedEvents(storage, {
    projectId,
    types: STAGE_EVENT_TYPES,
    ...(cursor ? { after: cursor } : {}),
    ...(options.until === undefined ? {} : { to: options.until }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  })) {
    processed++;
    const files =
      event.type === "git.commit"
        ? storage.work
            .commitFiles(projectId, (event.data as { hash: string }).hash)
            .map((f) => f.path)
        : undefined;
    transitions.push(...analyzer.push(event, files));
    cursor = { timestamp: event.timestamp, id: event.id };
  }
  let stored = 0;
  if (transitions.length > 0) {
    const rows = transitions.map((t) => ({
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
    stored = storage.work.recordTransitions(rows, events).stored;
  }
  if (processed > 0) {
    storage.settings.set(stageStateKey(projectId), {
      cursor: cursor ?? null,
      analyzer: analyzer.state,
    } satisfies PersistedState);
  }
  return { processed, transitions, stored, snapshot: analyzer.snapshot() };
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
 * the active time (merged heartbeats of the project) spent in each. Run {@link updateStages}
 * first to bring the transitions up to date.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function stageReport(storage: Storage, projectId: string, period: Period): StageReport {
  requireProject(storage, projectId);
  const saved = storage.settings.get<PersistedState>(stageStateKey(projectId));
  const current = new StageAnalyzer({}, saved?.analyzer).snapshot();
  const before = storage.work.lastTransition(projectId, period.from - 1);
  const transitions = storage.work.transitions({ projectId, from: period.from, to: period.to });
  const heartbeats: HeartbeatSpan[] = [];
  for (const e of storedEvents(storage, {
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
