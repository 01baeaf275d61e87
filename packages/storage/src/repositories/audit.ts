import { setImmediate as nextTick } from "node:timers/promises";
import type Database from "better-sqlite3";
import { DevflowError } from "@devflow/events";
import {
  type AuditAnchor,
  type AuditDetailValue,
  type AuditEntry,
  type AuditInput,
  type AuditStore,
  type AuditType,
  appendEntry,
  type ChainVerification,
  makeAnchor,
  verifyStore,
} from "@devflow/security";

/** Default number of entries between two automatic anchors. */
export const DEFAULT_AUDIT_ANCHOR_EVERY = 1000;
/** Rows read per query by {@link SqliteAuditStore.entries}. */
export const AUDIT_PAGE_ROWS = 1000;
/** Default `limit` of {@link AuditRepository.query}. */
export const AUDIT_QUERY_DEFAULT_LIMIT = 1000;
/** Maximum `limit` of {@link AuditRepository.query}. */
export const AUDIT_QUERY_MAX_LIMIT = 10_000;

/** Options of {@link SqliteAuditStore}. */
export interface AuditStoreOptions {
  /** Write an anchor after every `anchorEvery`-th entry (seq divisible by it); default 1000. */
  anchorEvery?: number;
  /** Rows per page read by `entries()`; default {@link AUDIT_PAGE_ROWS}. */
  pageRows?: number;
}

/** Filter of {@link AuditRepository.query}; every given criterion must match. */
export interface AuditQuery {
  /** Entries at or after this instant (ISO 8601 or Date). */
  from?: string | Date;
  /** Entries strictly before this instant (ISO 8601 or Date). */
  to?: string | Date;
  /** Entries of one of these types (an empty list matches nothing). */
  types?: readonly AuditType[];
  /** Entries by this actor. */
  actor?: string;
  /** At most this many entries; default 1000, at most 10 000. */
  limit?: number;
  /** `asc` (oldest first, the default) or `desc` (newest first), by seq. */
  order?: "asc" | "desc";
}

/**
 * The hash-chained security audit log on SQLite: the {@link AuditStore} of
 * `@devflow/security` plus batch append, explicit anchors, filtered queries and verification.
 */
export interface AuditRepository extends AuditStore {
  /**
   * Appends the entries in order, chained in one `BEGIN IMMEDIATE` transaction: all are
   * stored or none (an invalid or secret-bearing input rejects the whole batch).
   */
  appendMany(inputs: readonly AuditInput[]): Promise<readonly AuditEntry[]>;
  /** Anchors the current head now and returns the anchor; null when the log is empty. */
  anchor(): Promise<AuditAnchor | null>;
  /**
   * Entries matching `filter`, by seq (ascending unless `order: "desc"`).
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` for an invalid instant or limit.
   */
  query(filter?: AuditQuery): Promise<readonly AuditEntry[]>;
  /** Verifies the whole chain against the latest anchor (`verifyStore`). */
  verify(): Promise<ChainVerification>;
}

interface AuditRow {
  seq: number;
  timestamp: string;
  type: string;
  actor: string | null;
  subject: string | null;
  ip: string | null;
  project_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = "seq, timestamp, type, actor, subject, ip, project_id, details, prev_hash, hash";

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    timestamp: row.timestamp,
    type: row.type as AuditType,
    ...(row.actor === null ? {} : { actor: row.actor }),
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.ip === null ? {} : { ip: row.ip }),
    ...(row.project_id === null ? {} : { projectId: row.project_id }),
    details: JSON.parse(row.details) as Record<string, AuditDetailValue>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Runs synchronous SQLite work as a promise: a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

function toInstant(value: string | Date, name: string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new DevflowError("STORAGE_BAD_ARGUMENT", `audit query: ${name} is not a valid instant`);
  }
  return date.toISOString();
}

