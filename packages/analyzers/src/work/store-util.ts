/**
 * @module store-util
 * Shared plumbing of the analyses of the work: paging through stored events, deterministic ids
 * and validated analysis events.
 */
import { createHash } from "node:crypto";
import { type DevflowEvent, DevflowError, type EventInput, validateEvent } from "@devflow/events";
import {
  type EventCursor,
  type EventRepository,
  listProjects,
  type ProjectRepository,
} from "@devflow/storage";

/** Events read per query when paging. */
export const PAGE_SIZE = 5000;

/** Options of {@link storedEvents}. */
export interface StoredEventsQuery {
  projectId?: string;
  types: readonly string[];
  from?: number;
  to?: number;
  after?: EventCursor;
  pageSize?: number;
}

/** Stored events in `(timestamp, id)` order, read page by page. */
export function* storedEvents(
  events: EventRepository,
  query: StoredEventsQuery,
): Generator<DevflowEvent> {
  let after = query.after;
  const limit = query.pageSize ?? PAGE_SIZE;
  for (;;) {
    const page = events.query({
      types: query.types,
      limit,
      ...(query.projectId === undefined ? {} : { projectId: query.projectId }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(after === undefined ? {} : { after }),
    });
    yield* page;
    const last = page[page.length - 1];
    if (!last || page.length < limit) return;
    after = { timestamp: last.timestamp, id: last.id };
  }
}

/** A stable id (≤ 64 characters) for the same analysis result: `<prefix>-<sha1 of parts>`. */
export function stableId(prefix: string, ...parts: ReadonlyArray<string | number | null>): string {
  const hash = createHash("sha1")
    .update(parts.map((p) => String(p)).join("\u0000"))
    .digest("hex");
  return `${prefix}-${hash}`;
}

/**
 * Validates an analysis event (`stage.transition`, `bottleneck.*`).
 *
 * @throws {@link DevflowError} `ANALYZERS_INVALID_EVENT` naming the bad field.
 */
export function analysisEvent(input: EventInput): DevflowEvent {
  try {
    return validateEvent(input);
  } catch (err) {
    throw new DevflowError(
      "ANALYZERS_INVALID_EVENT",
      `could not build a ${input.type} event: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/** Clips a string to `max` characters (evidence strings are limited to 128). */
export function clip(text: string, max = 128): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Checks that `projectId` names a registered project.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` naming it.
 */
export function requireProject(projects: ProjectRepository, projectId: string): void {
  if (!projects.get(projectId)) {
    throw new DevflowError(
      "STORAGE_UNKNOWN_PROJECT",
      `no registered project has the id "${projectId}"; the projects are: ${listProjects(projects.list())}`,
    );
  }
}
