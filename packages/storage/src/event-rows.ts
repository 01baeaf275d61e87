import type { DevflowEvent } from "@devflow/events";

/** An `events` row as better-sqlite3 returns it (snake_case, JSON columns as text). */
export interface EventRow {
  id: string;
  type: string;
  category: string;
  severity: string;
  timestamp: number;
  duration: number | null;
  source: string;
  project_id: string | null;
  data: string;
  metadata: string | null;
  correlation_id: string | null;
  parent_id: string | null;
  received_at: number;
}

/** The columns of `events`, in table order, for SELECT lists. */
export const EVENT_COLUMNS =
  "id, type, category, severity, timestamp, duration, source, project_id, data, metadata, correlation_id, parent_id, received_at";

/** Maps a validated event to its row; `receivedAt` is when storage got it (ms UTC). */
export function eventToRow(event: DevflowEvent, receivedAt: number): EventRow {
  return {
    id: event.id,
    type: event.type,
    category: event.category,
    severity: event.severity,
    timestamp: event.timestamp,
    duration: event.duration ?? null,
    source: event.source,
    project_id: event.projectId ?? null,
    data: JSON.stringify(event.data),
    metadata: event.metadata === undefined ? null : JSON.stringify(event.metadata),
    correlation_id: event.correlationId ?? null,
    parent_id: event.parentId ?? null,
    received_at: receivedAt,
  };
}

/**
 * Maps a stored row back to the event. Rows were validated on the way in, so the result is
 * trusted rather than re-parsed; absent optional fields stay absent.
 */
export function rowToEvent(row: EventRow): DevflowEvent {
  const event: Record<string, unknown> = {
    id: row.id,
    type: row.type,
    category: row.category,
    severity: row.severity,
    timestamp: row.timestamp,
    source: row.source,
    data: JSON.parse(row.data) as unknown,
  };
  if (row.duration !== null) event.duration = row.duration;
  if (row.project_id !== null) event.projectId = row.project_id;
  if (row.metadata !== null) event.metadata = JSON.parse(row.metadata) as unknown;
  if (row.correlation_id !== null) event.correlationId = row.correlation_id;
  if (row.parent_id !== null) event.parentId = row.parent_id;
  return event as DevflowEvent;
}
