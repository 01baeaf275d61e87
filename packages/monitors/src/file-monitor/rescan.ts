/**
 * @module file-monitor/rescan
 * Reconciliation: lists a directory and compares it with the snapshot, so that what the
 * watcher missed (bursts, files created in a directory before its watch was attached, kernel
 * queue overflows) is found. Watchman calls this a recrawl.
 */
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { IgnoreMatcher } from "../ignore-rules.js";
import { mapLimit, probe, type Probe } from "./fs-util.js";
import { sameFile, type Snapshot } from "./snapshot.js";

/** What a rescan needs from the monitor. */
export interface RescanContext {
  matcher: () => IgnoreMatcher;
  snapshot: Snapshot;
  /** Directories chokidar is known to watch. */
  knownDirs: Set<string>;
  /** True for paths with a check already queued: those are left to the check. */
  isQueued: (path: string) => boolean;
  /** Reports a difference (`null`: the file is gone). */
  observe: (path: string, found: Stats | null) => Promise<void>;
  /** Asks the watcher to watch a directory it did not know. */
  watchDir: (path: string) => void;
  onError: (err: unknown) => void;
}

type Stats = NonNullable<Probe>;

const STAT_CONCURRENCY = 32;

async function list(dir: string, ctx: Pass): Promise<Dirent[] | null | undefined> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    ctx.onError(err);
    return undefined;
  }
}

interface Pass extends RescanContext {
  /** Descend into every subdirectory (a full recrawl), not only into unknown ones. */
  recursive: boolean;
  /** Directories already rescanned in this pass. */
  visited: Set<string>;
}

/**
 * Rescans `dirs` against the snapshot, and their new subdirectories (all subdirectories with
 * `recursive`), reporting every difference through `ctx.observe`.
 */
export async function rescan(
  dirs: readonly string[],
  recursive: boolean,
  ctx: RescanContext,
): Promise<void> {
  const pass: Pass = { ...ctx, recursive, visited: new Set() };
  for (const dir of dirs) await rescanDirectory(dir, pass);
}

async function rescanDirectory(dir: string, ctx: Pass): Promise<void> {
  if (ctx.visited.has(dir)) return;
  ctx.visited.add(dir);
  const entries = await list(dir, ctx);
  if (entries === undefined) return;
  if (entries === null) {
    // The directory is gone: so is every file known below it.
    for (const sub of ctx.snapshot.dirsUnder(dir)) await reportMissing(sub, new Set(), ctx);
    return;
  }
  const present = new Set<string>();
  const toProbe: string[] = [];
  const subdirs: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink() || ctx.matcher().ignores(path, entry)) continue;
    if (entry.isDirectory()) {
      if (ctx.recursive || !ctx.knownDirs.has(path)) subdirs.push(path);
    } else if (entry.isFile()) {
      present.add(entry.name);
      if (!ctx.isQueued(path)) toProbe.push(path);
    }
  }
  const probes = await mapLimit(toProbe, STAT_CONCURRENCY, (p) => probe(p, ctx.onError));
  for (let i = 0; i < toProbe.length; i++) {
    const found = probes[i];
    if (found === undefined) continue;
    const path = toProbe[i]!;
    const known = ctx.snapshot.get(path);
    if (found && known && sameFile(known, found)) continue;
    if (found || known) await ctx.observe(path, found);
  }
  await reportMissing(dir, present, ctx);
  for (const sub of subdirs) {
    if (!ctx.knownDirs.has(sub)) {
      ctx.knownDirs.add(sub);
      ctx.watchDir(sub);
    }
    await rescanDirectory(sub, ctx);
  }
}

/** Reports the known files of `dir` that are not in `present`. */
async function reportMissing(dir: string, present: Set<string>, ctx: Pass): Promise<void> {
  for (const name of ctx.snapshot.namesIn(dir)) {
    const path = join(dir, name);
    if (!present.has(name) && !ctx.isQueued(path)) await ctx.observe(path, null);
  }
}

/**
 * Which directories to rescan, and when: `delayMs` after the last request (so a burst is
 * rescanned once it is over), but never later than ten delays after the first one.
 */
export class RescanSchedule {
  readonly #dirs = new Set<string>();
  readonly #delayMs: number;
  #since = 0;
  #due = 0;
  #full = false;

  constructor(delayMs: number) {
    this.#delayMs = delayMs;
  }

  /** When the next rescan is due, or `undefined` when none is requested. */
  get due(): number | undefined {
    return this.#dirs.size > 0 || this.#full ? this.#due : undefined;
  }

  /** Requests a rescan of `dir` (of the whole tree with `full`); returns when it is due. */
  request(dir: string, now: number, full = false): number {
    this.#dirs.add(dir);
    if (full) this.#full = true;
    if (this.#since === 0) this.#since = now;
    this.#due = Math.min(now + this.#delayMs, this.#since + 10 * this.#delayMs);
    return this.#due;
  }

  /** Takes the requested directories (`full`: rescan everything instead). */
  take(): { dirs: string[]; full: boolean } {
    const taken = { dirs: [...this.#dirs], full: this.#full };
    this.clear();
    return taken;
  }

  clear(): void {
    this.#dirs.clear();
    this.#since = 0;
    this.#full = false;
  }
}
