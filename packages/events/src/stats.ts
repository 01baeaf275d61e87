/** A point-in-time view of the engine's counters. */
export interface EngineStatsSnapshot {
  /** Events accepted into the queue (merged heartbeat updates of stored rows included). */
  emitted: number;
  /** Events refused by validation. */
  rejected: number;
  /** Heartbeats merged into an earlier one. */
  merged: number;
  /** Debug events dropped because the queue was full. */
  shed: number;
  /** Successful subscriber calls. */
  delivered: number;
  /** Subscriber calls that threw or rejected. */
  subscriberErrors: number;
  /** Events waiting to be written. */
  queueDepth: number;
  highWaterMark: number;
  /** `emit` calls currently waiting for room. */
  waitingEmitters: number;
  batches: number;
  /** Events written as new rows. */
  persisted: number;
  /** Events the sinks already had. */
  duplicates: number;
  /** Events a sink refused (the rest of their batches were stored). */
  sinkRejected: number;
  /** Batch writes that failed and were queued for retry. */
  sinkFailures: number;
  /** Time batches spent in the sinks (ms). */
  batchLatencyMs: { last: number; avg: number; max: number };
}

/** Mutable counters behind {@link EngineStatsSnapshot}. */
export class EngineStats {
  emitted = 0;
  rejected = 0;
  merged = 0;
  shed = 0;
  delivered = 0;
  subscriberErrors = 0;
  waiting = 0;
  batches = 0;
  persisted = 0;
  duplicates = 0;
  sinkRejected = 0;
  sinkFailures = 0;
  #latencyLast = 0;
  #latencySum = 0;
  #latencyMax = 0;

  recordBatch(stored: number, duplicates: number, rejected: number, latencyMs: number): void {
    this.batches++;
    this.persisted += stored;
    this.duplicates += duplicates;
    this.sinkRejected += rejected;
    this.#latencyLast = latencyMs;
    this.#latencySum += latencyMs;
    this.#latencyMax = Math.max(this.#latencyMax, latencyMs);
  }

  snapshot(queueDepth: number, highWaterMark: number): EngineStatsSnapshot {
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return {
      emitted: this.emitted,
      rejected: this.rejected,
      merged: this.merged,
      shed: this.shed,
      delivered: this.delivered,
      subscriberErrors: this.subscriberErrors,
      queueDepth,
      highWaterMark,
      waitingEmitters: this.waiting,
      batches: this.batches,
      persisted: this.persisted,
      duplicates: this.duplicates,
      sinkRejected: this.sinkRejected,
      sinkFailures: this.sinkFailures,
      batchLatencyMs: {
        last: round(this.#latencyLast),
        avg: round(this.batches ? this.#latencySum / this.batches : 0),
        max: round(this.#latencyMax),
      },
    };
  }
}
