import type Database from "better-sqlite3";
import { z } from "zod";
import { DevflowError, toFieldIssues } from "@devflow/events";
import { StatementCache } from "../statement-cache.js";

const count = z.number().int().nonnegative();
const ms = z.number().int().nonnegative();

const CommitFileSchema = z.strictObject({
  path: z.string().min(1).max(4096),
  /** `null` for binary files. */
  insertions: count.nullable(),
  deletions: count.nullable(),
});

/** Schema of one commit given to {@link CommitRepository.insertMany}; totals default from `files`. */
export const CommitInputSchema = z.strictObject({
  projectId: z.string().min(1).max(128),
  hash: z.string().regex(/^[0-9a-f]{7,64}$/, "must be a hex commit hash"),
  parents: z.array(z.string().min(1)).default([]),
  authorName: z.string().max(512),
  authorEmail: z.string().max(512),
  authoredAt: ms,
  /** Defaults to `authoredAt`. */
  committedAt: ms.optional(),
  message: z.string().max(65_536).nullable().default(null),
  conventionalType: z.string().min(1).max(512).nullable().default(null),
  /** Defaults to `parents.length > 1`. */
  isMerge: z.boolean().optional(),
  filesChanged: count.optional(),
  insertions: count.optional(),
  deletions: count.optional(),
  trailers: z.array(z.strictObject({ key: z.string().min(1), value: z.string() })).default([]),
  files: z.array(CommitFileSchema).default([]),
});

/** One commit and its files, as given to {@link CommitRepository.insertMany}. */
export type CommitInput = z.input<typeof CommitInputSchema>;
/** One file of a commit (`insertions`/`deletions` null for binary files). */
export type CommitFile = z.output<typeof CommitFileSchema>;

/** A stored commit with every field filled in. */
export interface StoredCommit {
  projectId: string;
  hash: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committedAt: number;
  message: string | null;
  conventionalType: string | null;
  isMerge: boolean;
  filesChanged: number;
  insertions: number;
  deletions: number;
  trailers: Array<{ key: string; value: string }>;
  files: CommitFile[];
}

/** Which author field identifies a person in a commit stream. */
export type CommitAuthorKey = "name" | "email";

/** Commits of one project authored in `[from, to)` (ms UTC), for the commit streams. */
export interface CommitStreamQuery {
  projectId: string;
  from?: number;
  to?: number;
  /** Author name (default) or email. */
  authorKey?: CommitAuthorKey;
}

/** One commit's totals in {@link CommitRepository.streamTotals}: author, time, lines. */
export type CommitTotalsRow = readonly [
  author: string,
  authoredAt: number,
  insertions: number,
  deletions: number,
];

/** {@link CommitRepository.streamFileChanges}: a range by time or by the insertion cursor. */
export interface CommitFileStreamQuery extends CommitStreamQuery {
  /** Only commits stored after this cursor position ({@link CommitCursor.top}). */
  afterRowId?: number;
  /** Only commits stored at or before this cursor position. */
  upToRowId?: number;
  /** Include each commit's message (else `null`). */
  messages?: boolean;
}

/**
 * One file of one commit in {@link CommitRepository.streamFileChanges}: hash, author,
 * authored time, path, lines added and deleted (`null` for binary files), message.
 */
export type CommitFileChangeRow = readonly [
  hash: string,
  author: string,
  authoredAt: number,
  path: string,
  insertions: number | null,
  deletions: number | null,
  message: string | null,
];

/**
 * Where a project's commits stand in the store's insertion order: an incremental reader keeps
 * `top` and `topHash` and, on its next read, asks again with `after = top` to learn what is new
 * and whether anything it read vanished or was replaced.
 */
export interface CommitCursor {
  /** Insertion position of the project's last stored commit (0 without commits). */
  top: number;
  /** The hash stored at `top`, or `null` without commits. */
  topHash: string | null;
  /** How many commits the project has. */
  count: number;
  /** How many of them were stored after `after`. */
  fresh: number;
  /** The hash stored at position `after` (for this project), or `undefined`. */
  hashAtAfter: string | undefined;
}

/** A commit as a node of the history graph (DORA): no files, no totals. */
export interface CommitNode {
  hash: string;
  parents: string[];
  authoredAt: number;
  committedAt: number;
  message: string | null;
}

