/**
 * code-maat's logical coupling: entities that change together. Degree = shared revisions ÷
 * the mean revisions of the pair (counted over changes of at most `maxChangesetSize`
 * entities), with code-maat's thresholds and defaults.
 */
import { z } from "zod";
import { DevflowError } from "@devflow/events";
import type { CommitRepository } from "@devflow/storage";
import { DEFAULT_MAX_CHANGESET_SIZE, GitAggregates, pairKey, pairOf } from "./aggregates.js";
import { createDictionary, forEachChange } from "./facts.js";
import { byCountsThenName } from "./maat.js";
import { type GitScope, parseOptions, type ResolvedScope, resolveScope } from "./scope.js";

/** Thresholds of a coupling analysis (code-maat's `-n -m -i -x -s`). */
export interface CouplingThresholds {
  /** Minimum mean revisions of a pair (default 5). */
  minRevs?: number;
  /** Minimum shared revisions (default 5). */
  minSharedRevs?: number;
  /** Minimum degree in percent (default 30). */
  minCoupling?: number;
  /** Maximum degree in percent (default 100). */
  maxCoupling?: number;
  /** Changes with more entities are skipped (default 30). */
  maxChangesetSize?: number;
}

/** {@link CouplingThresholds} with every default filled in. */
export type ResolvedThresholds = Required<CouplingThresholds>;

/** code-maat's defaults: min-revs 5, min-shared-revs 5, 30–100 %, changesets ≤ 30 files. */
export const DEFAULT_COUPLING_THRESHOLDS: Readonly<ResolvedThresholds> = Object.freeze({
  minRevs: 5,
  minSharedRevs: 5,
  minCoupling: 30,
  maxCoupling: 100,
  maxChangesetSize: DEFAULT_MAX_CHANGESET_SIZE,
});

const count = z.number().int().min(0);
const ThresholdsSchema = z
  .strictObject({
    minRevs: count.optional(),
    minSharedRevs: count.optional(),
    minCoupling: z.number().min(0).max(100).optional(),
    maxCoupling: z.number().min(0).max(100).optional(),
    maxChangesetSize: z.number().int().min(1).optional(),
  })
  .refine((t) => (t.minCoupling ?? 30) <= (t.maxCoupling ?? 100), {
    message: "minCoupling must not exceed maxCoupling",
    path: ["minCoupling"],
  });

/**
 * Validates coupling thresholds and fills code-maat's defaults.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` naming the bad threshold.
 */
export function resolveThresholds(t: CouplingThresholds = {}): ResolvedThresholds {
  return { ...DEFAULT_COUPLING_THRESHOLDS, ...parseOptions(ThresholdsSchema, t, "thresholds") };
}

/** One coupled pair. */
export interface CouplingRow {
  /** The alphabetically first entity of the pair. */
  entity: string;
  coupled: string;
  /** `floor(shared / mean revisions × 100)`. */
  degree: number;
  /** `ceil` of the mean revisions of the two entities. */
  averageRevs: number;
  sharedRevs: number;
  /** Revisions of `entity` and `coupled` (changes within the changeset limit). */
  entityRevs: number;
  coupledRevs: number;
}

/** Whether a pair passes the thresholds (integer arithmetic: no rounding at 30 % exactly). */
export function passesThresholds(
  t: ResolvedThresholds,
  revsA: number,
  revsB: number,
  shared: number,
): boolean {
  const sum = revsA + revsB;
  return (
    sum >= 2 * t.minRevs &&
    shared >= t.minSharedRevs &&
    shared * 200 >= t.minCoupling * sum &&
    Math.floor((shared * 200) / sum) <= t.maxCoupling
  );
}

/** The {@link CouplingRow} of a pair (no threshold check). */
export function couplingRow(
  first: { readonly entity: string; readonly revisions: number },
  second: { readonly entity: string; readonly revisions: number },
  shared: number,
): CouplingRow {
  const { entity: a, revisions: revsA } = first;
  const { entity: b, revisions: revsB } = second;
  const [entity, coupled, entityRevs, coupledRevs] =
    a <= b ? [a, b, revsA, revsB] : [b, a, revsB, revsA];
  return {
    entity,
    coupled,
    degree: Math.floor((shared * 200) / (revsA + revsB)),
    averageRevs: Math.ceil((revsA + revsB) / 2),
    sharedRevs: shared,
    entityRevs,
    coupledRevs,
  };
}

