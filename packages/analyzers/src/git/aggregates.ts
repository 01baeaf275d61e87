import { z } from "zod";
import { DevflowError } from "@devflow/events";
import type { CommitRepository } from "@devflow/storage";
import {
  createDictionary,
  type FactsDictionary,
  forEachChange,
  type LogicalChange,
  type ReadChangesOptions,
} from "./facts.js";
import { type GitScope, parseOptions, type ResolvedScope, resolveScope } from "./scope.js";
import { monthIndex } from "./time.js";

/** code-maat's default maximum changeset size for coupling (`-s`). */
export const DEFAULT_MAX_CHANGESET_SIZE = 30;

/** Per-entity totals over the scope. */
export interface EntityStats {
  /** Changes that touched the entity (code-maat's n-revs). */
  revisions: number;
  added: number;
  deleted: number;
  firstAt: number;
  lastAt: number;
  /** Revisions in changes of at most `maxChangesetSize` entities (coupling's revisions). */
  couplingRevisions: number;
  /** Sum of coupling: the other entities of every change it was in. */
  soc: number;
}

/** What one author did to one entity. */
export interface Contribution {
  revisions: number;
  added: number;
  deleted: number;
}

/** Per-author totals over the scope. */
export interface AuthorStats {
  /** Logical changes (commits without temporal grouping). */
  changes: number;
  added: number;
  deleted: number;
  firstAt: number;
  lastAt: number;
}

/** Churn of one local day or month. */
export interface PeriodChurn {
  added: number;
  deleted: number;
  /** Changes (per day) or revisions of the entity (per month). */
  count: number;
}

const PAIR_BASE = 4_194_304; // 2^22 entities per side keeps a pair key below 2^53

/** The key of the unordered entity pair `a`/`b` in {@link GitAggregates.pairs}. */
export function pairKey(a: number, b: number): number {
  return a < b ? a * PAIR_BASE + b : b * PAIR_BASE + a;
}

/** The two entity ids of a {@link pairKey}, smaller first. */
export function pairOf(key: number): [number, number] {
  return [Math.floor(key / PAIR_BASE), key % PAIR_BASE];
}

/** Options of {@link GitAggregates}. */
export interface AggregateOptions {
  /** Changes with more entities are left out of coupling counts; default 30 (code-maat). */
  maxChangesetSize?: number;
  /**
   * Count every co-changing pair (for an incremental index). Off by default: a one-shot
   * coupling analysis counts only pairs of entities that can pass its thresholds.
   */
  trackPairs?: boolean;
}

const AggregateOptionsSchema = z.strictObject({
  maxChangesetSize: z.number().int().min(1).optional(),
  trackPairs: z.boolean().optional(),
});

/**
 * Additive totals of a scope's logical changes, from which the code-maat analyses, hotspots
 * and knowledge are derived without reading the facts again. Folding is order-independent, so
 * new commits can be added to an existing instance (see {@link GitAnalyticsIndex}).
 */
export class GitAggregates {
  readonly scope: ResolvedScope;
  readonly dict: FactsDictionary;
  readonly maxChangesetSize: number;
  /** Logical changes folded in (code-maat's number-of-commits). */
  changes = 0;
  /** Commits folded in (differs from `changes` with temporal grouping). */
  commits = 0;
  /** Entity modifications (code-maat's number-of-entities-changed). */
  modifications = 0;
  /** Per entity id. */
  readonly entities: EntityStats[] = [];
  /** Per entity id: author id → contribution. */
  readonly contributions: Array<Map<number, Contribution>> = [];
  /** Per author id. */
  readonly authors: AuthorStats[] = [];
  /** Local day number → churn of that day. */
  readonly days = new Map<number, PeriodChurn>();
  /** Per entity id: {@link monthIndex} → churn of the entity that month. */
  readonly months: Array<Map<number, PeriodChurn>> = [];
  /** {@link pairKey} → shared revisions, when tracking pairs. */
  readonly pairs: Map<number, number> | null;

