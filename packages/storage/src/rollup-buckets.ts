import type Database from "better-sqlite3";

/** Rollup bucket sizes, smallest first. */
export const ROLLUP_BUCKETS = ["5m", "1h", "1d"] as const;
/** One rollup bucket size. */
export type RollupBucket = (typeof ROLLUP_BUCKETS)[number];

/** Length of each rollup bucket in ms. */
export const BUCKET_MS: Readonly<Record<RollupBucket, number>> = {
  "5m": 5 * 60_000,
  "1h": 60 * 60_000,
  "1d": 24 * 60 * 60_000,
};

/** Start (ms UTC) of the bucket holding `timestamp`; days start at UTC midnight. */
export function bucketStart(bucket: RollupBucket, timestamp: number): number {
  const size = BUCKET_MS[bucket];
  return Math.floor(timestamp / size) * size;
}

/** One pending rollup change: add `count` and `durationMs` to a (bucket, start, project, type) row. */
export interface RollupDelta {
  bucket: RollupBucket;
  bucketStart: number;
  projectId: string;
  type: string;
  count: number;
  durationMs: number;
}

/** Which rollup groups an event falls in: its time, project (null: none) and type. */
export interface RollupEventKey {
  readonly timestamp: number;
  readonly projectId: string | null;
  readonly type: string;
}

/**
 * Aggregates the rollup changes of one batch in memory, so the transaction issues one upsert
 * per (bucket, start, project, type) group instead of three per event.
 */
export class RollupAccumulator {
  readonly #groups = new Map<string, RollupDelta>();

  /**
   * Counts `count` events of the event's type at its timestamp (with `durationMs` total) in
   * every bucket.
   */
  add(event: RollupEventKey, count: number, durationMs: number): void {
    const { timestamp, projectId, type } = event;
    const project = projectId ?? "";
    for (const bucket of ROLLUP_BUCKETS) {
      const start = bucketStart(bucket, timestamp);
      const key = `${bucket}\u0000${start}\u0000${project}\u0000${type}`;
      const group = this.#groups.get(key);
      if (group) {
        group.count += count;
        group.durationMs += durationMs;
      } else {
        this.#groups.set(key, {
          bucket,
          bucketStart: start,
          projectId: project,
          type,
          count,
          durationMs,
        });
      }
    }
  }

  /** Applies every group with `upsert` (see {@link prepareRollupUpsert}) and empties the accumulator. */
  flush(upsert: Database.Statement): number {
    let groups = 0;
    for (const d of this.#groups.values()) {
      upsert.run(d.bucket, d.bucketStart, d.projectId, d.type, d.count, d.durationMs);
      groups++;
    }
    this.#groups.clear();
    return groups;
  }
}

/** Prepares the additive rollup upsert (`count = count + excluded.count`). */
export function prepareRollupUpsert(db: Database.Database): Database.Statement {
  return db.prepare(
    `INSERT INTO rollups (bucket, bucket_start, project_id, type, count, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (bucket, bucket_start, project_id, type) DO UPDATE SET
       count = count + excluded.count, duration_ms = duration_ms + excluded.duration_ms`,
  );
}
