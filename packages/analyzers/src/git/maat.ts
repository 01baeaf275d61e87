/**
 * code-maat's analyses over {@link GitAggregates}: summary, revisions, authors, churn, code age
 * and sum of coupling. Each keeps code-maat's definition; ties are broken by name so results
 * are deterministic.
 */
import { z } from "zod";
import type { GitAggregates } from "./aggregates.js";
import { parseOptions } from "./scope.js";
import { dayKey, wholeMonthsBetween } from "./time.js";

/** Sorts by the numeric keys given (descending), then by `name` ascending. */
export function byCountsThenName<T>(
  rows: T[],
  counts: ReadonlyArray<(row: T) => number>,
  name: (row: T) => string,
): T[] {
  return rows.sort((a, b) => {
    for (const c of counts) {
      const d = c(b) - c(a);
      if (d !== 0) return d;
    }
    const x = name(a);
    const y = name(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** code-maat's ratio rounding to two decimals (`ratio->centi-float-precision`). */
export function centi(ratio: number): number {
  return Math.round(ratio * 100) / 100;
}

/** One row of {@link summary}. */
export interface SummaryRow {
  statistic:
    "number-of-commits" | "number-of-entities" | "number-of-entities-changed" | "number-of-authors";
  value: number;
}

/**
 * code-maat `summary`: logical changes with at least one entity (merges have none), distinct
 * entities, entity modifications and distinct authors.
 */
export function summary(agg: GitAggregates): SummaryRow[] {
  let entities = 0;
  for (const _ of agg.entityIds()) entities++;
  let authors = 0;
  for (const _ of agg.authorIds()) authors++;
  return [
    { statistic: "number-of-commits", value: agg.changes },
    { statistic: "number-of-entities", value: entities },
    { statistic: "number-of-entities-changed", value: agg.modifications },
    { statistic: "number-of-authors", value: authors },
  ];
}

/** One row of {@link revisions}. */
export interface RevisionsRow {
  entity: string;
  /** Changes that touched the entity (code-maat `n-revs`). */
  revisions: number;
}

/** code-maat `revisions`: change frequency per entity, most changed first. */
export function revisions(agg: GitAggregates): RevisionsRow[] {
  const rows: RevisionsRow[] = [];
  for (const e of agg.entityIds()) {
    rows.push({ entity: agg.entityName(e), revisions: agg.entities[e]!.revisions });
  }
  return byCountsThenName(rows, [(r) => r.revisions], (r) => r.entity);
}

/** One row of {@link authors}. */
export interface AuthorsRow {
  entity: string;
  /** Distinct authors (code-maat `n-authors`). */
  authors: number;
  revisions: number;
}

/** code-maat `authors`: distinct authors and revisions per entity, most authors first. */
export function authors(agg: GitAggregates): AuthorsRow[] {
  const rows: AuthorsRow[] = [];
  for (const e of agg.entityIds()) {
    rows.push({
      entity: agg.entityName(e),
      authors: agg.contributions[e]!.size,
      revisions: agg.entities[e]!.revisions,
    });
  }
  return byCountsThenName(rows, [(r) => r.authors, (r) => r.revisions], (r) => r.entity);
}

/** One row of {@link absoluteChurn}. */
export interface AbsoluteChurnRow {
  /** Local date `YYYY-MM-DD`. */
  date: string;
  added: number;
  deleted: number;
  /** Logical changes that day. */
  commits: number;
}

/**
 * code-maat `abs-churn`: lines added and deleted per local day (days with changes only), oldest
 * first. `commits` counts changes (code-maat counts file rows here).
 */
export function absoluteChurn(agg: GitAggregates): AbsoluteChurnRow[] {
  return [...agg.days.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, c]) => ({
      date: dayKey(day),
      added: c.added,
      deleted: c.deleted,
      commits: c.count,
    }));
}

/** One row of {@link authorChurn}. */
export interface AuthorChurnRow {
  author: string;
  added: number;
  deleted: number;
  /** Logical changes by the author. */
  commits: number;
}

/** code-maat `author-churn`: lines added and deleted per author, by author name. */
export function authorChurn(agg: GitAggregates): AuthorChurnRow[] {
  const rows: AuthorChurnRow[] = [];
  for (const a of agg.authorIds()) {
    const s = agg.authors[a]!;
    rows.push({
      author: agg.authorName(a),
      added: s.added,
      deleted: s.deleted,
      commits: s.changes,
    });
  }
  return byCountsThenName(rows, [], (r) => r.author);
}

/** One row of {@link entityChurn}. */
export interface EntityChurnRow {
  entity: string;
  added: number;
  deleted: number;
  /** Revisions of the entity. */
  commits: number;
}

/** code-maat `entity-churn`: lines added and deleted per entity, most added first. */
export function entityChurn(agg: GitAggregates): EntityChurnRow[] {
  const rows: EntityChurnRow[] = [];
  for (const e of agg.entityIds()) {
    const s = agg.entities[e]!;
    rows.push({
      entity: agg.entityName(e),
      added: s.added,
      deleted: s.deleted,
      commits: s.revisions,
    });
  }
  return byCountsThenName(rows, [(r) => r.added], (r) => r.entity);
}

const AgeOptionsSchema = z.strictObject({ now: z.number().int().nonnegative() });

/** One row of {@link codeAge}. */
export interface CodeAgeRow {
  entity: string;
  /** Whole months from the entity's last change to `now`. */
  ageMonths: number;
  /** The last change, ms. */
  lastChangedAt: number;
}

/**
 * code-maat `age`: whole months since each entity last changed, youngest first. `now` is
 * code-maat's `--age-time-now`; entities changed after it are left out (set the scope's
 * `until` to `now` to age the history as of a past date).
 */
export function codeAge(agg: GitAggregates, options: { now: number }): CodeAgeRow[] {
  const { now } = parseOptions(AgeOptionsSchema, options, "age options");
  const zone = agg.scope.zone;
  const nowParts = zone.parts(now);
  const rows: CodeAgeRow[] = [];
  for (const e of agg.entityIds()) {
    const last = agg.entities[e]!.lastAt;
    if (last >= now) continue;
    rows.push({
      entity: agg.entityName(e),
      ageMonths: wholeMonthsBetween(zone.parts(last), nowParts),
      lastChangedAt: last,
    });
  }
  return byCountsThenName(rows, [(r) => -r.ageMonths], (r) => r.entity);
}

const SocOptionsSchema = z.strictObject({ minRevs: z.number().int().min(0).optional() });

/** One row of {@link sumOfCoupling}. */
export interface SumOfCouplingRow {
  entity: string;
  /** The other entities of every change the entity was in, summed. */
  soc: number;
}

/**
 * code-maat `soc`: for each entity, the number of other entities it changed together with,
 * summed over all its changes (no changeset limit), keeping entities whose sum exceeds
 * `minRevs` (default 5, code-maat's strict `>`), highest first.
 */
export function sumOfCoupling(
  agg: GitAggregates,
  options: { minRevs?: number } = {},
): SumOfCouplingRow[] {
  const minRevs = parseOptions(SocOptionsSchema, options, "soc options").minRevs ?? 5;
  const rows: SumOfCouplingRow[] = [];
  for (const e of agg.entityIds()) {
    const soc = agg.entities[e]!.soc;
    if (soc > minRevs) rows.push({ entity: agg.entityName(e), soc });
  }
  return byCountsThenName(rows, [(r) => r.soc], (r) => r.entity);
}
