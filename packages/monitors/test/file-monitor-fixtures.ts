/**
 * Shared fixtures of the FileMonitor tests: real temp directories, a real EventEngine writing
 * to a real SQLite storage, a logger that captures every line, and a writer child process.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import { afterEach } from "vitest";
import { type DevflowEvent, EventEngine } from "@devflow/events";
import { openStorage, type Storage } from "@devflow/storage";
import { captureLogger } from "@devflow/test-utils";
import { MonitorsConfigSchema } from "../src/config.js";
import {
  FileMonitor,
  type FileMonitorConfig,
  type FileMonitorOptions,
} from "../src/file-monitor.js";
import { sqliteOf } from "@devflow/storage/testing";

const cleanups: Array<() => void | Promise<void>> = [];

// Closing tens of thousands of watches and deleting the trees takes a while under load.
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 120_000);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fresh temp directory (real path), removed after the test. */
export function tempDir(prefix = "devflow-fm-"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (relative path → content), creating directories. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** One stored file event, with its data parsed. */
export interface StoredFileEvent {
  type: string;
  data: {
    path: string;
    oldPath?: string;
    language?: string;
    size?: number;
    linesAdded?: number;
    linesRemoved?: number;
    reconciled?: boolean;
  };
}

export interface Harness {
  root: string;
  storage: Storage;
  engine: EventEngine;
  monitor: FileMonitor;
  /** The live chokidar watcher the monitor created. */
  watcher(): FSWatcher;
  /** Events as delivered live by the engine. */
  events: DevflowEvent[];
  logs: string[];
  /** Waits until the monitor is idle and no event arrived for `quietMs`, then drains the engine. */
  settle(quietMs?: number): Promise<void>;
  /** File events as stored in SQLite, in insertion order. */
  stored(): StoredFileEvent[];
}

export interface HarnessOptions {
  config?: Partial<FileMonitorConfig>;
  options?: FileMonitorOptions;
  /** Start the monitor (default true). */
  start?: boolean;
}

/** A FileMonitor on `root` with a real engine and SQLite storage; stopped after the test. */
export async function startMonitor(root: string, opts: HarnessOptions = {}): Promise<Harness> {
  const { logger, json: logs } = captureLogger();
  const storage = openStorage({
    path: join(tempDir("devflow-fm-db-"), "devflow.db"),
    synchronous: "NORMAL",
    logger,
  });
  const engine = new EventEngine({ batchSize: 500, maxWaitMs: 50, logger });
  engine.addSink(storage.sink);
  const events: DevflowEvent[] = [];
  engine.subscribe("file.*", (event) => void events.push(event));
  let watcher: FSWatcher | undefined;
  const config = MonitorsConfigSchema.parse({
    file: { debounceMs: 100, reconcileDelayMs: 300, ...opts.config },
  }).file;
  const monitor = new FileMonitor(
    { engine, storage, logger, project: { id: "p1", name: "demo", rootPath: root } },
    config,
    {
      ...opts.options,
      watcherFactory: (path, options) => (watcher = watch(path, options)),
    },
  );
  cleanups.push(async () => {
    await monitor.stop();
    await engine.stop();
    storage.close();
  });
  if (opts.start !== false) await monitor.start();
  const db = sqliteOf(storage);
  return {
    root,
    storage,
    engine,
    monitor,
    watcher: () => watcher!,
    events,
    logs,
    async settle(quietMs = 400) {
      for (;;) {
        const before = events.length;
        await sleep(quietMs);
        await monitor.whenIdle();
        if (events.length === before) break;
      }
      await engine.drain();
    },
    stored: () =>
      (
        db
          .prepare("SELECT type, data FROM events WHERE category = 'file' ORDER BY rowid")
          .all() as Array<{ type: string; data: string }>
      ).map((row) => ({ type: row.type, data: JSON.parse(row.data) as StoredFileEvent["data"] })),
  };
}

/** Stored events as `type path` (renames as `type oldPath -> path`), sorted. */
export function summary(events: readonly StoredFileEvent[]): string[] {
  return events
    .map(({ type, data }) => `${type} ${data.oldPath ? `${data.oldPath} -> ` : ""}${data.path}`)
    .sort();
}

/** Runs a Node script in a separate process (argv: `root`), resolving with its stdout. */
export function runNode(script: string, args: readonly string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`node -e exited ${code}: ${err}`)),
    );
  });
}
