/**
 * @module file-monitor/change-tracker
 * Turns "this is what `lstat` found at a path" into file events. It compares the finding with
 * the snapshot and holds deletions and creations back for the rename window, so that:
 * - repeated triggers for an unchanged file yield nothing (exactly-once);
 * - an unlink plus an add of the same file (inode, size, mtime) yield one `file.renamed`;
 * - a delete and re-create of a path within the window (an atomic save) yield one `file.changed`;
 * - a file that is gone again before its window ends (a temp file) yields nothing.
 */
import type { Stats } from "node:fs";
import type { IgnoreMatcher } from "../ignore-rules.js";
import { probe } from "./fs-util.js";
import { countLines, lineDelta } from "./line-count.js";
import { type Pending, RenamePool } from "./rename-pool.js";
import { type FileEntry, type FileStat, sameFile, type Snapshot } from "./snapshot.js";

/** The four file event types. */
export type FileEventType = "file.created" | "file.changed" | "file.deleted" | "file.renamed";

/** What an event says about the file besides its path (the old path is absolute here). */
export interface FileFacts {
  size?: number;
  linesAdded?: number;
  linesRemoved?: number;
  oldPath?: string;
}

/** Where the tracker's findings go. */
export interface ChangeTrackerHooks {
  report: (
    type: FileEventType,
    path: string,
    facts: FileFacts,
    reconciled: boolean,
  ) => Promise<void>;
  onError: (err: unknown) => void;
}

/** The diff engine of the file monitor; see the module comment. */
export class ChangeTracker {
  readonly renameWindowMs: number;
  readonly #snapshot: Snapshot;
  readonly #matcher: () => IgnoreMatcher;
  readonly #hooks: ChangeTrackerHooks;
  #pool = new RenamePool();

  /** `matcher`: the current ignore matcher (files that became ignored count as gone). */
  constructor(
    snapshot: Snapshot,
    matcher: () => IgnoreMatcher,
    hooks: ChangeTrackerHooks,
    renameWindowMs: number,
  ) {
    this.#snapshot = snapshot;
    this.#matcher = matcher;
    this.#hooks = hooks;
    this.renameWindowMs = renameWindowMs;
  }

  /** Findings held back for the rename window. */
  get pending(): number {
    return this.#pool.size;
  }

  /** When the oldest held-back finding is due. */
  nextDue(): number | undefined {
    return this.#pool.nextDue(this.renameWindowMs);
  }

  clear(): void {
    this.#pool = new RenamePool();
  }

  /** Reports the held-back findings whose window ended by `now` (all of them when `all`). */
  async flushDue(now: number, all: boolean): Promise<boolean> {
    const due = this.#pool.takeDue(all ? Infinity : now, all ? 0 : this.renameWindowMs);
    for (const item of due) await this.#reportPending(item);
    return due.length > 0;
  }

  /** Compares what `lstat` found at `path` (`null`: nothing) with the snapshot. */
  async observe(path: string, found: Stats | null, reconciled: boolean): Promise<void> {
    const now = Date.now();
    const pool = this.#pool;
    const prev = this.#snapshot.get(path);
    if (found?.isFile() && this.#matcher().ignores(path, found)) {
      // Ignored since (its .gitignore changed): forgotten, not reported as deleted.
      pool.creations.take(path);
      this.#snapshot.delete(path);
      return;
    }
    if (!found?.isFile()) {
      if (pool.creations.take(path) || !prev) return; // gone before it was reported
      this.#snapshot.delete(path);
      const moved = pool.creations.takeMatch(prev, path);
      if (moved)
        return this.#rename(
          { path, entry: prev },
          { path: moved.path, found: moved.stats },
          reconciled,
        );
      pool.deletions.add({ kind: "deletion", path, entry: prev, at: now, reconciled });
      return;
    }
    if (prev) {
      if (sameFile(prev, found)) return;
      if (prev.ino !== found.ino) {
        pool.creations.takeMatch(found, path); // a temp file renamed over this one
        const moved = pool.deletions.takeMatch(found, path);
        if (moved) return this.#rename(moved, { path, found }, reconciled);
      }
      return this.#change(path, prev, found, reconciled);
    }
    const deleted = pool.deletions.take(path);
    if (deleted) {
      // Deleted and re-created within the window: one change (or nothing).
      if (sameFile(deleted.entry, found))
        return this.#snapshot.set(path, deleted.entry, deleted.entry.lines);
      return this.#change(path, deleted.entry, found, reconciled || deleted.reconciled);
    }
    const pending = pool.creations.byPath.get(path);
    if (pending) {
      pending.stats = found;
      return;
    }
    const moved = pool.deletions.takeMatch(found, path);
    if (moved) return this.#rename(moved, { path, found }, reconciled);
    pool.creations.add({ kind: "creation", path, stats: found, at: now, reconciled });
  }

  async #reportPending(item: Pending): Promise<void> {
    if (item.kind === "deletion") {
      const { entry } = item;
      const facts = { size: entry.size, ...lineDelta(entry.lines, 0) };
      return this.#hooks.report("file.deleted", item.path, facts, item.reconciled);
    }
    const found = await probe(item.path, this.#hooks.onError);
    if (!found?.isFile() || this.#snapshot.get(item.path)) return; // existed only briefly
    const lines = await countLines(item.path, found.size);
    this.#snapshot.set(item.path, found, lines ?? -1);
    const facts = { size: found.size, ...lineDelta(0, lines) };
    await this.#hooks.report("file.created", item.path, facts, item.reconciled);
  }

  async #change(path: string, before: FileEntry, found: Stats, reconciled: boolean) {
    const lines = await countLines(path, found.size);
    this.#snapshot.set(path, found, lines ?? -1);
    const facts = { size: found.size, ...lineDelta(before.lines, lines) };
    await this.#hooks.report("file.changed", path, facts, reconciled);
  }

  async #rename(
    from: { readonly path: string; readonly entry: FileEntry },
    to: { readonly path: string; readonly found: FileStat },
    reconciled: boolean,
  ) {
    this.#snapshot.delete(from.path);
    this.#snapshot.set(to.path, to.found, from.entry.lines);
    const facts = { size: to.found.size, oldPath: from.path };
    await this.#hooks.report("file.renamed", to.path, facts, reconciled);
  }
}