function positiveInt(value: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new DevflowError("STORAGE_BAD_ARGUMENT", `${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

/**
 * The SQLite implementation of {@link AuditRepository} over tables `security_events` and
 * `audit_anchors`. Each append reads the head and inserts the next entry in one
 * `BEGIN IMMEDIATE` transaction, so appenders on any number of connections or processes
 * never fork the chain.
 */
export class SqliteAuditStore implements AuditRepository {
  readonly #db: Database.Database;
  readonly #anchorEvery: number;
  readonly #pageRows: number;
  readonly #latest: Database.Statement<[], AuditRow>;
  readonly #page: Database.Statement<[number, number], AuditRow>;
  readonly #insert: Database.Statement<[AuditRow]>;
  readonly #insertAnchor: Database.Statement<[AuditAnchor]>;
  readonly #anchorAt: Database.Statement<[number], AuditAnchor>;
  readonly #anchors: Database.Statement<[], AuditAnchor>;
  readonly #appendAll: Database.Transaction<(inputs: readonly AuditInput[]) => AuditEntry[]>;
  readonly #anchorNow: Database.Transaction<() => AuditAnchor | null>;

  constructor(db: Database.Database, options: AuditStoreOptions = {}) {
    this.#db = db;
    this.#anchorEvery = positiveInt(
      options.anchorEvery ?? DEFAULT_AUDIT_ANCHOR_EVERY,
      "anchorEvery",
    );
    this.#pageRows = positiveInt(options.pageRows ?? AUDIT_PAGE_ROWS, "pageRows");
    this.#latest = db.prepare(`SELECT ${COLUMNS} FROM security_events ORDER BY seq DESC LIMIT 1`);
    this.#page = db.prepare(
      `SELECT ${COLUMNS} FROM security_events WHERE seq >= ? ORDER BY seq LIMIT ?`,
    );
    this.#insert = db.prepare(
      `INSERT INTO security_events (${COLUMNS}) VALUES
       (@seq, @timestamp, @type, @actor, @subject, @ip, @project_id, @details, @prev_hash, @hash)`,
    );
    this.#insertAnchor = db.prepare(
      "INSERT INTO audit_anchors (seq, hash, at) VALUES (@seq, @hash, @at) ON CONFLICT (seq) DO NOTHING",
    );
    this.#anchorAt = db.prepare("SELECT seq, hash, at FROM audit_anchors WHERE seq = ?");
    this.#anchors = db.prepare("SELECT seq, hash, at FROM audit_anchors ORDER BY seq");
    this.#appendAll = db.transaction((inputs: readonly AuditInput[]) => {
      let prev = this.#head();
      const out: AuditEntry[] = [];
      for (const input of inputs) {
        const entry = appendEntry(prev, input);
        this.#insert.run({
          seq: entry.seq,
          timestamp: entry.timestamp,
          type: entry.type,
          actor: entry.actor ?? null,
          subject: entry.subject ?? null,
          ip: entry.ip ?? null,
          project_id: entry.projectId ?? null,
          details: JSON.stringify(entry.details),
          prev_hash: entry.prevHash,
          hash: entry.hash,
        });
        if (entry.seq % this.#anchorEvery === 0) this.#insertAnchor.run(makeAnchor(entry));
        out.push(entry);
        prev = entry;
      }
      return out;
    });
    this.#anchorNow = db.transaction(() => {
      const head = this.#head();
      if (head === null) return null;
      this.#insertAnchor.run(makeAnchor(head));
      return this.#anchorAt.get(head.seq) ?? null;
    });
  }

  #head(): AuditEntry | null {
    const row = this.#latest.get();
    return row === undefined ? null : toEntry(row);
  }

  append(input: AuditInput): Promise<AuditEntry> {
    return settle(() => this.#appendAll.immediate([input])[0]!);
  }

  appendMany(inputs: readonly AuditInput[]): Promise<readonly AuditEntry[]> {
    return settle(() => (inputs.length === 0 ? [] : this.#appendAll.immediate(inputs)));
  }

  anchor(): Promise<AuditAnchor | null> {
    return settle(() => this.#anchorNow.immediate());
  }

  async *entries(fromSeq = 1): AsyncIterable<AuditEntry> {
    let next = fromSeq;
    for (;;) {
      const rows = this.#page.all(next, this.#pageRows);
      for (const row of rows) yield toEntry(row);
      if (rows.length < this.#pageRows) return;
      next = rows[rows.length - 1]!.seq + 1;
      // let other work run between pages: a long walk never blocks the event loop
      await nextTick();
    }
  }

  latest(): Promise<AuditEntry | null> {
    return settle(() => this.#head());
  }

  anchors(): Promise<readonly AuditAnchor[]> {
    return settle(() => this.#anchors.all());
  }

  query(filter: AuditQuery = {}): Promise<readonly AuditEntry[]> {
    return settle(() => this.#query(filter));
  }

  #query(filter: AuditQuery): readonly AuditEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.from !== undefined) {
      where.push("timestamp >= ?");
      params.push(toInstant(filter.from, "from"));
    }
    if (filter.to !== undefined) {
      where.push("timestamp < ?");
      params.push(toInstant(filter.to, "to"));
    }
    if (filter.types !== undefined) {
      if (filter.types.length === 0) return [];
      where.push(`type IN (${filter.types.map(() => "?").join(", ")})`);
      params.push(...filter.types);
    }
    if (filter.actor !== undefined) {
      where.push("actor = ?");
      params.push(filter.actor);
    }
    const limit = positiveInt(
      filter.limit ?? AUDIT_QUERY_DEFAULT_LIMIT,
      "audit query limit",
      AUDIT_QUERY_MAX_LIMIT,
    );
    const order = filter.order === "desc" ? "DESC" : "ASC";
    const sql = `SELECT ${COLUMNS} FROM security_events${
      where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""
    } ORDER BY seq ${order} LIMIT ${limit}`;
    const rows = this.#db.prepare<unknown[], AuditRow>(sql).all(...params);
    return rows.map(toEntry);
  }

  verify(): Promise<ChainVerification> {
    return verifyStore(this);
  }
}