function rowsFromPairs(
  names: readonly string[],
  revs: ArrayLike<number | undefined>,
  pairs: Map<number, number>,
  t: ResolvedThresholds,
): CouplingRow[] {
  const rows: CouplingRow[] = [];
  for (const [k, shared] of pairs) {
    const [a, b] = pairOf(k);
    const ra = revs[a] ?? 0;
    const rb = revs[b] ?? 0;
    if (!passesThresholds(t, ra, rb, shared)) continue;
    rows.push(
      couplingRow(
        { entity: names[a]!, revisions: ra },
        { entity: names[b]!, revisions: rb },
        shared,
      ),
    );
  }
  return byCountsThenName(
    rows,
    [(r) => r.degree, (r) => r.averageRevs],
    (r) => `${r.entity}\u0000${r.coupled}`,
  );
}

const couplingRevisionsOf = (agg: GitAggregates): number[] =>
  agg.entities.map((e) => e?.couplingRevisions ?? 0);

/**
 * code-maat `coupling` from aggregates that tracked every pair (an incremental index).
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` when the aggregates tracked no pairs or
 *   used another changeset limit.
 */
export function couplingFromAggregates(
  agg: GitAggregates,
  thresholds: CouplingThresholds = {},
): CouplingRow[] {
  const t = resolveThresholds({ maxChangesetSize: agg.maxChangesetSize, ...thresholds });
  if (!agg.pairs || t.maxChangesetSize !== agg.maxChangesetSize) {
    throw new DevflowError(
      "ANALYZERS_BAD_ARGUMENT",
      "these aggregates did not count pairs for this changeset limit; use coupling()",
    );
  }
  return rowsFromPairs(agg.dict.entities.names, couplingRevisionsOf(agg), agg.pairs, t);
}

/**
 * code-maat `coupling` over a scope's stored facts, strongest first. Two streaming passes
 * bound the memory: the first counts revisions per entity (skipped when `scope` is aggregates
 * with the same changeset limit), the second counts pairs only between entities with at least
 * `minSharedRevs` revisions, the only ones that can pass. Each pair is listed once, the
 * alphabetically first entity in `entity`.
 */
export function coupling(
  commits: CommitRepository,
  scope: GitScope | ResolvedScope | GitAggregates,
  thresholds: CouplingThresholds = {},
): CouplingRow[] {
  const t = resolveThresholds(thresholds);
  const reuse = scope instanceof GitAggregates ? scope : undefined;
  const resolved = reuse ? reuse.scope : resolveScope(scope as GitScope | ResolvedScope);
  const dict = reuse?.dict ?? createDictionary();
  let revs: number[];
  if (reuse && reuse.maxChangesetSize === t.maxChangesetSize) revs = couplingRevisionsOf(reuse);
  else {
    revs = [];
    forEachChange(commits, { scope: resolved, dict }, (c) => {
      if (c.entities.length > t.maxChangesetSize) return;
      for (const e of c.entities) revs[e] = (revs[e] ?? 0) + 1;
    });
  }
  const minRevs = Math.max(1, t.minSharedRevs);
  const eligible = revs.map((r) => (r ?? 0) >= minRevs);
  const pairs = new Map<number, number>();
  const kept: number[] = [];
  forEachChange(commits, { scope: resolved, dict }, (c) => {
    if (c.entities.length > t.maxChangesetSize) return;
    kept.length = 0;
    for (const e of c.entities) if (eligible[e]) kept.push(e);
    for (let i = 0; i < kept.length; i++) {
      for (let j = i + 1; j < kept.length; j++) {
        const k = pairKey(kept[i]!, kept[j]!);
        pairs.set(k, (pairs.get(k) ?? 0) + 1);
      }
    }
  });
  return rowsFromPairs(dict.entities.names, revs, pairs, t);
}
