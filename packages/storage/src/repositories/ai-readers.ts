import type Database from "better-sqlite3";
import { DevflowError } from "@devflow/events";

/** A reader's header: its state version, corrupt lines so far and save generation. */
export interface AiReaderRow {
  tool: string;
  version: number;
  corruptLines: number;
  /** Incremented by every {@link AiReaderRepository.save} that touches the reader. */
  generation: number;
  updatedAt: number;
}

/** Where the incremental read of one file stopped (inode, offset, size, mtime, tail hash). */
export interface AiFileCursorRow {
  ino: number;
  offset: number;
  size: number;
  mtimeMs: number;
  tail: string;
}

/** One file's row: its cursor and the reader's own per-file state. */
export interface AiReaderFileRow {
  path: string;
  cursor: AiFileCursorRow;
  /** The reader's own per-file state (a JSON object). */
  extra: Record<string, unknown>;
}

/** A remembered directory listing: entry names, valid while the directory's mtime holds. */
export interface AiReaderDirRow {
  path: string;
  mtimeMs: number;
  files: string[];
  dirs: string[];
}

/** The usage copy emitted for one request key, as the de-duplication rule ranks copies. */
export interface AiUsageKeyRow {
  key: string;
  sidechain: boolean;
  /** Token total of the copy. */
  total: number;
  /** True when the copy states its speed tier. */
  speed: boolean;
  timestamp: number;
}

/** An assistant session seen in the transcripts. */
export interface AiSessionSpanRow {
  tool: string;
  sessionId: string;
  projectId: string | null;
  startedAt: number;
  lastAt: number;
  ended: boolean;
}

/** What changed in one reader's state since it was loaded. */
export interface AiReaderChange {
  tool: string;
  version: number;
  corruptLines: number;
  /** File cursors to insert or replace. */
  putFiles?: readonly AiReaderFileRow[];
  /** Files no longer present. */
  deleteFiles?: readonly string[];
  putDirs?: readonly AiReaderDirRow[];
  deleteDirs?: readonly string[];
  /** De-duplication keys to insert or replace. */
  putUsageKeys?: readonly AiUsageKeyRow[];
}

/** One atomic save of reader state (see {@link AiReaderRepository.save}). */
export interface AiReaderChanges {
  readers?: readonly AiReaderChange[];
  /** Sessions to insert or replace. */
  sessions?: readonly AiSessionSpanRow[];
  /** Forget ended sessions whose last activity is before this time (ms UTC). */
  pruneEndedSessionsBefore?: number;
}

/** Row counts of the reader-state tables. */
export interface AiReaderCounts {
  readers: number;
  files: number;
  dirs: number;
  usageKeys: number;
  sessions: number;
}

/**
 * The AI readers' incremental state (`ai_readers`, `ai_reader_files`, `ai_reader_dirs`,
 * `ai_reader_usage_keys`, `ai_reader_sessions`): loaded per reader, looked up per key, and
 * saved as row changes in one transaction, so a read that changed a few files writes a few rows.
 * Never exported; {@link reset} makes the next read start over.
 */
export interface AiReaderRepository {
  /** The header of a reader, or `undefined` when it never saved. */
  reader(tool: string): AiReaderRow | undefined;
  /** Every file cursor of a reader. */
  files(tool: string): AiReaderFileRow[];
  /** Every directory listing of a reader. */
  dirs(tool: string): AiReaderDirRow[];
  /** The emitted copy of one request key, or `undefined`. */
  usageKey(tool: string, key: string): AiUsageKeyRow | undefined;
  /**
   * True when a main-chain copy of message `messageId` was emitted under any request key
   * (`<messageId>` or `<messageId>:<requestId>`).
   */
  hasMainChainMessage(tool: string, messageId: string): boolean;
  /** Sessions not ended yet. */
  openSessions(): AiSessionSpanRow[];
  /** One session, or `undefined`. */
  session(tool: string, sessionId: string): AiSessionSpanRow | undefined;
  /**
   * Applies `changes` in one `BEGIN IMMEDIATE` transaction and returns each saved reader's new
   * generation.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` naming a bad row; nothing is saved then.
   */
  save(changes: AiReaderChanges): Map<string, number>;
  /** Forgets a reader's state (header, cursors, listings, keys): its next read starts over. */
  reset(tool: string): boolean;
  counts(): AiReaderCounts;
}

type FileRow = [
  path: string,
  ino: number,
  offset: number,
  size: number,
  mtimeMs: number,
  tail: string,
  extra: string | null,
];
type DirRow = [path: string, mtimeMs: number, files: string, dirs: string];
interface KeyRow {
  key: string;
  sidechain: number;
  total: number;
  speed: number;
  timestamp: number;
}
interface SessionRow {
  tool: string;
  session_id: string;
  project_id: string | null;
  started_at: number;
  last_at: number;
  ended: number;
}
interface ReaderRow {
  tool: string;
  version: number;
  corrupt_lines: number;
  generation: number;
  updated_at: number;
}

