/**
 * @module file-monitor/rename-pool
 * Deletions and creations held back for a short window, so that an unlink and an add of the
 * same file (same inode, size and mtime: a rename keeps all three) become one `file.renamed`,
 * and a file that exists only briefly is never reported.
 */
import { type FileEntry, type FileStat, splitPath } from "./snapshot.js";

/** A file found gone, not yet reported. */
export interface PendingDeletion {
  kind: "deletion";
  path: string;
  entry: FileEntry;
  at: number;
  reconciled: boolean;
}

/** A new file found, not yet reported. */
export interface PendingCreation {
  kind: "creation";
  path: string;
  stats: FileStat;
  at: number;
  reconciled: boolean;
}

export type Pending = PendingDeletion | PendingCreation;

type Facts = FileStat;

/** Same file under another name: same inode, or (no inodes) same name or same directory. */
function sameIdentity(a: Facts, aPath: string, b: Facts, bPath: string): boolean {
  if (a.size !== b.size || a.mtimeMs !== b.mtimeMs) return false;
  if (a.ino !== 0 || b.ino !== 0) return a.ino === b.ino;
  const [aDir, aName] = splitPath(aPath);
  const [bDir, bName] = splitPath(bPath);
  return aName === bName || aDir === bDir;
}

/** One kind of pending finding, by path and by inode. */
class Side<T extends Pending> {
  readonly byPath = new Map<string, T>();
  readonly #byIno = new Map<number, string>();
  readonly facts: (item: T) => Facts;

  constructor(facts: (item: T) => Facts) {
    this.facts = facts;
  }

  add(item: T): void {
    this.byPath.set(item.path, item);
    const { ino } = this.facts(item);
    if (ino !== 0) this.#byIno.set(ino, item.path);
  }

  take(path: string): T | undefined {
    const item = this.byPath.get(path);
    if (!item) return undefined;
    this.byPath.delete(path);
    const { ino } = this.facts(item);
    if (ino !== 0 && this.#byIno.get(ino) === path) this.#byIno.delete(ino);
    return item;
  }

  /** Removes and returns the pending item that is the same file as `facts` at `path`. */
  takeMatch(facts: Facts, path: string): T | undefined {
    if (facts.ino !== 0) {
      const candidate = this.#byIno.get(facts.ino);
      if (candidate === undefined || candidate === path) return undefined;
      const item = this.byPath.get(candidate)!;
      return sameIdentity(this.facts(item), candidate, facts, path)
        ? this.take(candidate)
        : undefined;
    }
    for (const [candidate, item] of this.byPath) {
      if (candidate !== path && sameIdentity(this.facts(item), candidate, facts, path)) {
        return this.take(candidate);
      }
    }
    return undefined;
  }
}

/** The two pools, deletions and creations, with inode indexes. */
export class RenamePool {
  readonly deletions = new Side<PendingDeletion>((d) => d.entry);
  readonly creations = new Side<PendingCreation>((c) => c.stats);

  get size(): number {
    return this.deletions.byPath.size + this.creations.byPath.size;
  }

  /** Earliest time an item becomes due for reporting, given the window. */
  nextDue(windowMs: number): number | undefined {
    let first: number | undefined;
    for (const side of [this.deletions.byPath, this.creations.byPath]) {
      for (const item of side.values()) {
        first = Math.min(first ?? item.at, item.at);
        break; // insertion order is time order
      }
    }
    return first === undefined ? undefined : first + windowMs;
  }

  /** Removes and returns the items held at least `windowMs` (all of them with `Infinity`), oldest first. */
  takeDue(now: number, windowMs: number): Pending[] {
    const due: Pending[] = [];
    for (const side of [this.deletions, this.creations] as const) {
      for (const item of side.byPath.values()) {
        if (now - item.at < windowMs) break;
        due.push(item);
      }
    }
    for (const item of due) {
      if (item.kind === "deletion") this.deletions.take(item.path);
      else this.creations.take(item.path);
    }
    return due.sort((a, b) => a.at - b.at);
  }
}
