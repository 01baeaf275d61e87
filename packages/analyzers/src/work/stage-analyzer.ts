/**
 * @module stage-analyzer
 * The stage analyzer: a sliding window of evidence-bearing events, scored with exponential decay,
 * and a hysteresis rule so that the stage changes only when another stage clearly and repeatedly
 * leads. Pure and incremental: feed events in time order, keep {@link StageAnalyzer.state} to
 * continue later.
 */
import { DevflowError } from "@devflow/events";
import {
  IMPLEMENTATION_STAGES,
  type Stage,
  STAGES,
  type SubStage,
  SUB_STAGES,
} from "./categories.js";
import {
  type SignalHit,
  type StageEvent,
  type StageSignal,
  stageSignalOf,
} from "./stage-signals.js";
import { DecayedTally, type WindowScore } from "./stage-window.js";

/** How eagerly a stage (or sub-stage) changes. */
export interface HysteresisOptions {
  /** The challenger's share of all evidence in the window must reach this (0–1). */
  enterShare: number;
  /** The challenger's score must exceed the current one's by this factor minus one (0.25 = 25 %). */
  margin: number;
  /** Evidence events in the window the challenger needs (from at least two subjects). */
  minSupport: number;
  /** Evidence events it needs when they all concern one subject (one file edited again and again). */
  minSupportSingleSubject: number;
  /** Consecutive evidence events the challenger must lead before it takes over. */
  dwell: number;
}

/** Options of {@link StageAnalyzer}. */
export interface StageAnalyzerOptions {
  /** Evidence events kept in the window (default 60). */
  windowSize: number;
  /** Evidence loses half its weight after this long (ms; default 4 h). */
  halfLifeMs: number;
  /** Evidence older than this leaves the window (ms; default 3 days). */
  horizonMs: number;
  stage: HysteresisOptions;
  subStage: HysteresisOptions;
}

/** Defaults of {@link StageAnalyzerOptions}. */
export const DEFAULT_STAGE_OPTIONS: StageAnalyzerOptions = {
  windowSize: 60,
  halfLifeMs: 4 * 3_600_000,
  horizonMs: 3 * 86_400_000,
  stage: { enterShare: 0.5, margin: 0.25, minSupport: 3, minSupportSingleSubject: 5, dwell: 3 },
  subStage: { enterShare: 0.4, margin: 0.2, minSupport: 2, minSupportSingleSubject: 3, dwell: 2 },
};

/** One event that contributed to a decision. */
export interface StageEvidence {
  eventId: string;
  type: string;
  timestamp: number;
  subject: string;
  rules: string[];
  /** Its decayed weight when the decision was made. */
  weight: number;
}

/** A change of stage, or of sub-stage within a stage. */
export interface StageTransitionRecord {
  from: Stage | null;
  to: Stage;
  fromSubStage: SubStage | null;
  subStage: SubStage | null;
  /** When the new stage began: the first event of the challenger's lead. */
  at: number;
  /** When the hysteresis rule accepted it (the deciding event's time). */
  decidedAt: number;
  /** The new stage's (or sub-stage's) share of the evidence in the window. */
  confidence: number;
  evidence: StageEvidence[];
}

/** The analyzer's view at one moment. */
export interface StageSnapshot {
  stage: Stage | null;
  subStage: SubStage | null;
  since: number | null;
  subStageSince: number | null;
  /** The current stage's share of the evidence in the window (0 without evidence). */
  confidence: number;
  /** Every stage's share of the evidence, largest first. */
  scores: Array<{ stage: Stage; share: number; support: number }>;
  subStageScores: Array<{ subStage: SubStage; share: number; support: number }>;
  evidence: StageEvidence[];
}

interface WindowEntry {
  id: string;
  type: string;
  ts: number;
  subject: string;
  stages: Array<[Stage, number, string[]]>;
  subStages: Array<[SubStage, number, string[]]>;
}

interface Lead<TKey> {
  key: TKey;
  since: number;
  count: number;
}

/** The serialisable state of a {@link StageAnalyzer}. */
export interface StageAnalyzerState {
  version: 1;
  stage: Stage | null;
  since: number | null;
  subStage: SubStage | null;
  subStageSince: number | null;
  lead: Lead<Stage> | null;
  subLead: Lead<SubStage> | null;
  lastTimestamp: number | null;
  /** When the last transition began (transitions are strictly ordered). */
  lastTransitionAt?: number;
  window: WindowEntry[];
}

const EVIDENCE_ITEMS = 12;

type Scored<TKey extends string> = WindowScore<TKey>;

/**
 * Infers the development stage from a stream of events.
 *
 * @example
 * const analyzer = new StageAnalyzer();
 * for (const event of events) for (const t of analyzer.push(event)) console.log(t.from, "→", t.to);
 * analyzer.snapshot().stage;
 */