function invalid(message: string): DevflowError {
  return new DevflowError("STORAGE_BAD_ARGUMENT", `AI reader state: ${message}`);
}

function text(name: string, v: unknown): string {
  if (typeof v !== "string" || v === "") throw invalid(`${name} must be a non-empty string`);
  return v;
}

function count(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
    throw invalid(`${name} must be a finite number ≥ 0, got ${String(v)}`);
  return v;
}

const toSession = (r: SessionRow): AiSessionSpanRow => ({
  tool: r.tool,
  sessionId: r.session_id,
  projectId: r.project_id,
  startedAt: r.started_at,
  lastAt: r.last_at,
  ended: r.ended === 1,
});

const READER_TABLES = ["ai_readers", "ai_reader_files", "ai_reader_dirs", "ai_reader_usage_keys"];

/** The SQLite implementation of {@link AiReaderRepository}. */
export class SqliteAiReaderRepository implements AiReaderRepository {
  readonly #db: Database.Database;
  readonly #reader: Database.Statement<[string], ReaderRow>;
  readonly #files: Database.Statement<[string], FileRow>;
  readonly #dirs: Database.Statement<[string], DirRow>;
  readonly #key: Database.Statement<[string, string], KeyRow>;
  readonly #mainMessage: Database.Statement<[{ tool: string; id: string; lo: string; hi: string }]>;
  readonly #openSessions: Database.Statement<[], SessionRow>;
  readonly #session: Database.Statement<[string, string], SessionRow>;
  readonly #putReader: Database.Statement;
  readonly #putFile: Database.Statement;
  readonly #deleteFile: Database.Statement<[string, string]>;
  readonly #putDir: Database.Statement;
  readonly #deleteDir: Database.Statement<[string, string]>;
  readonly #putKey: Database.Statement;
  readonly #putSession: Database.Statement;
  readonly #pruneSessions: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#reader = db.prepare(
      "SELECT tool, version, corrupt_lines, generation, updated_at FROM ai_readers WHERE tool = ?",
    );
    this.#files = db
      .prepare<[string], FileRow>(
        "SELECT path, ino, offset, size, mtime_ms, tail, extra FROM ai_reader_files WHERE tool = ?",
      )
      .raw(true);
    this.#dirs = db
      .prepare<[string], DirRow>(
        "SELECT path, mtime_ms, files, dirs FROM ai_reader_dirs WHERE tool = ?",
      )
      .raw(true);
    this.#key = db.prepare(
      "SELECT key, sidechain, total, speed, timestamp FROM ai_reader_usage_keys WHERE tool = ? AND key = ?",
    );
    this.#mainMessage = db.prepare(
      `SELECT 1 FROM ai_reader_usage_keys WHERE tool = @tool AND sidechain = 0
         AND (key = @id OR (key > @lo AND key < @hi)) LIMIT 1`,
    );
    this.#openSessions = db.prepare(
      "SELECT * FROM ai_reader_sessions WHERE ended = 0 ORDER BY last_at",
    );
    this.#session = db.prepare(
      "SELECT * FROM ai_reader_sessions WHERE tool = ? AND session_id = ?",
    );
    this.#putReader = db.prepare(
      `INSERT INTO ai_readers (tool, version, corrupt_lines, generation, updated_at)
       VALUES (@tool, @version, @corruptLines, 1, @at)
       ON CONFLICT (tool) DO UPDATE SET version = excluded.version,
         corrupt_lines = excluded.corrupt_lines, generation = ai_readers.generation + 1,
         updated_at = excluded.updated_at
       RETURNING generation`,
    );
    this.#putFile = db.prepare(
      `INSERT OR REPLACE INTO ai_reader_files (tool, path, ino, offset, size, mtime_ms, tail, extra)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#deleteFile = db.prepare("DELETE FROM ai_reader_files WHERE tool = ? AND path = ?");
    this.#putDir = db.prepare(
      "INSERT OR REPLACE INTO ai_reader_dirs (tool, path, mtime_ms, files, dirs) VALUES (?, ?, ?, ?, ?)",
    );
    this.#deleteDir = db.prepare("DELETE FROM ai_reader_dirs WHERE tool = ? AND path = ?");
    this.#putKey = db.prepare(
      `INSERT OR REPLACE INTO ai_reader_usage_keys (tool, key, sidechain, total, speed, timestamp)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#putSession = db.prepare(
      `INSERT OR REPLACE INTO ai_reader_sessions
         (tool, session_id, project_id, started_at, last_at, ended) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#pruneSessions = db.prepare(
      "DELETE FROM ai_reader_sessions WHERE ended = 1 AND last_at < ?",
    );
  }

  reader(tool: string): AiReaderRow | undefined {
    const r = this.#reader.get(tool);
    return r === undefined
      ? undefined
      : {
          tool: r.tool,
          version: r.version,
          corruptLines: r.corrupt_lines,
          generation: r.generation,
          updatedAt: r.updated_at,
        };
  }

  files(tool: string): AiReaderFileRow[] {
    const rows = this.#files.all(tool);
    const out = new Array<AiReaderFileRow>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [path, ino, offset, size, mtimeMs, tail, extra] = rows[i]!;
      out[i] = {
        path,
        cursor: { ino, offset, size, mtimeMs, tail },
        extra: extra === null ? {} : (JSON.parse(extra) as Record<string, unknown>),
      };
    }
    return out;
  }

  dirs(tool: string): AiReaderDirRow[] {
    return this.#dirs.all(tool).map(([path, mtimeMs, files, dirs]) => ({
      path,
      mtimeMs,
      files: JSON.parse(files) as string[],
      dirs: JSON.parse(dirs) as string[],
    }));
  }

  usageKey(tool: string, key: string): AiUsageKeyRow | undefined {
    const r = this.#key.get(tool, key);
    return r === undefined
      ? undefined
      : {
          key: r.key,
          sidechain: r.sidechain === 1,
          total: r.total,
          speed: r.speed === 1,
          timestamp: r.timestamp,
        };
  }

  hasMainChainMessage(tool: string, messageId: string): boolean {
    // `:` sorts just before `;`: the keys `<id>:…` lie strictly between `<id>:` and `<id>;`.
    const range = { tool, id: messageId, lo: `${messageId}:`, hi: `${messageId};` };
    return this.#mainMessage.get(range) !== undefined;
  }

  openSessions(): AiSessionSpanRow[] {
    return this.#openSessions.all().map(toSession);
  }

  session(tool: string, sessionId: string): AiSessionSpanRow | undefined {
    const r = this.#session.get(tool, sessionId);
    return r === undefined ? undefined : toSession(r);
  }

  save(changes: AiReaderChanges): Map<string, number> {
    const run = this.#db.transaction(() => {
      const generations = new Map<string, number>();
      const at = Date.now();
      for (const c of changes.readers ?? []) {
        const tool = text("tool", c.tool);
        for (const { path, cursor, extra } of c.putFiles ?? []) {
          this.#putFile.run(
            tool,
            text("file path", path),
            count(`${path}: ino`, cursor.ino),
            count(`${path}: offset`, cursor.offset),
            count(`${path}: size`, cursor.size),
            count(`${path}: mtimeMs`, cursor.mtimeMs),
            typeof cursor.tail === "string" ? cursor.tail : "",
            Object.keys(extra).length === 0 ? null : JSON.stringify(extra),
          );
        }
        for (const path of c.deleteFiles ?? []) this.#deleteFile.run(tool, path);
        for (const d of c.putDirs ?? []) {
          this.#putDir.run(
            tool,
            text("directory path", d.path),
            count(`${d.path}: mtimeMs`, d.mtimeMs),
            JSON.stringify(d.files),
            JSON.stringify(d.dirs),
          );
        }
        for (const path of c.deleteDirs ?? []) this.#deleteDir.run(tool, path);
        for (const k of c.putUsageKeys ?? []) {
          this.#putKey.run(
            tool,
            text("usage key", k.key),
            k.sidechain ? 1 : 0,
            count(`${k.key}: total`, k.total),
            k.speed ? 1 : 0,
            count(`${k.key}: timestamp`, k.timestamp),
          );
        }
        const row = this.#putReader.get({
          tool,
          version: count("version", c.version),
          corruptLines: count("corruptLines", c.corruptLines),
          at,
        }) as { generation: number };
        generations.set(tool, row.generation);
      }
      for (const x of changes.sessions ?? []) {
        this.#putSession.run(
          text("tool", x.tool),
          text("session id", x.sessionId),
          x.projectId,
          count(`${x.sessionId}: startedAt`, x.startedAt),
          count(`${x.sessionId}: lastAt`, x.lastAt),
          x.ended ? 1 : 0,
        );
      }
      if (changes.pruneEndedSessionsBefore !== undefined)
        this.#pruneSessions.run(changes.pruneEndedSessionsBefore);
      return generations;
    });
    return run.immediate();
  }

  reset(tool: string): boolean {
    const run = this.#db.transaction(() => {
      let n = 0;
      for (const table of READER_TABLES)
        n += this.#db.prepare(`DELETE FROM ${table} WHERE tool = ?`).run(tool).changes;
      return n > 0;
    });
    return run.immediate();
  }

  counts(): AiReaderCounts {
    const n = (table: string) =>
      (this.#db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      readers: n("ai_readers"),
      files: n("ai_reader_files"),
      dirs: n("ai_reader_dirs"),
      usageKeys: n("ai_reader_usage_keys"),
      sessions: n("ai_reader_sessions"),
    };
  }
}
