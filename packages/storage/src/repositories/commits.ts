import type Database from "better-sqlite3";
import { z } from "zod";
import { DevflowError, toFieldIssues } from "@devflow/events";

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

/** Git commit facts per project, idempotent on (project, hash). */
export interface CommitRepository {
  /**
   * Stores commits and their files in one transaction; commits already stored are skipped.
   *
   * @throws {@link DevflowError} `STORAGE_INVALID` naming the bad field; nothing is stored then.
   */
  insertMany(commits: readonly CommitInput[]): { inserted: number; skipped: number };
  /**
   * Like {@link CommitRepository.insertMany} (one transaction, idempotent), but returns the
   * hashes that were newly stored, in input order: a caller emits an event for exactly those.
   *
   * @throws {@link DevflowError} `STORAGE_INVALID` naming the bad field; nothing is stored then.
   */
  insertNew(commits: readonly CommitInput[]): string[];
  /** How many commits a project has. */
  count(projectId: string): number;
  /** The most recently authored commit of a project, or `undefined`. */
  latest(projectId: string): StoredCommit | undefined;
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

  constructor(db: Database.Database) {
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
      throw new DevflowError("STORAGE_INVALID", `invalid commit: ${detail}`);
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
}
