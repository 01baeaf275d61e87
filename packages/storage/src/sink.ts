import type Database from "better-sqlite3";
import {
  type DevflowEvent,
  type EventSink,
  isHeartbeat,
  isValidatedEvent,
  type Logger,
  type SinkResult,
  validateEvent,
} from "@devflow/events";
import { type EventRow, eventToRow } from "./event-rows.js";
import { prepareRollupUpsert, RollupAccumulator } from "./rollup-buckets.js";

/** One event to write: anything `validateEvent` accepts, and an optional `received_at`. */
export interface EventWriteItem {
  input: unknown;
  /** When storage received the event (ms UTC); defaults to the batch's write time. */
  receivedAt?: number;
}

/** What {@link EventWriter.writeInTransaction} did; `rejected` carries batch indexes. */
export interface EventWriteOutcome {
  stored: number;
  duplicates: number;
  rejected: Array<{ index: number; id: string; error: string }>;
}

interface MergeTarget {
  type: string;
  timestamp: number;
  project_id: string | null;
  duration: number | null;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function idOf(input: unknown, index: number): string {
  if (typeof input === "object" && input !== null && "id" in input) {
    const id = input.id;
    if (typeof id === "string" && id !== "") return id;
  }
  return `batch[${index}]`;
}

/**
 * Validates and inserts events with statements prepared once, keeping the rollups in step.
 * Shared by the storage sink and JSONL import, so both maintain rollups the same way.
 */
export class EventWriter {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[EventRow]>;
  readonly #mergeTarget: Database.Statement<[string], MergeTarget>;
  readonly #extend: Database.Statement<[number, string]>;
  readonly #upsertRollup: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO events (id, type, category, severity, timestamp, duration, source, project_id,
         data, metadata, correlation_id, parent_id, received_at)
       VALUES (@id, @type, @category, @severity, @timestamp, @duration, @source, @project_id,
         @data, @metadata, @correlation_id, @parent_id, @received_at)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#mergeTarget = db.prepare(
      "SELECT type, timestamp, project_id, duration FROM events WHERE id = ?",
    );
    this.#extend = db.prepare("UPDATE events SET duration = ? WHERE id = ?");
    this.#upsertRollup = prepareRollupUpsert(db);
  }

  /**
   * Writes `items`; must run inside a write transaction. Invalid events and rows that fail to
   * insert are reported per event while the others are stored. Only newly inserted rows (and
   * heartbeat extensions) reach the rollups, so replaying a batch never double counts.
   */
  writeInTransaction(items: readonly EventWriteItem[], now: number): EventWriteOutcome {
    const outcome: EventWriteOutcome = { stored: 0, duplicates: 0, rejected: [] };
    const rollups = new RollupAccumulator();
    items.forEach((item, index) => {
      let event: DevflowEvent;
      try {
        event = isValidatedEvent(item.input) ? item.input : validateEvent(item.input);
      } catch (err) {
        outcome.rejected.push({ index, id: idOf(item.input, index), error: errorMessage(err) });
        return;
      }
      try {
        const row = eventToRow(event, item.receivedAt ?? now);
        if (this.#insert.run(row).changes === 1) {
          outcome.stored++;
          rollups.add(
            { timestamp: row.timestamp, projectId: row.project_id, type: row.type },
            1,
            row.duration ?? 0,
          );
          return;
        }
        outcome.duplicates++;
        if (isHeartbeat(event) && event.duration !== undefined) {
          this.#extendHeartbeat(event.id, event.duration, rollups);
        }
      } catch (err) {
        // SQLite may roll the whole transaction back (SQLITE_FULL, SQLITE_BUSY): then re-throw.
        if (!this.#db.inTransaction) throw err;
        outcome.rejected.push({
          index,
          id: event.id,
          error: `event ${event.id}: ${errorMessage(err)}`,
        });
      }
    });
    rollups.flush(this.#upsertRollup);
    return outcome;
  }

  /** Heartbeat merging re-sends the first heartbeat's id with a longer duration: extend the row. */
  #extendHeartbeat(id: string, duration: number, rollups: RollupAccumulator): void {
    const stored = this.#mergeTarget.get(id);
    if (stored?.type !== "activity.heartbeat") return;
    const previous = stored.duration ?? 0;
    if (duration <= previous) return;
    this.#extend.run(duration, id);
    rollups.add(
      { timestamp: stored.timestamp, projectId: stored.project_id, type: stored.type },
      0,
      duration - previous,
    );
  }
}

/**
 * The storage `EventSink`: one `BEGIN IMMEDIATE` transaction per batch, idempotent on event id,
 * re-validating every event. It writes synchronously, so `write` returns the result directly.
 * A rejected event is reported under its id, or `batch[<index>]` when it has none.
 */
export interface StorageSink extends EventSink {
  write(batch: readonly DevflowEvent[]): SinkResult;
}

/** Creates the {@link StorageSink} over `writer`. */
export function createStorageSink(
  db: Database.Database,
  writer: EventWriter,
  logger: Logger,
): StorageSink {
  const writeBatch = db.transaction((items: EventWriteItem[], now: number) =>
    writer.writeInTransaction(items, now),
  );
  return {
    name: "storage",
    write(batch: readonly DevflowEvent[]): SinkResult {
      const items = batch.map((input): EventWriteItem => ({ input }));
      const outcome = writeBatch.immediate(items, Date.now());
      if (outcome.rejected.length > 0) {
        logger.warn(
          { rejected: outcome.rejected.length, first: outcome.rejected[0]?.error },
          "storage sink rejected events",
        );
      }
      return {
        stored: outcome.stored,
        duplicates: outcome.duplicates,
        rejected: outcome.rejected.map(({ id, error }) => ({ id, error })),
      };
    },
  };
}
