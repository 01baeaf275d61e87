import type { CommitRepository } from "@devflow/storage";
import {
  type CouplingThresholds,
  couplingRow,
  passesThresholds,
  resolveThresholds,
} from "./coupling.js";
import { createDictionary, forEachChange } from "./facts.js";
import { type GitScope, type ResolvedScope, resolveScope } from "./scope.js";

/** A file that usually changes with a changed file but is not in the change. */
export interface CoChangeRow {
  /** The entity in the change set. */
  changed: string;
  /** The entity that historically changes with it and is missing from the change set. */
  missing: string;
  /** Coupling degree in percent, as {@link coupling}. */
  degree: number;
  sharedRevs: number;
  averageRevs: number;
  changedRevs: number;
  missingRevs: number;
}

/** What {@link coChanges} found. */
export interface CoChangeReport {
  /** The change set as entities (after the scope's filters and components), sorted. */
  changed: string[];
  /** Given paths the scope filters out (they take no part in the check). */
  ignored: string[];
  /** Missing co-changes, strongest first. */
  rows: CoChangeRow[];
  /** The thresholds applied. */
  thresholds: Required<CouplingThresholds>;
}

/**
 * The co-change check an assistant runs before committing: given the changed paths, the
 * entities that historically change together with one of them (coupling above the
 * thresholds, code-maat's defaults) but are not in the set, each with its degree and shared
 * revisions. One streaming pass over the stored facts counts revisions of every entity and
 * pairs that involve a changed entity only.
 *
 * @example
 * const { rows } = coChanges(storage, { projectId }, ["src/a.ts"]);
 * // rows[0] → { changed: "src/a.ts", missing: "src/b.ts", degree: 100, sharedRevs: 7, … }
 */
export function coChanges(
  commits: CommitRepository,
  scope: GitScope | ResolvedScope,
  changedPaths: readonly string[],
  thresholds: CouplingThresholds = {},
): CoChangeReport {
  const resolved = resolveScope(scope);
  const t = resolveThresholds(thresholds);
  const dict = createDictionary();
  const changed = new Set<number>();
  const ignored: string[] = [];
  for (const path of changedPaths) {
    const entity = resolved.mapper(path);
    if (entity === null) ignored.push(path);
    else changed.add(dict.entities.id(entity));
  }
  const revs: number[] = [];
  const pairs = new Map<number, Map<number, number>>();
  for (const s of changed) pairs.set(s, new Map());
  const inChange: number[] = [];
  if (changed.size > 0) {
    forEachChange(commits, { scope: resolved, dict }, (c) => {
      if (c.entities.length > t.maxChangesetSize) return;
      inChange.length = 0;
      for (const e of c.entities) {
        revs[e] = (revs[e] ?? 0) + 1;
        if (changed.has(e)) inChange.push(e);
      }
      for (const s of inChange) {
        const counts = pairs.get(s)!;
        for (const g of c.entities) if (g !== s) counts.set(g, (counts.get(g) ?? 0) + 1);
      }
    });
  }
  const rows: CoChangeRow[] = [];
  for (const [s, counts] of pairs) {
    for (const [g, shared] of counts) {
      if (changed.has(g)) continue;
      const rs = revs[s] ?? 0;
      const rg = revs[g] ?? 0;
      if (!passesThresholds(t, rs, rg, shared)) continue;
      const r = couplingRow({ entity: "a", revisions: rs }, { entity: "b", revisions: rg }, shared);
      rows.push({
        changed: dict.entities.names[s]!,
        missing: dict.entities.names[g]!,
        degree: r.degree,
        sharedRevs: shared,
        averageRevs: r.averageRevs,
        changedRevs: rs,
        missingRevs: rg,
      });
    }
  }
  rows.sort(
    (x, y) =>
      y.degree - x.degree ||
      y.sharedRevs - x.sharedRevs ||
      (x.missing < y.missing ? -1 : x.missing > y.missing ? 1 : 0) ||
      (x.changed < y.changed ? -1 : x.changed > y.changed ? 1 : 0),
  );
  return {
    changed: [...changed].map((e) => dict.entities.names[e]!).sort(),
    ignored,
    rows,
    thresholds: t,
  };
}
