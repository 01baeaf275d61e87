import type { CommitRepository } from "@devflow/storage";
import type { ResolvedScope } from "./scope.js";
import { dayKey } from "./time.js";

/** Interns names (entities, authors) as dense integer ids. */
export class Interner {
  readonly #ids = new Map<string, number>();
  /** Names by id. */
  readonly names: string[] = [];

  /** The id of `name`, assigning the next one when it is new. */
  id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.#ids.set(name, id);
    }
    return id;
  }

  /** The id of `name`, or `undefined` when it was never seen. */
  find(name: string): number | undefined {
    return this.#ids.get(name);
  }

  /** How many names were interned. */
  get size(): number {
    return this.names.length;
  }
}

/**
 * One logical change: a commit, or with temporal grouping all commits of one author in one
 * period. Entities are distinct within a change; lines of binary files count as 0.
 */
export interface LogicalChange {
  /** The commit hash, or `<author>@<first day>` for a temporal group. */
  id: string;
  /** Interned author id (see {@link FactsDictionary.authors}). */
  author: number;
  /** Authored time of the (first) commit, ms. */
  at: number;
  /** Commits in this change (1 without temporal grouping). */
  commits: number;
  /** Interned entity ids, distinct. */
  entities: number[];
  /** Lines added per entity (parallel to `entities`). */
  added: number[];
  /** Lines deleted per entity (parallel to `entities`). */
  deleted: number[];
  /** Commit messages, only when requested (`null` when a message was not stored). */
  messages: Array<string | null>;
}

/** Entity and author names shared by every pass over the same scope. */
export interface FactsDictionary {
  entities: Interner;
  authors: Interner;
}

/** Creates an empty {@link FactsDictionary}. */
export function createDictionary(): FactsDictionary {
  return { entities: new Interner(), authors: new Interner() };
}

/** Options of {@link forEachChange}. */
export interface ReadChangesOptions {
  /** Also read commit messages into {@link LogicalChange.messages}. */
  messages?: boolean;
  /** Only commits stored after this commits-table rowid (incremental refresh). */
  afterRowId?: number;
  /** Only commits stored at or before this rowid. */
  upToRowId?: number;
}

/** What one pass read. */
export interface ReadChangesResult {
  /** Commits read (those with at least one stored file row in the time range). */
  commits: number;
  /** File rows read. */
  rows: number;
}

class ChangeBuilder {
  change: LogicalChange | null = null;
  bucket = 0;
  readonly #slot: number[] = [];
  readonly #stamp: number[] = [];
  #seq = 0;

  open(id: string, author: number, at: number, bucket: number): LogicalChange {
    this.#seq++;
    this.bucket = bucket;
    this.change = {
      id,
      author,
      at,
      commits: 0,
      entities: [],
      added: [],
      deleted: [],
      messages: [],
    };
    return this.change;
  }

  add(entity: number, added: number, deleted: number): void {
    const c = this.change!;
    if (this.#stamp[entity] === this.#seq) {
      const i = this.#slot[entity]!;
      c.added[i]! += added;
      c.deleted[i]! += deleted;
      return;
    }
    this.#stamp[entity] = this.#seq;
    this.#slot[entity] = c.entities.length;
    c.entities.push(entity);
    c.added.push(added);
    c.deleted.push(deleted);
  }
}

/**
 * Streams the logical changes of a scope from the stored `commits`/`commit_files` facts,
 * oldest first, without holding more than the open changes in memory: one SQL pass ordered by
 * authored time (or by rowid for an incremental refresh). Paths go through the scope's mapper
 * (filters and components); commits with no file left in scope (merges, excluded paths) are
 * not changes, as in code-maat, whose input has no files for them either.
 */
export function forEachChange(
  commits: CommitRepository,
  into: { readonly scope: ResolvedScope; readonly dict: FactsDictionary },
  visit: (change: LogicalChange) => void,
  options: ReadChangesOptions = {},
): ReadChangesResult {
  const { scope, dict } = into;
  const rows = commits.streamFileChanges({
    projectId: scope.projectId,
    from: scope.since,
    to: scope.until,
    authorKey: scope.authorKey,
    afterRowId: options.afterRowId,
    upToRowId: options.upToRowId,
    messages: options.messages,
  });

  const { mapper, zone } = scope;
  const period = scope.temporalPeriodDays;
  const result: ReadChangesResult = { commits: 0, rows: 0 };
  const single = new ChangeBuilder();
  const groups = new Map<number, ChangeBuilder>();
  let lastHash = "";
  let sweepDay = Number.NEGATIVE_INFINITY;

  const emit = (b: ChangeBuilder): void => {
    const c = b.change;
    b.change = null;
    if (c && c.entities.length > 0) visit(c);
  };
  /** The open change a commit of `author` at `at` belongs to (flushing what it closes). */
  const changeFor = (hash: string, author: number, at: number): ChangeBuilder => {
    if (period === undefined) {
      emit(single);
      single.open(hash, author, at, 0);
      return single;
    }
    const day = zone.dayNumber(at);
    // Periods start on Mondays (day 4 after 1970-01-01, a Thursday).
    const bucket = Math.floor((day + 3) / period);
    if (day > sweepDay) {
      sweepDay = day;
      for (const [a, b] of groups) {
        if (b.bucket >= bucket) continue;
        emit(b);
        groups.delete(a);
      }
    }
    let builder = groups.get(author);
    if (builder?.change && builder.bucket !== bucket) emit(builder);
    if (!builder) groups.set(author, (builder = new ChangeBuilder()));
    if (!builder.change) {
      builder.open(
        `${dict.authors.names[author]}@${dayKey(bucket * period - 3)}`,
        author,
        at,
        bucket,
      );
    }
    return builder;
  };

  let current: ChangeBuilder | null = null;
  let counted = false;
  for (const row of rows) {
    result.rows++;
    const [hash, who, at, path, ins, del, message] = row;
    if (hash !== lastHash) {
      lastHash = hash;
      counted = false;
      result.commits++;
    }
    const entity = mapper(path);
    if (entity === null) continue;
    if (!counted) {
      counted = true;
      current = changeFor(hash, dict.authors.id(who), at);
      current.change!.commits++;
      if (options.messages) current.change!.messages.push(message);
    }
    current!.add(dict.entities.id(entity), ins ?? 0, del ?? 0);
  }
  if (single.change) emit(single);
  for (const b of groups.values()) emit(b);
  return result;
}
