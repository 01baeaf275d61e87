/**
 * code-maat's people analyses over {@link GitAggregates}: entity ownership, main developer (by
 * lines added, lines removed or revisions), entity effort, fragmentation and communication.
 */
import { z } from "zod";
import type { Contribution, GitAggregates } from "./aggregates.js";
import { byCountsThenName, centi } from "./maat.js";
import { parseOptions } from "./scope.js";

/** One row of {@link entityOwnership}. */
export interface OwnershipRow {
  entity: string;
  author: string;
  added: number;
  deleted: number;
}

/** code-maat `entity-ownership`: lines added and deleted by each author of each entity. */
export function entityOwnership(agg: GitAggregates): OwnershipRow[] {
  const rows: OwnershipRow[] = [];
  for (const e of agg.entityIds()) {
    const entity = agg.entityName(e);
    for (const [a, c] of agg.contributions[e]!) {
      rows.push({ entity, author: agg.authorName(a), added: c.added, deleted: c.deleted });
    }
  }
  return rows.sort((x, y) => cmp(x.entity, y.entity) || cmp(x.author, y.author));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What {@link mainDeveloper} ranks authors by. */
export type MainDevMetric = "added" | "removed" | "revisions";

/** One row of {@link mainDeveloper}. */
export interface MainDevRow {
  entity: string;
  mainDev: string;
  /** The main developer's lines added, lines removed or revisions. */
  contribution: number;
  /** Everyone's lines added, lines removed or revisions. */
  total: number;
  /** `contribution / max(total, 1)`, two decimals. */
  ownership: number;
}

const MainDevOptionsSchema = z.strictObject({
  by: z.enum(["added", "removed", "revisions"]).optional(),
});

const metricOf: Record<MainDevMetric, (c: Contribution) => number> = {
  added: (c) => c.added,
  removed: (c) => c.deleted,
  revisions: (c) => c.revisions,
};

/** The author id who contributed most to entity `e` by `metric` (ties: first name). */
export function mainDeveloperOf(
  agg: GitAggregates,
  e: number,
  metric: MainDevMetric = "added",
): { author: number; contribution: number; total: number } {
  const value = metricOf[metric];
  let best = -1;
  let bestValue = -1;
  let total = 0;
  for (const [a, c] of agg.contributions[e]!) {
    const v = value(c);
    total += v;
    if (v > bestValue || (v === bestValue && cmp(agg.authorName(a), agg.authorName(best)) < 0)) {
      best = a;
      bestValue = v;
    }
  }
  return { author: best, contribution: bestValue, total };
}

/**
 * code-maat `main-dev` (`by: "added"`, the default), `refactoring-main-dev` (`"removed"`) and
 * `main-dev-by-revs` (`"revisions"`): the author who contributed most to each entity, with
 * the ownership ratio, by entity name. Ties go to the alphabetically first author.
 */
export function mainDeveloper(
  agg: GitAggregates,
  options: { by?: MainDevMetric } = {},
): MainDevRow[] {
  const by = parseOptions(MainDevOptionsSchema, options, "main-dev options").by ?? "added";
  const rows: MainDevRow[] = [];
  for (const e of agg.entityIds()) {
    const m = mainDeveloperOf(agg, e, by);
    rows.push({
      entity: agg.entityName(e),
      mainDev: agg.authorName(m.author),
      contribution: m.contribution,
      total: m.total,
      ownership: centi(m.contribution / Math.max(m.total, 1)),
    });
  }
  return rows.sort((x, y) => cmp(x.entity, y.entity));
}

/** One row of {@link entityEffort}. */
export interface EffortRow {
  entity: string;
  author: string;
  authorRevisions: number;
  totalRevisions: number;
}

/** code-maat `entity-effort`: revisions per author per entity (most first within an entity). */
export function entityEffort(agg: GitAggregates): EffortRow[] {
  const rows: EffortRow[] = [];
  for (const e of agg.entityIds()) {
    const entity = agg.entityName(e);
    const total = agg.entities[e]!.revisions;
    for (const [a, c] of agg.contributions[e]!) {
      rows.push({
        entity,
        author: agg.authorName(a),
        authorRevisions: c.revisions,
        totalRevisions: total,
      });
    }
  }
  return rows.sort(
    (x, y) =>
      cmp(x.entity, y.entity) || y.authorRevisions - x.authorRevisions || cmp(x.author, y.author),
  );
}

/** One row of {@link fragmentation}. */
export interface FragmentationRow {
  entity: string;
  /** `1 − Σ (author revisions / total revisions)²`, two decimals: 0 for one author. */
  fractalValue: number;
  totalRevisions: number;
}

/** code-maat `fragmentation`: the fractal value of each entity, most fragmented first. */
export function fragmentation(agg: GitAggregates): FragmentationRow[] {
  const rows: FragmentationRow[] = [];
  for (const e of agg.entityIds()) {
    const total = agg.entities[e]!.revisions;
    let sum = 0;
    for (const c of agg.contributions[e]!.values()) sum += (c.revisions / total) ** 2;
    rows.push({ entity: agg.entityName(e), fractalValue: centi(1 - sum), totalRevisions: total });
  }
  return byCountsThenName(rows, [(r) => r.fractalValue, (r) => r.totalRevisions], (r) => r.entity);
}

/** One row of {@link communication}. */
export interface CommunicationRow {
  author: string;
  peer: string;
  /** Entities both worked on. */
  shared: number;
  /** `ceil` of the mean number of entities each worked on. */
  average: number;
  /** `floor(shared / average × 100)`. */
  strength: number;
}

/**
 * code-maat `communication`: for every ordered pair of authors, the entities they share and
 * a strength relative to the entities each worked on (Conway's law), strongest first.
 */
export function communication(agg: GitAggregates): CommunicationRow[] {
  const own = new Map<number, number>();
  const shared = new Map<number, number>();
  const base = agg.dict.authors.size + 1;
  for (const e of agg.entityIds()) {
    const ids = [...agg.contributions[e]!.keys()];
    for (const a of ids) own.set(a, (own.get(a) ?? 0) + 1);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const lo = Math.min(ids[i]!, ids[j]!);
        const hi = Math.max(ids[i]!, ids[j]!);
        const k = lo * base + hi;
        shared.set(k, (shared.get(k) ?? 0) + 1);
      }
    }
  }
  const rows: CommunicationRow[] = [];
  for (const [k, n] of shared) {
    const lo = Math.floor(k / base);
    const hi = k % base;
    const average = Math.ceil((own.get(lo)! + own.get(hi)!) / 2);
    const strength = Math.floor((n * 100) / average);
    const a = agg.authorName(lo);
    const b = agg.authorName(hi);
    rows.push({ author: a, peer: b, shared: n, average, strength });
    rows.push({ author: b, peer: a, shared: n, average, strength });
  }
  return rows.sort(
    (x, y) => y.strength - x.strength || cmp(x.author, y.author) || cmp(x.peer, y.peer),
  );
}
