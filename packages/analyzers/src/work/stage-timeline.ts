/**
 * @module stage-timeline
 * Time spent per stage and sub-stage, from a sequence of transitions.
 */
import type { Period } from "./period.js";

/** A transition as stored (`stage_transitions`). */
export interface TimelineTransition {
  fromStage: string | null;
  toStage: string;
  subStage: string | null;
  timestamp: number;
}

/** One stretch of time in one stage (and sub-stage). */
export interface StageSpan {
  stage: string;
  subStage: string | null;
  from: number;
  to: number;
}

/** Time in one stage or sub-stage during a period. */
export interface StageTime {
  key: string;
  ms: number;
  /** Share of the period's staged time (0–1). */
  share: number;
  /** Active time (merged heartbeats) while in it, when heartbeats were given. */
  activeMs: number;
}

/**
 * The spans of a period: the stage in effect at `period.from` (the last transition before it,
 * if any) and each transition inside the period, each span ending at the next transition or
 * at `period.to`. Time before the first known stage is not staged.
 */
export function stageSpans(
  before: TimelineTransition | undefined,
  transitions: readonly TimelineTransition[],
  period: Period,
): StageSpan[] {
  const spans: StageSpan[] = [];
  let current = before
    ? { stage: before.toStage, subStage: before.subStage, from: period.from }
    : undefined;
  const inside = transitions
    .filter((t) => t.timestamp >= period.from && t.timestamp < period.to)
    .sort((a, b) => a.timestamp - b.timestamp);
  for (const t of inside) {
    if (current && t.timestamp > current.from) spans.push({ ...current, to: t.timestamp });
    current = { stage: t.toStage, subStage: t.subStage, from: t.timestamp };
  }
  if (current && period.to > current.from) spans.push({ ...current, to: period.to });
  return spans;
}

/** A heartbeat: when it began and how long it lasted. */
export interface HeartbeatSpan {
  timestamp: number;
  durationMs: number;
}

function activeWithin(
  span: { from: number; to: number },
  heartbeats: readonly HeartbeatSpan[],
): number {
  let ms = 0;
  for (const h of heartbeats) {
    const start = Math.max(span.from, h.timestamp);
    const end = Math.min(span.to, h.timestamp + h.durationMs);
    if (end > start) ms += end - start;
  }
  return ms;
}

/**
 * Totals the spans per stage and per sub-stage (sub-stage keys are `stage/sub_stage`), with
 * each one's share of the staged time and the active time of the heartbeats inside them.
 */
export function timeInStages(
  spans: readonly StageSpan[],
  heartbeats: readonly HeartbeatSpan[] = [],
): { stages: StageTime[]; subStages: StageTime[] } {
  const stages = new Map<string, StageTime>();
  const subStages = new Map<string, StageTime>();
  const total = spans.reduce((n, s) => n + (s.to - s.from), 0);
  const add = (map: Map<string, StageTime>, key: string, span: StageSpan): void => {
    const entry = map.get(key) ?? { key, ms: 0, share: 0, activeMs: 0 };
    entry.ms += span.to - span.from;
    entry.activeMs += activeWithin(span, heartbeats);
    map.set(key, entry);
  };
  for (const span of spans) {
    add(stages, span.stage, span);
    if (span.subStage) add(subStages, `${span.stage}/${span.subStage}`, span);
  }
  const finish = (map: Map<string, StageTime>): StageTime[] =>
    [...map.values()]
      .map((e) => ({ ...e, share: total > 0 ? Math.round((e.ms / total) * 1000) / 1000 : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { stages: finish(stages), subStages: finish(subStages) };
}
