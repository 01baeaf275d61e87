import type { DevflowEvent } from "./schemas.js";

/** What a sink did with one batch. */
export interface SinkResult {
  /** Events newly stored. */
  stored: number;
  /** Events already present (same id): skipped, or merged for heartbeats. */
  duplicates: number;
  /** Events the sink refused, each with the reason; the rest of the batch is still stored. */
  rejected: ReadonlyArray<{ id: string; error: string }>;
}

/**
 * Where batches go: storage, a remote agent's uplink, a test recorder. A sink must be
 * idempotent on event id, because a batch whose write failed is retried whole.
 */
export interface EventSink {
  readonly name: string;
  write(batch: readonly DevflowEvent[]): SinkResult | Promise<SinkResult>;
}

/** Reported after every batch that every sink accepted. */
export interface BatchReport extends SinkResult {
  size: number;
  /** Events in the batch, in the order written. */
  ids: readonly string[];
  /** Time the batch spent in the sinks (ms). */
  latencyMs: number;
}
