/**
 * Shared fixtures of the work-analysis tests: a real SQLite storage in a temp directory with a
 * registered project, and builders of validated events with chosen timestamps.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type DevflowEvent, type EventInput, validateEvent } from "@devflow/events";
import { openStorage, type Project, type Storage } from "@devflow/storage";

const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A temp directory removed after the test. */
function tempDir(prefix = "devflow-work-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh database with one registered project; closed after the test. */
export function workStorage(): { storage: Storage; project: Project; dir: string } {
  const dir = tempDir();
  const storage = openStorage({ path: join(dir, "devflow.db"), synchronous: "NORMAL" });
  cleanups.push(() => storage.close());
  const root = join(dir, "project");
  mkdirSync(root);
  const project = storage.projects.add({ name: "project", rootPath: root });
  return { storage, project, dir };
}

let sequence = 0;

/** A validated event of `type` at `timestamp` (id unique within the process). */
export function ev(
  type: EventInput["type"],
  timestamp: number,
  data: Record<string, unknown>,
  extra: Partial<Pick<EventInput, "projectId" | "duration" | "source">> = {},
): DevflowEvent {
  return validateEvent({
    id: `t-${String(++sequence).padStart(8, "0")}`,
    type,
    timestamp,
    source: extra.source ?? "test",
    data,
    ...(extra.projectId === undefined ? {} : { projectId: extra.projectId }),
    ...(extra.duration === undefined ? {} : { duration: extra.duration }),
  });
}

/** Stores events in batches of 1000 through the storage sink; fails on any rejection. */
export function store(storage: Storage, events: readonly DevflowEvent[]): void {
  for (let i = 0; i < events.length; i += 1000) {
    const r = storage.events.insertBatch(events.slice(i, i + 1000));
    if (r.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(r.rejected[0])}`);
  }
}

/** Midnight UTC of 2024-03-04 (a Monday), the start of most scripted datasets. */
export const T0 = Date.UTC(2024, 2, 4);
/** One hour, one day, in ms. */
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
