import type Database from "better-sqlite3";
import { DevflowError } from "@devflow/events";
import { BUCKET_MS, ROLLUP_BUCKETS, type RollupBucket } from "../rollup-buckets.js";
import { StatementCache } from "../statement-cache.js";
import type { HourlyTypeCount, TimeRangeQuery } from "./events.js";

/** A rollup series request: buckets overlapping `[from, to)` (ms UTC). */
export interface RollupSeriesQuery {
  bucket: RollupBucket;
  from: number;
  to: number;
  /** One project; `''` selects events without a project. All projects when omitted. */
  projectId?: string;
  types?: readonly string[];
}

/** One rollup row: the events of one type and project in one UTC bucket. */
export interface RollupPoint {
  /** Bucket start, ms UTC. */
  bucketStart: number;
  /** `''` for events without a project. */
  projectId: string;
  type: string;
  count: number;
  /** Sum of the events' durations (ms). */
  durationMs: number;
}

/**
 * Read access to the rollups (5 m / 1 h / 1 d UTC buckets kept in the ingest transaction).
 * Rollups outlive pruned raw events.
 */
export interface RollupRepository {
  /** Rollup rows of buckets overlapping the range, ordered by bucket start, project, type. */
  series(query: RollupSeriesQuery): RollupPoint[];
  /**
   * Events per type and UTC hour from the 1 h rollups: the same shape and, for hour-aligned
   * bounds, the same figures as `events.countByTypePerHour`, at a fraction of the cost.
   * With unaligned bounds the first and last hours count their whole hour.
   */
  countByTypePerHour(range: TimeRangeQuery): HourlyTypeCount[];
}

function check(query: { from: number; to: number }): void {
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to)) {
    throw new DevflowError("STORAGE_BAD_ARGUMENT", "from and to must be finite numbers of ms");
  }
}

/** The SQLite implementation of {@link RollupRepository}. */
export class SqliteRollupRepository implements RollupRepository {
  readonly #statements: StatementCache;

  constructor(db: Database.Database) {
    this.#statements = new StatementCache(db);
  }

  series(query: RollupSeriesQuery): RollupPoint[] {
    check(query);
    if (!ROLLUP_BUCKETS.includes(query.bucket)) {
      throw new DevflowError(
        "STORAGE_BAD_ARGUMENT",
        `bucket must be one of ${ROLLUP_BUCKETS.join(", ")}`,
      );
    }
    const params: Record<string, unknown> = {
      bucket: query.bucket,
      from: query.from - BUCKET_MS[query.bucket],
      to: query.to,
    };
    let filters = "";
    if (query.projectId !== undefined) {
      filters += " AND project_id = @projectId";
      params.projectId = query.projectId;
    }
    if (query.types !== undefined) {
      filters += " AND type IN (SELECT value FROM json_each(@types))";
      params.types = JSON.stringify(query.types);
    }
    const sql = `SELECT bucket_start AS bucketStart, project_id AS projectId, type, count,
        duration_ms AS durationMs
      FROM rollups WHERE bucket = @bucket AND bucket_start > @from AND bucket_start < @to${filters}
      ORDER BY bucket_start, project_id, type`;
    return this.#statements.get(sql).all(params) as RollupPoint[];
  }

  countByTypePerHour(range: TimeRangeQuery): HourlyTypeCount[] {
    check(range);
    const params: Record<string, unknown> = { from: range.from - BUCKET_MS["1h"], to: range.to };
    let filters = "";
    if (range.projectId !== undefined) {
      filters = " AND project_id = @projectId";
      params.projectId = range.projectId;
    }
    const sql = `SELECT type, bucket_start AS hourStart, SUM(count) AS count FROM rollups
      WHERE bucket = '1h' AND bucket_start > @from AND bucket_start < @to${filters}
      GROUP BY bucket_start, type HAVING SUM(count) > 0 ORDER BY bucket_start, type`;
    return this.#statements.get(sql).all(params) as HourlyTypeCount[];
  }
}
