/**
 * Knowledge distribution: the bus factor per folder and for the project, and knowledge loss
 * (files whose main developer has gone quiet). Ownership is code-maat's main developer by
 * lines added (by revisions for files no one added lines to, e.g. binaries).
 */
import { z } from "zod";
import type { GitAggregates } from "./aggregates.js";
import { mainDeveloperOf } from "./maat-people.js";
import { centi } from "./maat.js";
import { parseOptions } from "./scope.js";
import { DAY_MS } from "@devflow/events";

/** One folder's bus factor. */
export interface BusFactorRow {
  /** `.` for the whole project, else a folder path. */
  folder: string;
  /** Files (entities) considered in the folder. */
  files: number;
  /**
   * The fewest main developers whose leaving orphans more than `coverage` of the folder's
   * files (each file has one main developer, so the greedy choice is exact).
   */
  busFactor: number;
  /** Those developers and how many of the folder's files each owns, most first. */
  owners: Array<{ author: string; files: number }>;
}

const BusFactorSchema = z.strictObject({
  files: z
    .custom<Iterable<string>>((v) => v != null && typeof v === "object" && Symbol.iterator in v)
    .optional(),
  depth: z.number().int().min(0).max(64).optional(),
  coverage: z.number().gt(0).lt(1).optional(),
});

/** Options of {@link busFactor}. */
export interface BusFactorOptions {
  /** Paths that exist now (e.g. `git ls-files`); by default every entity in the history. */
  files?: Iterable<string>;
  /** Folder levels reported below the project; default 2 (0: the project only). */
  depth?: number;
  /** Share of files that must be orphaned; default 0.5. */
  coverage?: number;
}

function currentEntities(agg: GitAggregates, files: Iterable<string> | undefined): number[] {
  if (!files) return [...agg.entityIds()];
  const ids = new Set<number>();
  for (const path of files) {
    const entity = agg.scope.mapper(path);
    const id = entity === null ? undefined : agg.dict.entities.find(entity);
    if (id !== undefined && agg.entities[id]) ids.add(id);
  }
  return [...ids];
}

/** The main developer of entity `e` (by lines added; by revisions when none were added). */
export function ownerOf(agg: GitAggregates, e: number): { author: number; ownership: number } {
  let m = mainDeveloperOf(agg, e, "added");
  if (m.total === 0) m = mainDeveloperOf(agg, e, "revisions");
  return { author: m.author, ownership: centi(m.contribution / Math.max(m.total, 1)) };
}

/**
 * Bus factor of the project and of each folder down to `depth`, riskiest first (project row
 * first): how many main developers would have to leave before more than half (`coverage`)
 * of the files have no main developer left.
 */
export function busFactor(agg: GitAggregates, options: BusFactorOptions = {}): BusFactorRow[] {
  const opts = parseOptions(BusFactorSchema, options, "bus factor options");
  const depth = opts.depth ?? 2;
  const coverage = opts.coverage ?? 0.5;
  const owned = new Map<string, Map<number, number>>();
  const fileCount = new Map<string, number>();
  const note = (folder: string, author: number): void => {
    let m = owned.get(folder);
    if (!m) {
      m = new Map<number, number>();
      owned.set(folder, m);
    }
    m.set(author, (m.get(author) ?? 0) + 1);
    fileCount.set(folder, (fileCount.get(folder) ?? 0) + 1);
  };
  for (const e of currentEntities(agg, opts.files)) {
    const { author } = ownerOf(agg, e);
    note(".", author);
    const parts = agg.entityName(e).split("/");
    for (let d = 1; d <= Math.min(depth, parts.length - 1); d++) {
      note(parts.slice(0, d).join("/"), author);
    }
  }
  const rows: BusFactorRow[] = [];
  for (const [folder, byAuthor] of owned) {
    const files = fileCount.get(folder)!;
    const ranked = [...byAuthor]
      .map(([a, n]) => ({ author: agg.authorName(a), files: n }))
      .sort((x, y) => y.files - x.files || (x.author < y.author ? -1 : 1));
    const owners: BusFactorRow["owners"] = [];
    let orphaned = 0;
    for (const o of ranked) {
      if (orphaned > coverage * files) break;
      owners.push(o);
      orphaned += o.files;
    }
    rows.push({ folder, files, busFactor: owners.length, owners });
  }
  return rows.sort(
    (x, y) =>
      Number(y.folder === ".") - Number(x.folder === ".") ||
      x.busFactor - y.busFactor ||
      y.files - x.files ||
      (x.folder < y.folder ? -1 : 1),
  );
}

/** A file whose main developer has been inactive. */
export interface KnowledgeLossRow {
  entity: string;
  mainDev: string;
  ownership: number;
  /** The main developer's last change anywhere in the scope, ms. */
  lastActiveAt: number;
  /** Whole days since then. */
  inactiveDays: number;
}

/** What {@link knowledgeLoss} found. */
export interface KnowledgeLossReport {
  /** Files considered. */
  files: number;
  /** Files whose main developer is inactive, longest inactive first. */
  rows: KnowledgeLossRow[];
  /** `rows.length / files`, two decimals. */
  share: number;
  /** Inactive main developers, with the files they own. */
  authors: Array<{ author: string; lastActiveAt: number; inactiveDays: number; files: number }>;
}

const KnowledgeLossSchema = z.strictObject({
  now: z.number().int().nonnegative(),
  inactiveDays: z.number().int().min(0).optional(),
  files: BusFactorSchema.shape.files,
});

/**
 * Knowledge loss: files whose main developer has made no change in the scope for at least
 * `inactiveDays` (default 90) before `now`.
 */
export function knowledgeLoss(
  agg: GitAggregates,
  options: { now: number; inactiveDays?: number; files?: Iterable<string> },
): KnowledgeLossReport {
  const opts = parseOptions(KnowledgeLossSchema, options, "knowledge loss options");
  const threshold = opts.inactiveDays ?? 90;
  const entities = currentEntities(agg, opts.files);
  const rows: KnowledgeLossRow[] = [];
  const byAuthor = new Map<number, number>();
  for (const e of entities) {
    const { author, ownership } = ownerOf(agg, e);
    const last = agg.authors[author]!.lastAt;
    const inactiveDays = Math.floor((opts.now - last) / DAY_MS);
    if (inactiveDays < threshold) continue;
    byAuthor.set(author, (byAuthor.get(author) ?? 0) + 1);
    rows.push({
      entity: agg.entityName(e),
      mainDev: agg.authorName(author),
      ownership,
      lastActiveAt: last,
      inactiveDays,
    });
  }
  rows.sort((x, y) => y.inactiveDays - x.inactiveDays || (x.entity < y.entity ? -1 : 1));
  const authors = [...byAuthor]
    .map(([a, files]) => ({
      author: agg.authorName(a),
      lastActiveAt: agg.authors[a]!.lastAt,
      inactiveDays: Math.floor((opts.now - agg.authors[a]!.lastAt) / DAY_MS),
      files,
    }))
    .sort((x, y) => y.files - x.files || (x.author < y.author ? -1 : 1));
  return {
    files: entities.length,
    rows,
    share: centi(entities.length ? rows.length / entities.length : 0),
    authors,
  };
}
