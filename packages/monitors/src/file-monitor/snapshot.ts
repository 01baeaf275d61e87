/**
 * @module file-monitor/snapshot
 * The file monitor's model of the project: what it believes each watched file looks like.
 * Every event is a difference between this model and a fresh `lstat`, which is what makes
 * events exactly-once: a second trigger for an unchanged file finds no difference.
 */
import type { Stats } from "node:fs";

/** What is known of one file. `lines` is -1 until the file has been read once. */
export interface FileEntry {
  mtimeMs: number;
  size: number;
  /** Inode number (0 where the platform has none); survives renames. */
  ino: number;
  lines: number;
}

/** The stat fields a snapshot entry is made of. */
export type FileStat = Pick<Stats, "mtimeMs" | "size" | "ino">;

/** True when `stats` describes the same file content as `entry` (same inode, size, mtime). */
export function sameFile(entry: FileStat, stats: FileStat): boolean {
  return entry.mtimeMs === stats.mtimeMs && entry.size === stats.size && entry.ino === stats.ino;
}

/** Splits an absolute path into its directory and name (either separator). */
export function splitPath(path: string): [dir: string, name: string] {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return [path.slice(0, i), path.slice(i + 1)];
}

/**
 * A substring that does not keep its (longer) parent string alive: V8 makes substrings of 13+
 * characters views into the parent, and the parent here is a whole path chokidar drops.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/**
 * Files by directory, then by name: a directory rescan compares one small map with one
 * directory listing, and a removed directory drops its subtree without scanning every file.
 * The facts live in typed arrays (a slot per file), so 50,000 files cost about 140 bytes each
 * and no objects for the garbage collector to trace.
 */
export class Snapshot {
  readonly #dirs = new Map<string, Map<string, number>>();
  readonly #free: number[] = [];
  #mtime = new Float64Array(1024);
  #size = new Float64Array(1024);
  #ino = new Float64Array(1024);
  #lines = new Int32Array(1024);
  #next = 0;
  #count = 0;

  /** Number of files. */
  get size(): number {
    return this.#count;
  }

  get(path: string): FileEntry | undefined {
    const [dir, name] = splitPath(path);
    const slot = this.#dirs.get(dir)?.get(name);
    if (slot === undefined) return undefined;
    return {
      mtimeMs: this.#mtime[slot]!,
      size: this.#size[slot]!,
      ino: this.#ino[slot]!,
      lines: this.#lines[slot]!,
    };
  }

  /** Records a file's stats and line count (-1: unknown). */
  set(path: string, stats: FileStat, lines = -1): void {
    const [dir, name] = splitPath(path);
    let files = this.#dirs.get(dir);
    if (!files) {
      files = new Map();
      this.#dirs.set(detach(dir), files);
    }
    let slot = files.get(name);
    if (slot === undefined) {
      slot = this.#allocate();
      files.set(detach(name), slot);
      this.#count++;
    }
    this.#mtime[slot] = stats.mtimeMs;
    this.#size[slot] = stats.size;
    this.#ino[slot] = stats.ino;
    this.#lines[slot] = lines;
  }

  /** Removes a file; returns what was known of it. */
  delete(path: string): FileEntry | undefined {
    const entry = this.get(path);
    if (!entry) return undefined;
    const [dir, name] = splitPath(path);
    const files = this.#dirs.get(dir)!;
    this.#free.push(files.get(name)!);
    files.delete(name);
    this.#count--;
    if (files.size === 0) this.#dirs.delete(dir);
    return entry;
  }

  /** Names of the files known directly in `dir`. */
  namesIn(dir: string): string[] {
    return [...(this.#dirs.get(dir)?.keys() ?? [])];
  }

  /** `dir` and every known directory below it that holds files. */
  dirsUnder(dir: string): string[] {
    const out: string[] = [];
    for (const d of this.#dirs.keys()) {
      if (d === dir || d.startsWith(`${dir}/`) || d.startsWith(`${dir}\\`)) out.push(d);
    }
    return out;
  }

  clear(): void {
    this.#dirs.clear();
    this.#free.length = 0;
    this.#next = this.#count = 0;
  }

  #allocate(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    if (this.#next === this.#mtime.length) {
      const grow = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
        const bigger = make(old.length * 2);
        bigger.set(old);
        return bigger;
      };
      this.#mtime = grow(this.#mtime, (n) => new Float64Array(n));
      this.#size = grow(this.#size, (n) => new Float64Array(n));
      this.#ino = grow(this.#ino, (n) => new Float64Array(n));
      this.#lines = grow(this.#lines, (n) => new Int32Array(n));
    }
    return this.#next++;
  }
}
