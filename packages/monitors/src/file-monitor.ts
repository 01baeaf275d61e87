/**
 * @module file-monitor
 * The FileMonitor: watches a project with chokidar and records `file.created|changed|deleted|
 * renamed` events with the path (relative), language, size and line delta, never contents.
 */
import type { Stats } from "node:fs";
import { type ChokidarOptions, type FSWatcher, watch } from "chokidar";
import { DevflowError, type EventInput } from "@devflow/events";
import { BaseMonitor, type MonitorContext, type MonitorStatus } from "./base-monitor.js";
import type { MonitorsConfig } from "./config.js";
import { BurstDetector } from "./file-monitor/burst-detector.js";
import {
  ChangeTracker,
  type FileEventType,
  type FileFacts,
} from "./file-monitor/change-tracker.js";
import { DebounceQueue } from "./file-monitor/debounce-queue.js";
import { mapLimit, probe, resolveDirectory, sleep } from "./file-monitor/fs-util.js";
import { PassRunner } from "./file-monitor/pass-runner.js";
import { rescan, type RescanContext, RescanSchedule } from "./file-monitor/rescan.js";
import { Snapshot, splitPath } from "./file-monitor/snapshot.js";
import { describeWatchError } from "./file-monitor/watch-errors.js";
import { createIgnoreMatcher, type IgnoreMatcher } from "./ignore-rules.js";
import { detectLanguage } from "./language.js";

/** The file monitor's configuration (`monitors.file`). */
export type FileMonitorConfig = MonitorsConfig["file"];

/** Creates the chokidar watcher of a project root (see {@link FileMonitorOptions.watcherFactory}). */
export type WatcherFactory = (root: string, options: ChokidarOptions) => FSWatcher;

/** Options of {@link FileMonitor} beyond its config. */
export interface FileMonitorOptions {
  /**
   * Creates the chokidar watcher; default chokidar's `watch`. A caller can wrap it to keep a
   * reference to the live watcher, e.g. a test that emits an `ENOSPC` error on it the way
   * chokidar does when `fs.watch` fails.
   */
  watcherFactory?: WatcherFactory;
  /** An unlink and an add of the same file within this window are one rename (ms; default 250). */
  renameWindowMs?: number;
}

/** chokidar drops `change` events within 50 ms of the previous one; a check must come later. */
const MIN_DEBOUNCE_MS = 75;
const DEFAULT_RENAME_WINDOW_MS = 250;
/** While degraded (watch limits hit), the whole tree is rescanned this often. */
const DEGRADED_RESCAN_MS = 30_000;
const CHECK_BATCH = 256;
const STAT_CONCURRENCY = 32;

/**
 * Watches a project's files and emits `file.*` events. `.gitignore` rules (nested ones too) and
 * `config.ignore` prune directories before chokidar descends into them; `.git`, `node_modules`
 * and editor temp/swap files are never watched. Each event is the difference between a fresh
 * `lstat` and the monitor's snapshot (path → mtime, size, inode, lines), so a file changed by
 * several writes within `debounceMs` yields one event, an atomic save (temp file renamed over
 * the target) one `file.changed`, and a rename one `file.renamed`. After bursts and new
 * directories the affected directories are rescanned (`reconcileDelayMs`) and what the watcher
 * missed is emitted with `reconciled: true`. ENOSPC/EMFILE make the monitor `degraded`, with
 * the fix in `status()`, never crash it.
 *
 * @example
 * const monitor = new FileMonitor({ engine, storage, project }, config.monitors.file);
 * await monitor.start();
 * monitor.status().counters; // { events, reconciled, ignoredDirs, errors, files, … }
 *
 * @throws {@link DevflowError} `MONITORS_NO_PROJECT` when `ctx.project` is missing.
 */
