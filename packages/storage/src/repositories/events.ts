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

/** Events of one type in a time range (ms UTC, `to` exclusive), optionally for one project. */
export interface TypeRangeQuery extends TimeRangeQuery {
  /** Exact event type (`activity.heartbeat`). */
  type: string;
}

/** The summed `duration` of the events sharing one value of a data field. */
export interface DurationByValue {
  /** The field's value (as stored; `null` when the event has no such field). */
  value: string | number | boolean | null;
  /** Sum of the events' `duration` (ms; events without one count 0). */
  durationMs: number;
  /** How many events have this value. */
  count: number;
}

/** Average and extremes of one numeric data field (`null` when no event has it). */
export interface FieldStats {
  avg: number | null;
  min: number | null;
  max: number | null;
}

/** {@link EventRepository.numericStats}: how many events matched and each field's stats. */
export interface NumericStats {
  count: number;
  fields: Record<string, FieldStats>;
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
  /**
   * Sums the `duration` of the events of one type per value of the top-level data field
   * `field` (e.g. active time of `activity.heartbeat` by `category`), largest sum first.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` for a field that is not a plain name.
   */
  sumDurationBy(query: TypeRangeQuery, field: string): DurationByValue[];
  /**
   * Count of the events of one type and the average, minimum and maximum of each of the
   * numeric top-level data `fields` (e.g. `system.sample` CPU and memory), in one pass.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` for a field that is not a plain name.
   */
  numericStats(query: TypeRangeQuery, fields: readonly string[]): NumericStats;
  /** The newest event matching `filter` (by `(timestamp, id)`), or `undefined`. */
  latest(filter?: EventFilter): DevflowEvent | undefined;
  /** When the newest event of a project happened (ms UTC), or `undefined` without events. */
  lastActivityAt(projectId: string): number | undefined;
}

/** A top-level data field name usable in a JSON path (letters, digits, `_`). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function jsonPath(field: string): string {
  if (!FIELD_NAME.test(field)) {
    throw invalid(
      `field must be a plain data field name (letters, digits, _), got ${JSON.stringify(field)}`,
    );
  }
  return `$.${field}`;
}

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;
const HOUR_MS = 3_600_000;

function invalid(message: string): DevflowError {
  return new DevflowError("STORAGE_BAD_ARGUMENT", message);
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

/** `where()` for one type and range; `type = @type` keeps the planner on the type index. */
function typeWhere(query: TypeRangeQuery): { sql: string; params: Record<string, unknown> } {
  const w = where({ from: query.from, to: query.to, projectId: query.projectId });
  return {
    sql: `${w.sql ? `${w.sql} AND` : "WHERE"} type = @type`,
    params: { ...w.params, type: query.type },
  };
}

/** The SQLite implementation of {@link EventRepository}. */
export class SqliteEventRepository implements EventRepository {
  readonly #statements: StatementCache;
  readonly #sink: StorageSink;
  readonly #get: Database.Statement<[string], EventRow>;
  readonly #lastActivity: Database.Statement<[string], { t: number | null }>;

  constructor(db: Database.Database, sink: StorageSink) {
    this.#statements = new StatementCache(db);
    this.#sink = sink;
    this.#get = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`);
    this.#lastActivity = db.prepare("SELECT max(timestamp) AS t FROM events WHERE project_id = ?");
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

  sumDurationBy(query: TypeRangeQuery, field: string): DurationByValue[] {
    const path = jsonPath(field);
    const w = typeWhere(query);
    const sql = `SELECT json_extract(data, @path) AS value, sum(coalesce(duration, 0)) AS durationMs,
        count(*) AS count
      FROM events ${w.sql} GROUP BY 1 ORDER BY 2 DESC`;
    return this.#statements.get(sql).all({ ...w.params, path }) as DurationByValue[];
  }

  numericStats(query: TypeRangeQuery, fields: readonly string[]): NumericStats {
    const paths = fields.map(jsonPath);
    const w = typeWhere(query);
    const columns = paths
      .map(
        (_, i) =>
          `avg(json_extract(data, @p${i})) AS avg${i}, min(json_extract(data, @p${i})) AS min${i}, max(json_extract(data, @p${i})) AS max${i}`,
      )
      .join(", ");
    const params: Record<string, unknown> = { ...w.params };
    paths.forEach((p, i) => (params[`p${i}`] = p));
    const sql = `SELECT count(*) AS n${columns ? `, ${columns}` : ""} FROM events ${w.sql}`;
    const row = this.#statements.get(sql).get(params) as Record<string, number | null>;
    const result: NumericStats = { count: row["n"] ?? 0, fields: {} };
    fields.forEach((f, i) => {
      result.fields[f] = {
        avg: row[`avg${i}`] ?? null,
        min: row[`min${i}`] ?? null,
        max: row[`max${i}`] ?? null,
      };
    });
    return result;
  }

  latest(filter: EventFilter = {}): DevflowEvent | undefined {
    const w = where(filter);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events ${w.sql} ORDER BY timestamp DESC, id DESC LIMIT 1`;
    const row = this.#statements.get(sql).get(w.params) as EventRow | undefined;
    return row ? rowToEvent(row) : undefined;
  }

  lastActivityAt(projectId: string): number | undefined {
    return this.#lastActivity.get(projectId)?.t ?? undefined;
  }

  countByTypePerHour(range: TimeRangeQuery): HourlyTypeCount[] {
    const w = where({ from: range.from, to: range.to, projectId: range.projectId });
    const sql = `SELECT type, (timestamp / ${HOUR_MS}) * ${HOUR_MS} AS hourStart, COUNT(*) AS count
      FROM events ${w.sql} GROUP BY type, hourStart ORDER BY hourStart, type`;
    return this.#statements.get(sql).all(w.params) as HourlyTypeCount[];
  }
}