export class StageAnalyzer {
  readonly options: StageAnalyzerOptions;
  #state: StageAnalyzerState;
  readonly #stageTally: DecayedTally<Stage>;
  readonly #subTally: DecayedTally<SubStage>;

  /** @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` for a state of another version. */
  constructor(options: Partial<StageAnalyzerOptions> = {}, state?: StageAnalyzerState) {
    this.options = { ...DEFAULT_STAGE_OPTIONS, ...options };
    if (state !== undefined && state.version !== 1) {
      throw new DevflowError(
        "ANALYZERS_BAD_ARGUMENT",
        `unknown stage analyzer state version ${String(state.version)}`,
      );
    }
    this.#state = state
      ? structuredClone(state)
      : {
          version: 1,
          stage: null,
          since: null,
          subStage: null,
          subStageSince: null,
          lead: null,
          subLead: null,
          lastTimestamp: null,
          window: [],
        };
    this.#stageTally = new DecayedTally(this.options.halfLifeMs);
    this.#subTally = new DecayedTally(this.options.halfLifeMs);
    this.#rebuild();
  }

  /** Recomputes the running totals from the window, measuring decay from its oldest entry. */
  #rebuild(): void {
    const ref = this.#state.window[0]?.ts ?? this.#state.lastTimestamp ?? 0;
    this.#stageTally.reset(ref);
    this.#subTally.reset(ref);
    for (const e of this.#state.window) this.#apply(e, 1);
  }