export class FileMonitor extends BaseMonitor {
  readonly #rootPath: string;
  readonly #config: FileMonitorConfig;
  readonly #factory: WatcherFactory;
  readonly #snapshot = new Snapshot();
  readonly #queue: DebounceQueue;
  readonly #tracker: ChangeTracker;
  readonly #bursts = new BurstDetector();
  /** Directories chokidar watches (as far as the monitor knows). */
  readonly #knownDirs = new Set<string>();
  readonly #rescans: RescanSchedule;
  readonly #rescanContext: RescanContext = {
    matcher: () => this.#matcher!,
    snapshot: this.#snapshot,
    knownDirs: this.#knownDirs,
    isQueued: (path) => this.#queue.has(path),
    observe: (path, found) => this.#tracker.observe(path, found, true),
    watchDir: (path) => {
      // Past the watch limit, adding watches only fails again: the periodic rescan covers it.
      if (!this.#watcher || this.#degraded === "ENOSPC") return;
      this.#watcher.add(path); // no addDir follows (ignoreInitial): rescan it once watched
      this.#requestRescan(path, Date.now());
    },
    onError: (err) => this.#onError(err),
  };
  #root = "";
  #matcher: IgnoreMatcher | undefined;
  #watcher: FSWatcher | undefined;
  #generation = 0;
  #ready = false;
  #stopping = false;
  #onReady: (() => void) | undefined;
  readonly #passes = new PassRunner(
    () => this.#work(false),
    () => {
      const next = Math.min(
        this.#queue.nextDue() ?? Infinity,
        this.#tracker.nextDue() ?? Infinity,
        this.#rescans.due ?? Infinity,
      );
      return next === Infinity ? undefined : next;
    },
  );
  #degraded: string | undefined;
  #degradedTimer: NodeJS.Timeout | undefined;
  #errorLogs = 0;

  /** @throws {@link DevflowError} `MONITORS_NO_PROJECT` when `ctx.project` is missing. */
  constructor(ctx: MonitorContext, config: FileMonitorConfig, options: FileMonitorOptions = {}) {
    super("file", ctx);
    if (!ctx.project)
      throw new DevflowError("MONITORS_NO_PROJECT", "FileMonitor needs ctx.project");
    this.#rootPath = ctx.project.rootPath;
    this.#config = config;
    this.#factory = options.watcherFactory ?? ((root, opts) => watch(root, opts));
    const delay = Math.max(config.debounceMs, MIN_DEBOUNCE_MS);
    this.#queue = new DebounceQueue(delay, Math.max(2000, 10 * delay));
    this.#rescans = new RescanSchedule(config.reconcileDelayMs);
    this.#tracker = new ChangeTracker(
      this.#snapshot,
      () => this.#matcher!,
      {
        report: (type, path, facts, reconciled) => this.#report(type, path, facts, reconciled),
        onError: (err) => this.#onError(err),
      },
      options.renameWindowMs ?? DEFAULT_RENAME_WINDOW_MS,
    );
    for (const counter of ["reconciled", "ignoredDirs", "errors", "bursts", "rescans"]) {
      this.count(counter, 0);
    }
  }

  /** Status, with the number of files in the snapshot as the `files` counter. */
  override status(): MonitorStatus {
    const status = super.status();
    status.counters.files = this.#snapshot.size;
    return status;
  }

  /** Number of paths (files and directories) chokidar watches: the sum over `getWatched()`. */
  watchedPathCount(): number {
    let count = 0;
    for (const children of Object.values(this.#watcher?.getWatched() ?? {})) {
      count += children.length;
    }
    return count;
  }

  /**
   * Resolves once everything the watcher reported so far has been checked, reconciled and
   * emitted: the debounce queue, the rename window and the scheduled rescans are empty.
   */
  async whenIdle(): Promise<void> {
    while (this.#ready && !this.#stopping && !this.#isIdle()) await sleep(20);
  }

  protected async onStart(): Promise<void> {
    const generation = ++this.#generation;
    this.#root = await resolveDirectory(this.#rootPath);
    this.#reset();
    this.#matcher = createIgnoreMatcher(this.#root, this.#config.ignore, {
      onIgnoredDir: () => this.count("ignoredDirs"),
    });
    const watcher = this.#factory(this.#root, {
      persistent: true,
      ignoreInitial: true,
      followSymlinks: false,
      atomic: true,
      ignored: (path, stats) => this.#ignored(path, stats),
    });
    this.#watcher = watcher;
    watcher.on("error", (err) => this.#onError(err)); // without it, ENOSPC would crash the process
    for (const event of ["add", "change", "unlink"] as const) {
      watcher.on(event, (path) => this.#trigger(path));
    }
    watcher.on("addDir", (path) => this.#onAddDir(path));
    watcher.on("unlinkDir", (path) => this.#onUnlinkDir(path));
    await new Promise<void>((resolve) => {
      this.#onReady = resolve;
      watcher.once("ready", resolve);
    });
    this.#onReady = undefined;
    if (generation !== this.#generation) return; // stopped while starting
    this.#ready = true;
    this.#passes.enable();
  }

  protected async onStop(): Promise<void> {
    this.#generation++;
    this.#stopping = true;
    this.#onReady?.();
    clearInterval(this.#degradedTimer);
    this.#degradedTimer = undefined;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    try {
      await watcher?.close();
      await this.#passes.disable();
      if (this.#ready) await this.#work(true); // report what was seen before the stop
    } finally {
      this.#ready = false;
      this.#stopping = false;
    }
  }

  #reset(): void {
    this.#snapshot.clear();
    this.#queue.clear();
    this.#tracker.clear();
    this.#bursts.reset();
    this.#knownDirs.clear();
    this.#knownDirs.add(this.#root);
    this.#rescans.clear();
    this.#degraded = undefined;
  }

  /**
   * chokidar's `ignored`. During the initial scan it also builds the snapshot from the stats
   * chokidar passes in, so startup costs no second `stat` per file.
   */
  #ignored(path: string, stats?: Stats): boolean {
    // Without stats chokidar asks only about paths it already asked about with stats (or the
    // root): answering again would only repeat the rule evaluation.
    if (!stats) return false;
    if (stats.isSymbolicLink()) return true; // never followed: symlink loops are harmless
    if (this.#matcher!.ignores(path, stats)) return true;
    if (!this.#ready) {
      if (stats.isFile()) this.#snapshot.set(path, stats);
      else if (stats.isDirectory()) this.#knownDirs.add(path);
    }
    return false;
  }

  #trigger(path: string): void {
    if (this.#stopping) return;
    const now = Date.now();
    const [dir, name] = splitPath(path);
    if (name === ".gitignore") this.#matcher?.invalidate(dir);
    this.#queue.touch(path, now);
    const burst = this.#bursts.note(dir, now);
    if (burst.started) this.count("bursts");
    for (const busy of burst.dirs) this.#requestRescan(busy, now, burst.full);
    this.#passes.wake(now + this.#queue.delayMs);
  }

  #onAddDir(path: string): void {
    this.#knownDirs.add(path);
    // Files created before chokidar watched the new directory are found by this rescan.
    if (this.#ready && !this.#stopping) this.#requestRescan(path, Date.now());
  }

  #onUnlinkDir(path: string): void {
    if (this.#stopping) return;
    for (const dir of this.#knownDirs) {
      if (dir === path || dir.startsWith(`${path}/`)) this.#knownDirs.delete(dir);
    }
    const now = Date.now();
    for (const dir of this.#snapshot.dirsUnder(path)) {
      for (const name of this.#snapshot.namesIn(dir)) {
        this.#queue.touch(`${dir}/${name}`, now);
      }
    }
    this.#passes.wake(now + this.#queue.delayMs);
  }

  #requestRescan(dir: string, now: number, full = false): void {
    this.#passes.wake(this.#rescans.request(dir, now, full));
  }

  #onError(err: unknown): void {
    this.count("errors");
    const report = describeWatchError(err, DEGRADED_RESCAN_MS / 1000);
    if (!report) {
      // Codes only: error messages hold absolute paths.
      const { code, syscall } = (err ?? {}) as NodeJS.ErrnoException;
      if (this.#errorLogs++ < 20) this.log.warn({ code, syscall }, "file watcher error");
      return;
    }
    if (this.#degraded === report.code) return;
    this.#degraded = report.code;
    this.setHealth("degraded", report.message, report.fix);
    const rescanAll = () => this.#requestRescan(this.#root, Date.now(), true);
    this.#degradedTimer ??= setInterval(rescanAll, DEGRADED_RESCAN_MS).unref();
  }

  #isIdle(): boolean {
    return (
      !this.#passes.busy &&
      this.#queue.size === 0 &&
      this.#tracker.pending === 0 &&
      this.#rescans.due === undefined
    );
  }

  /**
   * One pass, serialised (it alone touches the snapshot after startup): due checks first, then
   * due rescans, then findings whose rename window ended. `final` takes everything now.
   */
  async #work(final: boolean): Promise<boolean> {
    try {
      for (;;) {
        const now = final ? Infinity : Date.now();
        const batch = this.#queue.takeDue(now, CHECK_BATCH);
        const rescanDue = this.#rescans.due;
        if (batch.length > 0) await this.#checkBatch(batch);
        else if (rescanDue !== undefined && now >= rescanDue) await this.#reconcile();
        else if (!(await this.#tracker.flushDue(now, final))) return true;
      }
    } catch (err) {
      this.count("errors");
      this.log.error({ err }, "file monitor pass failed");
      return false;
    }
  }

  async #checkBatch(paths: readonly string[]): Promise<void> {
    const onError = (err: unknown) => this.#onError(err);
    const probes = await mapLimit(paths, STAT_CONCURRENCY, (path) => probe(path, onError));
    for (let i = 0; i < paths.length; i++) {
      const found = probes[i];
      if (found !== undefined) await this.#tracker.observe(paths[i]!, found, false);
    }
  }

  async #reconcile(): Promise<void> {
    const { dirs, full } = this.#rescans.take();
    this.count("rescans");
    await rescan(full ? [this.#root] : dirs, full, this.#rescanContext);
  }

  async #report(type: FileEventType, path: string, facts: FileFacts, reconciled: boolean) {
    const language = detectLanguage(path);
    const data = {
      path: this.#relative(path),
      ...(language === undefined ? {} : { language }),
      ...facts,
      ...(facts.oldPath === undefined ? {} : { oldPath: this.#relative(facts.oldPath) }),
      ...(reconciled ? { reconciled: true } : {}),
    };
    if (reconciled) this.count("reconciled");
    await this.emit({ type, source: this.name, data } as EventInput);
  }

  #relative(path: string): string {
    const rel = path.startsWith(this.#root) ? path.slice(this.#root.length + 1) : path;
    return rel.includes("\\") ? rel.replaceAll("\\", "/") : rel;
  }
}