/** Git commit facts per project, idempotent on (project, hash). */
export interface CommitRepository {
  /**
   * Stores commits and their files in one transaction; commits already stored are skipped.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` naming the bad field; nothing is stored then.
   */
  insertMany(commits: readonly CommitInput[]): { inserted: number; skipped: number };
  /**
   * Like {@link CommitRepository.insertMany} (one transaction, idempotent), but returns the
   * hashes that were newly stored, in input order: a caller emits an event for exactly those.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` naming the bad field; nothing is stored then.
   */
  insertNew(commits: readonly CommitInput[]): string[];
  /** How many commits a project has. */
  count(projectId: string): number;
  /** The most recently authored commit of a project, or `undefined`. */
  latest(projectId: string): StoredCommit | undefined;
  /**
   * Streams each commit's author, time and line totals (one pass over the commits, no files,
   * in no particular order); merges only with `includeMerges`.
   */
  streamTotals(query: CommitStreamQuery & { includeMerges: boolean }): Iterable<CommitTotalsRow>;
  /**
   * Streams one row per file of each commit, each commit's files adjacent: ordered by authored
   * time (then insertion order) for a time range, or by insertion order when a cursor bound
   * (`afterRowId`/`upToRowId`) is given. Commits without files yield nothing.
   */
  streamFileChanges(query: CommitFileStreamQuery): Iterable<CommitFileChangeRow>;
  /** The insertion cursor of a project's commits relative to `after` (see {@link CommitCursor}). */
  cursor(projectId: string, after: number): CommitCursor;
  /** Every commit of a project as a graph node (one pass, no files, in no particular order). */
  graph(projectId: string): CommitNode[];
}

function checkBound(name: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) {
    throw new DevflowError("STORAGE_BAD_ARGUMENT", `${name} must be a finite number`);
  }
}

/** A `commits` row as SQLite returns it. */
export interface CommitRow {
  project_id: string;
  hash: string;
  parents: string;
  author_name: string;
  author_email: string;
  authored_at: number;
  committed_at: number;
  message: string | null;
  conventional_type: string | null;
  is_merge: number;
  files_changed: number;
  insertions: number;
  deletions: number;
  trailers: string;
}

/** Maps a `commits` row and its files to a {@link StoredCommit}. */
export function toStoredCommit(row: CommitRow, files: CommitFile[]): StoredCommit {
  return {
    projectId: row.project_id,
    hash: row.hash,
    parents: JSON.parse(row.parents) as string[],
    authorName: row.author_name,
    authorEmail: row.author_email,
    authoredAt: row.authored_at,
    committedAt: row.committed_at,
    message: row.message,
    conventionalType: row.conventional_type,
    isMerge: row.is_merge === 1,
    filesChanged: row.files_changed,
    insertions: row.insertions,
    deletions: row.deletions,
    trailers: JSON.parse(row.trailers) as StoredCommit["trailers"],
    files,
  };
}

function toRow(c: z.output<typeof CommitInputSchema>): CommitRow {
  return {
    project_id: c.projectId,
    hash: c.hash,
    parents: JSON.stringify(c.parents),
    author_name: c.authorName,
    author_email: c.authorEmail,
    authored_at: c.authoredAt,
    committed_at: c.committedAt ?? c.authoredAt,
    message: c.message,
    conventional_type: c.conventionalType,
    is_merge: (c.isMerge ?? c.parents.length > 1) ? 1 : 0,
    files_changed: c.filesChanged ?? c.files.length,
    insertions: c.insertions ?? c.files.reduce((n, f) => n + (f.insertions ?? 0), 0),
    deletions: c.deletions ?? c.files.reduce((n, f) => n + (f.deletions ?? 0), 0),
    trailers: JSON.stringify(c.trailers),
  };
}

/** The SQLite implementation of {@link CommitRepository}. */
export class SqliteCommitRepository implements CommitRepository {
  readonly #insertAll: Database.Transaction<
    (rows: Array<z.output<typeof CommitInputSchema>>) => string[]
  >;
  readonly #count: Database.Statement<[string], { n: number }>;
  readonly #latest: Database.Statement<[string], CommitRow>;
  readonly #files: Database.Statement<[string, string], CommitFile>;
  readonly #statements: StatementCache;
  readonly #cursorStats: Database.Statement<
    [number, string],
    { top: number; n: number; fresh: number | null }
  >;
  readonly #hashAt: Database.Statement<[number, string], string>;
  readonly #graph: Database.Statement<[string], [string, string, number, number, string | null]>;