  constructor(
    scope: GitScope | ResolvedScope,
    options: AggregateOptions = {},
    dict?: FactsDictionary,
  ) {
    const opts = parseOptions(AggregateOptionsSchema, options, "aggregate options");
    this.scope = resolveScope(scope);
    this.dict = dict ?? createDictionary();
    this.maxChangesetSize = opts.maxChangesetSize ?? DEFAULT_MAX_CHANGESET_SIZE;
    this.pairs = opts.trackPairs ? new Map() : null;
  }

  /** Folds one logical change in. */
  add(change: LogicalChange): void {
    const { entities: ids, added, deleted, at, author } = change;
    const n = ids.length;
    if (n === 0) return;
    if (this.dict.entities.size >= PAIR_BASE) {
      throw new DevflowError("ANALYZERS_TOO_LARGE", `more than ${PAIR_BASE} distinct entities`);
    }
    this.changes++;
    this.commits += change.commits;
    this.modifications += n;
    const small = n <= this.maxChangesetSize;
    const parts = this.scope.zone.parts(at);
    const month = monthIndex(parts.year, parts.month);
    let addedSum = 0;
    let deletedSum = 0;
    for (let i = 0; i < n; i++) {
      const e = ids[i]!;
      const a = added[i]!;
      const d = deleted[i]!;
      addedSum += a;
      deletedSum += d;
      let s = this.entities[e];
      if (!s) {
        s = this.entities[e] = {
          revisions: 0,
          added: 0,
          deleted: 0,
          firstAt: at,
          lastAt: at,
          couplingRevisions: 0,
          soc: 0,
        };
        this.contributions[e] = new Map();
        this.months[e] = new Map();
      }
      s.revisions++;
      s.added += a;
      s.deleted += d;
      if (at < s.firstAt) s.firstAt = at;
      if (at > s.lastAt) s.lastAt = at;
      s.soc += n - 1;
      if (small) s.couplingRevisions++;
      const byAuthor = this.contributions[e]!;
      const c = byAuthor.get(author);
      if (c) {
        c.revisions++;
        c.added += a;
        c.deleted += d;
      } else byAuthor.set(author, { revisions: 1, added: a, deleted: d });
      addChurn(this.months[e]!, month, a, d);
    }
    const who = this.authors[author];
    if (who) {
      who.changes++;
      who.added += addedSum;
      who.deleted += deletedSum;
      if (at < who.firstAt) who.firstAt = at;
      if (at > who.lastAt) who.lastAt = at;
    } else {
      this.authors[author] = {
        changes: 1,
        added: addedSum,
        deleted: deletedSum,
        firstAt: at,
        lastAt: at,
      };
    }
    addChurn(this.days, parts.dayNumber, addedSum, deletedSum);
    if (this.pairs && small && n > 1) {
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const k = pairKey(ids[i]!, ids[j]!);
          this.pairs.set(k, (this.pairs.get(k) ?? 0) + 1);
        }
      }
    }
  }

  /** The name of entity `id`. */
  entityName(id: number): string {
    return this.dict.entities.names[id]!;
  }

  /** The name of author `id`. */
  authorName(id: number): string {
    return this.dict.authors.names[id]!;
  }

  /** Entity ids that have stats, in id order. */
  *entityIds(): IterableIterator<number> {
    for (let e = 0; e < this.entities.length; e++) if (this.entities[e]) yield e;
  }

  /** Author ids that have stats, in id order. */
  *authorIds(): IterableIterator<number> {
    for (let a = 0; a < this.authors.length; a++) if (this.authors[a]) yield a;
  }
}

function addChurn(map: Map<number, PeriodChurn>, key: number, added: number, deleted: number) {
  const c = map.get(key);
  if (c) {
    c.count++;
    c.added += added;
    c.deleted += deleted;
  } else map.set(key, { added, deleted, count: 1 });
}

/**
 * Reads a scope's stored facts once and folds them into {@link GitAggregates}.
 *
 * @example
 * const agg = buildAggregates(storage, { projectId: project.id });
 * const hot = revisions(agg).slice(0, 10);
 */
export function buildAggregates(
  commits: CommitRepository,
  scope: GitScope | ResolvedScope,
  options: AggregateOptions = {},
  read: ReadChangesOptions = {},
): GitAggregates {
  const agg = new GitAggregates(scope, options);
  forEachChange(commits, { scope: agg.scope, dict: agg.dict }, (c) => agg.add(c), read);
  return agg;
}