  #apply(e: WindowEntry, sign: 1 | -1): void {
    this.#stageTally.apply(e.ts, e.subject, e.stages, sign);
    this.#subTally.apply(e.ts, e.subject, e.subStages, sign);
  }

  /** A copy of the state, to continue later with `new StageAnalyzer(options, state)`. */
  get state(): StageAnalyzerState {
    return structuredClone(this.#state);
  }

  /** Feeds one event (in time order); `files` are a commit's paths. Returns the transitions it caused. */
  push(event: StageEvent, files?: readonly string[]): StageTransitionRecord[] {
    const signal = stageSignalOf(event, files);
    return signal ? this.pushSignal(signal) : [];
  }

  /** Feeds one precomputed signal (see {@link stageSignalOf}). */
  pushSignal(signal: StageSignal): StageTransitionRecord[] {
    const s = this.#state;
    const ts = Math.max(signal.timestamp, s.lastTimestamp ?? signal.timestamp);
    s.lastTimestamp = ts;
    const entry: WindowEntry = {
      id: signal.eventId,
      type: signal.type,
      ts,
      subject: signal.subject,
      stages: signal.stages.map((h: SignalHit<Stage>) => [h.key, h.weight, h.rules]),
      subStages: signal.subStages.map((h: SignalHit<SubStage>) => [h.key, h.weight, h.rules]),
    };
    s.window.push(entry);
    const removed: WindowEntry[] = [];
    const oldest = ts - this.options.horizonMs;
    while (s.window.length > this.options.windowSize || (s.window[0] && s.window[0].ts < oldest)) {
      removed.push(s.window.shift()!);
    }
    if (this.#stageTally.needsRebase(ts)) {
      this.#rebuild();
    } else {
      this.#apply(entry, 1);
      for (const r of removed) this.#apply(r, -1);
    }
    const transitions: StageTransitionRecord[] = [];
    const stageScores = this.#stageTally.scores(ts);
    const next = this.#decide(
      stageScores,
      { current: s.stage, lead: s.lead },
      this.options.stage,
      STAGES,
    );
    s.lead = next.lead;
    const subScores = this.#subTally.scores(ts);
    const subNext = this.#decide(
      subScores,
      { current: s.subStage, lead: s.subLead },
      this.options.subStage,
      SUB_STAGES,
    );
    s.subLead = subNext.lead;
    // Transitions are strictly ordered in time: none begins before the previous one.
    const after = (at: number) => Math.max(at, (s.lastTransitionAt ?? -Infinity) + 1);
    if (next.switchTo !== null) {
      const from = s.stage;
      const fromSub = s.subStage;
      const at = after(next.at);
      s.stage = next.switchTo;
      s.since = at;
      s.lastTransitionAt = at;
      const keep =
        fromSub !== null && from !== null && IMPLEMENTATION_STAGES.includes(from) ? fromSub : null;
      const sub = IMPLEMENTATION_STAGES.includes(s.stage)
        ? (subNext.switchTo ?? keep ?? this.#eligibleSub(subScores))
        : null;
      s.subStage = sub;
      s.subStageSince = sub === null ? null : at;
      transitions.push({
        from,
        to: s.stage,
        fromSubStage: fromSub,
        subStage: sub,
        at,
        decidedAt: ts,
        confidence: next.share,
        evidence: this.#evidence((e) => e.stages, s.stage, ts),
      });
      return transitions;
    }
    if (s.stage !== null && IMPLEMENTATION_STAGES.includes(s.stage) && subNext.switchTo !== null) {
      const fromSub = s.subStage;
      const at = after(subNext.at);
      s.subStage = subNext.switchTo;
      s.subStageSince = at;
      s.lastTransitionAt = at;
      transitions.push({
        from: s.stage,
        to: s.stage,
        fromSubStage: fromSub,
        subStage: s.subStage,
        at,
        decidedAt: ts,
        confidence: subNext.share,
        evidence: this.#evidence((e) => e.subStages, s.subStage, ts),
      });
    }
    return transitions;
  }

  /** The current stage, sub-stage, scores and evidence, decayed to `at` (default: the last event). */
  snapshot(at?: number): StageSnapshot {
    const s = this.#state;
    const t = Math.max(at ?? s.lastTimestamp ?? 0, s.lastTimestamp ?? 0);
    const stageScores = this.#stageTally.scores(t);
    const subScores = this.#subTally.scores(t);
    const total = stageScores.reduce((n, x) => n + x.score, 0);
    const subTotal = subScores.reduce((n, x) => n + x.score, 0);
    const share = (score: number, sum: number) =>
      sum > 0 ? Math.round((score / sum) * 1000) / 1000 : 0;
    return {
      stage: s.stage,
      subStage: s.subStage,
      since: s.since,
      subStageSince: s.subStageSince,
      confidence: share(stageScores.find((x) => x.key === s.stage)?.score ?? 0, total),
      scores: stageScores.map((x) => ({
        stage: x.key,
        share: share(x.score, total),
        support: x.support,
      })),
      subStageScores: subScores.map((x) => ({
        subStage: x.key,
        share: share(x.score, subTotal),
        support: x.support,
      })),
      evidence: s.stage === null ? [] : this.#evidence((e) => e.stages, s.stage, t),
    };
  }

  #decay(ts: number, now: number): number {
    return Math.pow(0.5, (now - ts) / this.options.halfLifeMs);
  }

  #decide<TKey extends string>(
    scores: Array<Scored<TKey>>,
    now: { current: TKey | null; lead: Lead<TKey> | null },
    h: HysteresisOptions,
    order: readonly TKey[],
  ): { lead: Lead<TKey> | null; switchTo: TKey | null; at: number; share: number } {
    const { current, lead } = now;
    const ts = this.#state.lastTimestamp ?? 0;
    const top = scores[0];
    if (!top) return { lead: null, switchTo: null, at: ts, share: 0 };
    // Ties go to the current stage, then to the earlier stage in lifecycle order.
    const tied = scores.filter((x) => x.score >= top.score - 1e-9);
    const leader =
      tied.find((x) => x.key === current) ??
      tied.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))[0]!;
    const nextLead: Lead<TKey> =
      lead && lead.key === leader.key
        ? { ...lead, count: lead.count + 1 }
        : { key: leader.key, since: ts, count: 1 };
    if (leader.key === current) return { lead: nextLead, switchTo: null, at: ts, share: 0 };
    const total = scores.reduce((n, x) => n + x.score, 0);
    const share = leader.score / total;
    const currentScore = scores.find((x) => x.key === current)?.score ?? 0;
    const support = leader.subjects >= 2 ? h.minSupport : h.minSupportSingleSubject;
    const eligible =
      share >= h.enterShare &&
      leader.score >= (1 + h.margin) * currentScore &&
      leader.support >= support &&
      nextLead.count >= h.dwell;
    return {
      lead: nextLead,
      switchTo: eligible ? leader.key : null,
      at: nextLead.since,
      share: Math.round(share * 1000) / 1000,
    };
  }

  /** The sub-stage to enter with a new implementation stage: the leader, if it has enough support. */
  #eligibleSub(scores: Array<Scored<SubStage>>): SubStage | null {
    const top = scores[0];
    if (!top) return null;
    const h = this.options.subStage;
    const total = scores.reduce((n, x) => n + x.score, 0);
    const support = top.subjects >= 2 ? h.minSupport : h.minSupportSingleSubject;
    return top.score / total >= h.enterShare && top.support >= support ? top.key : null;
  }

  #evidence<TKey extends string>(
    hitsOf: (e: WindowEntry) => Array<[TKey, number, string[]]>,
    key: TKey,
    now: number,
  ): StageEvidence[] {
    const items: StageEvidence[] = [];
    for (const e of this.#state.window) {
      const hit = hitsOf(e).find(([k]) => k === key);
      if (!hit) continue;
      items.push({
        eventId: e.id,
        type: e.type,
        timestamp: e.ts,
        subject: e.subject,
        rules: hit[2],
        weight: Math.round(hit[1] * this.#decay(e.ts, now) * 1000) / 1000,
      });
    }
    return items
      .sort((a, b) => b.weight - a.weight || b.timestamp - a.timestamp)
      .slice(0, EVIDENCE_ITEMS);
  }
}