  constructor(db: Database.Database) {
    this.#statements = new StatementCache(db);
    this.#cursorStats = db.prepare(
      "SELECT COALESCE(MAX(rowid), 0) AS top, COUNT(*) AS n, SUM(rowid > ?) AS fresh FROM commits WHERE project_id = ?",
    );
    this.#hashAt = db
      .prepare<[number, string], string>(
        "SELECT hash FROM commits WHERE rowid = ? AND project_id = ?",
      )
      .pluck();
    this.#graph = db
      .prepare<[string], [string, string, number, number, string | null]>(
        "SELECT hash, parents, authored_at, committed_at, message FROM commits WHERE project_id = ?",
      )
      .raw(true);
    const insertCommit = db.prepare<[CommitRow]>(
      `INSERT INTO commits (project_id, hash, parents, author_name, author_email, authored_at,
         committed_at, message, conventional_type, is_merge, files_changed, insertions, deletions, trailers)
       VALUES (@project_id, @hash, @parents, @author_name, @author_email, @authored_at, @committed_at,
         @message, @conventional_type, @is_merge, @files_changed, @insertions, @deletions, @trailers)
       ON CONFLICT (project_id, hash) DO NOTHING`,
    );
    const insertFile = db.prepare<[string, string, string, number | null, number | null]>(
      `INSERT INTO commit_files (project_id, hash, path, insertions, deletions) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (project_id, hash, path) DO NOTHING`,
    );
    this.#insertAll = db.transaction((commits: Array<z.output<typeof CommitInputSchema>>) => {
      const inserted: string[] = [];
      for (const c of commits) {
        if (insertCommit.run(toRow(c)).changes === 0) continue;
        inserted.push(c.hash);
        for (const f of c.files)
          insertFile.run(c.projectId, c.hash, f.path, f.insertions, f.deletions);
      }
      return inserted;
    });
    this.#count = db.prepare("SELECT COUNT(*) AS n FROM commits WHERE project_id = ?");
    this.#latest = db.prepare(
      `SELECT * FROM commits WHERE project_id = ?
       ORDER BY authored_at DESC, committed_at DESC, hash DESC LIMIT 1`,
    );
    this.#files = db.prepare(
      "SELECT path, insertions, deletions FROM commit_files WHERE project_id = ? AND hash = ? ORDER BY path",
    );
  }

  insertMany(commits: readonly CommitInput[]): { inserted: number; skipped: number } {
    const inserted = this.insertNew(commits).length;
    return { inserted, skipped: commits.length - inserted };
  }

  insertNew(commits: readonly CommitInput[]): string[] {
    const parsed = commits.map((c, i) => {
      const result = CommitInputSchema.safeParse(c);
      if (result.success) return result.data;
      const detail = toFieldIssues(result.error, `commits[${i}]`)
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join("; ");
      throw new DevflowError("STORAGE_BAD_ARGUMENT", `invalid commit: ${detail}`);
    });
    return this.#insertAll.immediate(parsed);
  }

  count(projectId: string): number {
    return this.#count.get(projectId)?.n ?? 0;
  }

  latest(projectId: string): StoredCommit | undefined {
    const row = this.#latest.get(projectId);
    if (!row) return undefined;
    return toStoredCommit(row, this.#files.all(row.project_id, row.hash));
  }

  streamTotals(query: CommitStreamQuery & { includeMerges: boolean }): Iterable<CommitTotalsRow> {
    checkBound("from", query.from);
    checkBound("to", query.to);
    const where = ["project_id = ?"];
    const params: Array<string | number> = [query.projectId];
    if (query.from !== undefined) {
      where.push("authored_at >= ?");
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push("authored_at < ?");
      params.push(query.to);
    }
    if (!query.includeMerges) where.push("is_merge = 0");
    const key = query.authorKey === "email" ? "author_email" : "author_name";
    const stmt = this.#statements
      .get(
        `SELECT ${key}, authored_at, insertions, deletions FROM commits WHERE ${where.join(" AND ")}`,
      )
      .raw(true);
    return stmt.iterate(...params) as IterableIterator<CommitTotalsRow>;
  }

  streamFileChanges(query: CommitFileStreamQuery): Iterable<CommitFileChangeRow> {
    const incremental = query.afterRowId !== undefined || query.upToRowId !== undefined;
    // Commits drive the join (CROSS JOIN fixes the loop order), so rows come in index order with
    // each commit's files adjacent and nothing to sort. An incremental read walks the rowid
    // range (`+` keeps the planner off the project index there).
    const where = [incremental ? "+c.project_id = ?" : "c.project_id = ?"];
    const params: number[] = [];
    const bound = (sql: string, name: string, value: number | undefined): void => {
      if (value === undefined) return;
      checkBound(name, value);
      where.push(sql);
      params.push(value);
    };
    bound("c.authored_at >= ?", "from", query.from);
    bound("c.authored_at < ?", "to", query.to);
    bound("c.rowid > ?", "afterRowId", query.afterRowId);
    bound("c.rowid <= ?", "upToRowId", query.upToRowId);
    const author = query.authorKey === "email" ? "c.author_email" : "c.author_name";
    const sql = `SELECT c.hash, ${author}, c.authored_at, f.path, f.insertions, f.deletions,
      ${query.messages ? "c.message" : "NULL"}
    FROM commits c CROSS JOIN commit_files f ON f.project_id = c.project_id AND f.hash = c.hash
    WHERE ${where.join(" AND ")}
    ORDER BY ${incremental ? "c.rowid" : "c.authored_at, c.rowid"}`;
    return this.#statements
      .get(sql)
      .raw(true)
      .iterate(query.projectId, ...params) as IterableIterator<CommitFileChangeRow>;
  }

  cursor(projectId: string, after: number): CommitCursor {
    checkBound("after", after);
    const stats = this.#cursorStats.get(after, projectId) ?? { top: 0, n: 0, fresh: 0 };
    return {
      top: stats.top,
      topHash: this.#hashAt.get(stats.top, projectId) ?? null,
      count: stats.n,
      fresh: stats.fresh ?? 0,
      hashAtAfter: this.#hashAt.get(after, projectId),
    };
  }

  graph(projectId: string): CommitNode[] {
    return this.#graph.all(projectId).map(([hash, parents, authoredAt, committedAt, message]) => ({
      hash,
      parents: JSON.parse(parents) as string[],
      authoredAt,
      committedAt,
      message,
    }));
  }
}
