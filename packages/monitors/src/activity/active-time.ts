import { DevflowError, type EventOf } from "@devflow/events";
import type { Storage } from "@devflow/storage";

/** What {@link activeTime} groups by. */
export type ActiveTimeGrouping = "project" | "language" | "category";

/** A query of {@link activeTime}. Times are ms UTC, `from` inclusive, `to` exclusive. */
export interface ActiveTimeQuery {
  storage: Storage;
  /** One project only (its heartbeats alone make the timeline); default: all projects. */
  projectId?: string;
  from: number;
  to: number;
  by?: ActiveTimeGrouping;
  /** Gaps up to this long between heartbeats count as active (default 5 min, as AFK). */
  idleGapMs?: number;
  /** How far before `from` heartbeats are read, for ones reaching into the window (default 24 h). */
  lookbackMs?: number;
}

/** Active time in a window, in total and per group (largest first, only non-zero groups). */
export interface ActiveTimeResult {
  from: number;
  to: number;
  totalMs: number;
  by?: ActiveTimeGrouping;
  groups: Array<{ key: string; activeMs: number }>;
}

/** A stored heartbeat as a time span with its group key. */
export interface ActivitySpan {
  start: number;
  end: number;
  key: string;
}

const DEFAULT_IDLE_GAP_MS = 300_000;
const PAGE = 10_000;
/** Group key for heartbeats without a project or language. */
const UNKNOWN_KEY = "unknown";

/**
 * Active time from heartbeat spans, clipped to `[from, to)`. The timeline is cut at every span
 * start and end; each piece between two consecutive cut points is
 * - active when a span covers it (a merged heartbeat: its inner gaps were ≤ the pulsetime), and
 *   belongs to the covering span that started last;
 * - else active when it is no longer than `idleGapMs`, and belongs to the span that starts or
 *   ends where the piece begins (the earlier signal, as WakaTime counts);
 * - else idle.
 * A lone heartbeat (zero length, more than `idleGapMs` from any other) therefore counts 0.
 */
export function computeActiveTime(
  spans: readonly ActivitySpan[],
  from: number,
  to: number,
  idleGapMs: number,
): { totalMs: number; byKey: Map<string, number> } {
  const order = spans.map((s, index) => ({ ...s, index }));
  const later = (a: (typeof order)[number], b: (typeof order)[number]) =>
    b.start > a.start || (b.start === a.start && b.index > a.index) ? b : a;
  const byStart = [...order].sort((a, b) => a.start - b.start || a.index - b.index);
  const atTime = new Map<number, typeof order>();
  for (const s of order) {
    for (const t of s.end > s.start ? [s.start, s.end] : [s.start]) {
      const list = atTime.get(t);
      if (list) list.push(s);
      else atTime.set(t, [s]);
    }
  }
  const times = [...atTime.keys()].sort((a, b) => a - b);
  const byKey = new Map<string, number>();
  let totalMs = 0;
  let open: typeof order = [];
  let next = 0;
  for (let k = 0; k + 1 < times.length; k++) {
    const a = times[k]!;
    const b = times[k + 1]!;
    while (next < byStart.length && byStart[next]!.start <= a) open.push(byStart[next++]!);
    open = open.filter((s) => s.end > a);
    let owner = open.length > 0 ? open.reduce(later) : undefined;
    if (owner === undefined && b - a <= idleGapMs) owner = atTime.get(a)!.reduce(later);
    if (owner === undefined) continue;
    const ms = Math.min(b, to) - Math.max(a, from);
    if (ms <= 0) continue;
    totalMs += ms;
    byKey.set(owner.key, (byKey.get(owner.key) ?? 0) + ms);
  }
  return { totalMs, byKey };
}

type Heartbeat = EventOf<"activity.heartbeat">;

function keyOf(e: Heartbeat, by: ActiveTimeGrouping | undefined): string {
  switch (by) {
    case "project":
      return e.projectId ?? UNKNOWN_KEY;
    case "language":
      return e.data.language ?? UNKNOWN_KEY;
    case "category":
      return e.data.category;
    case undefined:
      return "";
  }
}

/**
 * Active time from the stored `activity.heartbeat` events (see {@link computeActiveTime} for
 * the rules), in total and grouped by project, language or category.
 *
 * @throws {@link DevflowError} `MONITORS_BAD_ARGUMENT` when the window is empty or not finite.
 */
export function activeTime(query: ActiveTimeQuery): ActiveTimeResult {
  const { storage, projectId, from, to, by } = query;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new DevflowError(
      "MONITORS_BAD_ARGUMENT",
      `activeTime: need from < to (got ${from}, ${to})`,
    );
  }
  const idleGapMs = query.idleGapMs ?? DEFAULT_IDLE_GAP_MS;
  const lookbackMs = query.lookbackMs ?? 86_400_000;
  const spans: ActivitySpan[] = [];
  let after: { timestamp: number; id: string } | undefined;
  for (;;) {
    const page = storage.events.query({
      types: ["activity.heartbeat"],
      from: from - lookbackMs,
      to: to + idleGapMs,
      ...(projectId === undefined ? {} : { projectId }),
      limit: PAGE,
      ...(after ? { after } : {}),
    }) as Heartbeat[];
    for (const e of page) {
      spans.push({ start: e.timestamp, end: e.timestamp + (e.duration ?? 0), key: keyOf(e, by) });
    }
    if (page.length < PAGE) break;
    const last = page.at(-1)!;
    after = { timestamp: last.timestamp, id: last.id };
  }
  const { totalMs, byKey } = computeActiveTime(spans, from, to, idleGapMs);
  const groups = by
    ? [...byKey]
        .map(([key, activeMs]) => ({ key, activeMs }))
        .sort((a, b) => b.activeMs - a.activeMs || a.key.localeCompare(b.key))
    : [];
  return { from, to, totalMs, ...(by ? { by } : {}), groups };
}
