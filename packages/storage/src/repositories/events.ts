import type Database from "better-sqlite3";
import { type DevflowEvent, DevflowError, type SinkResult } from "@devflow/events";
import { EVENT_COLUMNS, type EventRow, rowToEvent } from "../event-rows.js";
import type { StorageSink } from "../sink.js";
import { StatementCache } from "../statement-cache.js";

/** A position in the `(timestamp, id)` order of events: the last event of the previous page. */
export interface EventCursor {
  timestamp: number;
  id: string;
}

/** Which events to count or list. Time bounds are ms UTC, `from` inclusive, `to` exclusive. */
export interface EventFilter {
  from?: number;
  to?: number;
  /** Exact type names (`file.changed`); any of them matches. */
  types?: readonly string[];
  /** One project; `''` selects events without a project. */
  projectId?: string;
}

/** An event listing: a filter plus keyset pagination. */
export interface EventQuery extends EventFilter {
  /** Page size; default 1000, at most 100,000. */
  limit?: number;
  /** Return only events after this one in `(timestamp, id)` order. */
  after?: EventCursor;
}

/** A time range (ms UTC, `to` exclusive), optionally for one project. */
export interface TimeRangeQuery {
  from: number;
  to: number;
  projectId?: string;
}

/** The number of events of one type in one UTC hour. */
export interface HourlyTypeCount {
  type: string;
  /** Start of the hour, ms UTC. */
  hourStart: number;
  count: number;
}

/** Read access to raw events, plus `insertBatch` through the storage sink. */
export interface EventRepository {
  /** Stores a batch through the sink (validation, idempotency, rollups). */
  insertBatch(events: readonly DevflowEvent[]): SinkResult;
  /** Events matching `query`, ordered by `(timestamp, id)`. */
  query(query?: EventQuery): DevflowEvent[];
  /** How many events match `filter`. */
  count(filter?: EventFilter): number;
  /** One event by id, or `undefined`. */
  get(id: string): DevflowEvent | undefined;
  /** Events per type and UTC hour, computed from raw events (see the rollups for long ranges). */
  countByTypePerHour(range: TimeRangeQuery): HourlyTypeCount[];
}

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;
const HOUR_MS = 3_600_000;

function invalid(message: string): DevflowError {
  return new DevflowError("STORAGE_INVALID_QUERY", message);
}

function checkTime(name: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value))
    throw invalid(`${name} must be a finite number of ms`);
}

function where(
  filter: EventFilter,
  after?: EventCursor,
): { sql: string; params: Record<string, unknown> } {
  checkTime("from", filter.from);
  checkTime("to", filter.to);
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.from !== undefined) {
    conditions.push("timestamp >= @from");
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    conditions.push("timestamp < @to");
    params.to = filter.to;
  }
  if (filter.types !== undefined) {
    conditions.push("type IN (SELECT value FROM json_each(@types))");
    params.types = JSON.stringify(filter.types);
  }
  if (filter.projectId === "") {
    conditions.push("project_id IS NULL");
  } else if (filter.projectId !== undefined) {
    conditions.push("project_id = @projectId");
    params.projectId = filter.projectId;
  }
  if (after !== undefined) {
    conditions.push("(timestamp > @afterTs OR (timestamp = @afterTs AND id > @afterId))");
    params.afterTs = after.timestamp;
    params.afterId = after.id;
  }
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/** The SQLite implementation of {@link EventRepository}. */
export class SqliteEventRepository implements EventRepository {
  readonly #statements: StatementCache;
  readonly #sink: StorageSink;
  readonly #get: Database.Statement<[string], EventRow>;

  constructor(db: Database.Database, sink: StorageSink) {
    this.#statements = new StatementCache(db);
    this.#sink = sink;
    this.#get = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`);
  }

  insertBatch(events: readonly DevflowEvent[]): SinkResult {
    return this.#sink.write(events);
  }

  query(query: EventQuery = {}): DevflowEvent[] {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw invalid(`limit must be an integer from 1 to ${MAX_LIMIT}`);
    }
    const w = where(query, query.after);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events ${w.sql} ORDER BY timestamp, id LIMIT @limit`;
    const rows = this.#statements.get(sql).all({ ...w.params, limit }) as EventRow[];
    return rows.map(rowToEvent);
  }

  count(filter: EventFilter = {}): number {
    const w = where(filter);
    const row = this.#statements.get(`SELECT COUNT(*) AS n FROM events ${w.sql}`).get(w.params);
    return (row as { n: number }).n;
  }

  get(id: string): DevflowEvent | undefined {
    const row = this.#get.get(id);
    return row ? rowToEvent(row) : undefined;
  }

  countByTypePerHour(range: TimeRangeQuery): HourlyTypeCount[] {
    const w = where({ from: range.from, to: range.to, projectId: range.projectId });
    const sql = `SELECT type, (timestamp / ${HOUR_MS}) * ${HOUR_MS} AS hourStart, COUNT(*) AS count
      FROM events ${w.sql} GROUP BY type, hourStart ORDER BY hourStart, type`;
    return this.#statements.get(sql).all(w.params) as HourlyTypeCount[];
  }
}
