import { DevflowError } from "@devflow/events";
import type { EventRepository, WorkRepository } from "@devflow/storage";

/** The repositories the AI-by-stage analysis reads. */
export interface AiStageReads {
  readonly events: EventRepository;
  readonly work: WorkRepository;
}
import { loadUsage } from "./usage-events.js";
import { addUsage, emptyTotals, type UsageTotals } from "./usage-report.js";

/** The stage key of activity in a project before its first stage transition. */
export const UNKNOWN_STAGE = "unknown";
/** The stage key of activity not joined to a registered project. */
export const NO_PROJECT_STAGE = "no_project";

/**
 * The development stage in effect at any time, per project, from `stage_transitions` (each
 * transition's `to_stage` holds from its timestamp until the next one).
 */
export class StageTimeline {
  readonly #byProject = new Map<string, { at: number[]; stage: string[] }>();
  readonly #storage: AiStageReads;

  constructor(storage: AiStageReads) {
    this.#storage = storage;
  }

  #load(projectId: string): { at: number[]; stage: string[] } {
    let t = this.#byProject.get(projectId);
    if (t === undefined) {
      const rows = this.#storage.work.transitions({ projectId });
      t = { at: rows.map((r) => r.timestamp), stage: rows.map((r) => r.toStage) };
      this.#byProject.set(projectId, t);
    }
    return t;
  }

  /**
   * The stage of `projectId` at `at`: the last transition at or before it, {@link UNKNOWN_STAGE}
   * before the first one, {@link NO_PROJECT_STAGE} without a project.
   */
  stageAt(projectId: string | undefined, at: number): string {
    if (projectId === undefined) return NO_PROJECT_STAGE;
    const { at: times, stage } = this.#load(projectId);
    let lo = 0;
    let hi = times.length; // first index with times[i] > at
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? UNKNOWN_STAGE : stage[lo - 1]!;
  }
}

/** AI activity during one development stage. Costs are list-price estimates. */
export interface StageAiRow extends UsageTotals {
  /** A stage (`prd`, `coding`, …), {@link UNKNOWN_STAGE} or {@link NO_PROJECT_STAGE}. */
  stage: string;
  /** Sessions that started in this stage (`ai.session_started`). */
  sessions: number;
  /** Those sessions per assistant. */
  sessionsByTool: Record<string, number>;
  /** Distinct sessions with at least one request in this stage. */
  activeSessions: number;
  firstAt: number | null;
  lastAt: number | null;
}

/** AI sessions and usage grouped by the development stage they happened in. */
export interface AiStageReport {
  rows: StageAiRow[];
  totals: UsageTotals & { sessions: number };
  cost: { estimate: true };
}

/** Options of {@link aiStageReport}. */
export interface AiStageReportOptions {
  /** Only this project's sessions and usage (default: every one). */
  projectId?: string;
  /** Times in ms UTC, `to` exclusive. */
  from?: number;
  to?: number;
}

const PAGE = 10_000;

/**
 * AI sessions per development stage: each session counts in the stage in effect when it started
 * (`ai.session_started`, every assistant, process-detected ones included), each request's
 * tokens and estimated cost in the stage in effect when it was made (de-duplicated usage).
 * Rows follow the order the stages were first seen.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` for a window that ends before it starts.
 */
export function aiStageReport(
  storage: AiStageReads,
  options: AiStageReportOptions = {},
): AiStageReport {
  const { projectId, from, to } = options;
  if (from !== undefined && to !== undefined && to < from)
    throw new DevflowError("ANALYZERS_BAD_ARGUMENT", "the window ends before it starts");
  const timeline = new StageTimeline(storage);
  const rows = new Map<string, StageAiRow & { ids: Set<string> }>();
  const row = (stage: string) => {
    let r = rows.get(stage);
    if (r === undefined) {
      r = {
        stage,
        sessions: 0,
        sessionsByTool: {},
        activeSessions: 0,
        firstAt: null,
        lastAt: null,
        ...emptyTotals(),
        ids: new Set(),
      };
      rows.set(stage, r);
    }
    return r;
  };
  const seen = (r: StageAiRow, at: number) => {
    r.firstAt = r.firstAt === null ? at : Math.min(r.firstAt, at);
    r.lastAt = r.lastAt === null ? at : Math.max(r.lastAt, at);
  };
  let after: { timestamp: number; id: string } | undefined;
  const started = new Set<string>();
  for (;;) {
    const page = storage.events.query({
      types: ["ai.session_started"],
      limit: PAGE,
      ...(projectId !== undefined ? { projectId } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(after ? { after } : {}),
    });
    for (const e of page) {
      if (e.type !== "ai.session_started") continue;
      const key = `${e.data.tool}\u0000${e.data.sessionId}`;
      if (started.has(key)) continue;
      started.add(key);
      const r = row(timeline.stageAt(e.projectId, e.timestamp));
      r.sessions++;
      r.sessionsByTool[e.data.tool] = (r.sessionsByTool[e.data.tool] ?? 0) + 1;
      seen(r, e.timestamp);
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { timestamp: last.timestamp, id: last.id };
  }
  const totals = { ...emptyTotals(), sessions: started.size };
  const filter = {
    ...(projectId !== undefined ? { projectId } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
  for (const e of loadUsage(storage, filter)) {
    const r = row(timeline.stageAt(e.projectId, e.timestamp));
    addUsage(r, e);
    addUsage(totals, e);
    r.ids.add(`${e.tool}\u0000${e.sessionId}`);
    seen(r, e.timestamp);
  }
  const out = [...rows.values()]
    .map(({ ids, ...r }) => ({ ...r, activeSessions: ids.size }))
    .sort((a, b) => (a.firstAt ?? 0) - (b.firstAt ?? 0) || (a.stage < b.stage ? -1 : 1));
  return { rows: out, totals, cost: { estimate: true } };
}
