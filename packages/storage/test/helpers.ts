import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach } from "vitest";
import { type DevflowEvent, newEventId } from "@devflow/events";
import { openStorage, type OpenStorageOptions, type Storage } from "../src/index.js";

const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh temp directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "devflow-storage-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a storage on a new file in a temp dir; closed after the test. */
export function openTemp(options: Partial<OpenStorageOptions> = {}): Storage {
  const storage = openStorage({ path: join(tempDir(), "devflow.db"), ...options });
  cleanups.push(() => storage.close());
  return storage;
}

/** Reads rows with an independent connection, so assertions see what is really on disk. */
export function readRows(
  path: string,
  sql: string,
  ...params: unknown[]
): Array<Record<string, unknown>> {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** A valid `file.changed` event (override any field). */
export function fileEvent(
  overrides: Partial<DevflowEvent> & Record<string, unknown> = {},
): DevflowEvent {
  return {
    id: newEventId(),
    type: "file.changed",
    category: "file",
    severity: "info",
    timestamp: T0,
    source: "test",
    projectId: "p1",
    data: { path: "src/a.ts" },
    ...overrides,
  } as DevflowEvent;
}

/** A valid `activity.heartbeat` event (override any field). */
export function heartbeat(overrides: Record<string, unknown> = {}): DevflowEvent {
  return {
    id: newEventId(),
    type: "activity.heartbeat",
    category: "activity",
    severity: "info",
    timestamp: T0,
    duration: 1000,
    source: "editor",
    projectId: "p1",
    data: { category: "coding", language: "typescript" },
    ...overrides,
  };
}

const TYPES = ["file.changed", "file.created", "activity.afk"] as const;

/** Deterministic pseudo-random events spread over `days` days from T0, several types and projects. */
export function spreadEvents(count: number, days: number, seed = 1): DevflowEvent[] {
  let s = seed;
  const rand = (): number => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  return Array.from({ length: count }, () => {
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    const timestamp = T0 + Math.floor(rand() * days * DAY);
    const projectId = rand() < 0.2 ? undefined : rand() < 0.5 ? "p1" : "p2";
    const base = {
      id: newEventId(),
      timestamp,
      source: "gen",
      ...(projectId ? { projectId } : {}),
    };
    if (type === "activity.afk") {
      return {
        ...base,
        type,
        category: "activity",
        severity: "info",
        duration: Math.floor(rand() * 5000),
        data: { idleMs: 10 },
      };
    }
    return { ...base, type, category: "file", severity: "info", data: { path: "src/x.ts" } };
  });
}
