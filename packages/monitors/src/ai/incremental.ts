import { statSync } from "node:fs";
import { type FileCursor, type LineSlice, readNewLines } from "./file-cursor.js";
import type { AiRecord, AiTool, UsageKeyStore } from "./records.js";
import { type DirectoryCache, listFiles } from "./roots.js";

/** What a reader remembers about one file between reads. */
export interface ReaderFileState {
  cursor: FileCursor;
  /** The reader's own per-file state (Codex cumulative totals, Aider's open session, …). */
  extra: Record<string, unknown>;
}

/**
 * Everything a reader remembers between reads: plain JSON. DevFlow keeps it in its database
 * (`storage.aiReaders`, one row per file and directory); library users may keep it as they like.
 */
export interface ReaderState {
  version: 1;
  files: Record<string, ReaderFileState>;
  /** Directory listings, reused while a directory's mtime holds (see `listFiles`). */
  dirs?: DirectoryCache;
  /** Corrupt lines seen so far, over every read. */
  corruptLines: number;
}

/** A fresh reader state: the next read reads everything. */
export function emptyReaderState(): ReaderState {
  return { version: 1, files: {}, dirs: {}, corruptLines: 0 };
}

/** Options of one {@link AiSourceReader.read}. */
export interface ReadOptions {
  /**
   * The request keys of usage already emitted by earlier reads (Claude Code): a copy that is not
   * better than the emitted one is not emitted again. Without it the rule applies within a read.
   */
  usageKeys?: UsageKeyStore;
  /**
   * Stop opening further files once this many bytes were read; files left over keep their old
   * state and are read by the next read (`ReadStats.deferredFiles`). Default: no limit.
   */
  maxBytes?: number;
  /** Filled with what the read changed in `state`, for a caller that saves only that. */
  changes?: StateChanges;
}

/** What a read changed in a {@link ReaderState} (paths). */
export interface StateChanges {
  /** Files whose entry was added or replaced. */
  files: Set<string>;
  /** Files whose entry was dropped (no longer listed). */
  removedFiles: Set<string>;
  /** Directories whose listing was added or replaced. */
  dirs: Set<string>;
  /** Directories no longer listed. */
  removedDirs: Set<string>;
}

/** An empty {@link StateChanges}. */
export function newStateChanges(): StateChanges {
  return { files: new Set(), removedFiles: new Set(), dirs: new Set(), removedDirs: new Set() };
}

/** A directory a reader looks in. */
export interface SourceRoot {
  path: string;
  exists: boolean;
}

/** What one read did. */
export interface ReadStats {
  tool: AiTool;
  roots: SourceRoot[];
  /** Files found. */
  files: number;
  /** Files that had new bytes. */
  filesRead: number;
  bytesRead: number;
  /** Files read again from the start (truncated, replaced or rewritten). */
  restartedFiles: number;
  /** Files with new bytes left for the next read because `maxBytes` was reached. */
  deferredFiles: number;
  /** Lines that could not be parsed in this read. */
  corruptLines: number;
  /** Records produced, by kind. */
  records: Record<AiRecord["kind"], number>;
  /** Files that could not be read, with the reason. */
  errors: Array<{ file: string; message: string }>;
}

/** A reader of one assistant's local records. */
export interface AiSourceReader {
  readonly tool: AiTool;
  /** The directories (or files) this reader looks in. */
  roots(): SourceRoot[];
  /**
   * Reads what is new since `state` (everything for an empty state), calling `onRecord` for
   * each record after the tool's de-duplication rule, and updates `state` in place: the entry
   * of a file (and of a directory listing) is replaced when it changed and kept otherwise.
   */
  read(state: ReaderState, onRecord: (record: AiRecord) => void, options?: ReadOptions): ReadStats;
}

/** What a line parser gets besides the line. */
export interface LineContext {
  file: string;
  /** The per-file state of the reader (reset when the file is read again from the start). */
  extra: Record<string, unknown>;
  emit(record: AiRecord): void;
  /** Counts a line that could not be parsed. */
  corrupt(): void;
}

/** A new, zeroed {@link ReadStats}. */
export function newStats(tool: AiTool, roots: SourceRoot[]): ReadStats {
  return {
    tool,
    roots,
    files: 0,
    filesRead: 0,
    bytesRead: 0,
    restartedFiles: 0,
    deferredFiles: 0,
    corruptLines: 0,
    records: { usage: 0, prompt: 0, tool_use: 0, edit: 0, session: 0 },
    errors: [],
  };
}

/**
 * Every file below `roots` whose name passes `accept`, reusing the listings in `state.dirs` of
 * directories whose mtime has not changed; `state.dirs` is replaced by the listings of this call
 * (entries of unchanged directories are kept as they were), and the state of files no longer
 * listed is dropped (`changes` records both).
 */
export function listSourceFiles(
  state: ReaderState,
  roots: readonly string[],
  accept: (name: string) => boolean,
  changes?: StateChanges,
): string[] {
  const next: DirectoryCache = {};
  const prev = state.dirs;
  const files = roots.flatMap((r) => listFiles(r, accept, { prev: prev ?? {}, next }));
  state.dirs = next;
  if (prev === undefined) {
    // No listings to compare with (a state from before they were kept): check every file.
    forgetMissing(state, files, changes);
    for (const d in next) changes?.dirs.add(d);
    return files;
  }
  // Only the directories whose listing changed can have lost files.
  for (const d in prev) {
    const before = prev[d]!;
    const now = next[d];
    if (now === before) continue;
    if (now === undefined) changes?.removedDirs.add(d);
    const kept = now === undefined ? new Set<string>() : new Set(now.files);
    const prefix = d.endsWith("/") ? d : `${d}/`;
    for (const name of before.files) {
      if (kept.has(name)) continue;
      const path = prefix + name;
      if (path in state.files) {
        delete state.files[path];
        changes?.removedFiles.add(path);
      }
    }
  }
  if (changes) for (const d in next) if (next[d] !== prev[d]) changes.dirs.add(d);
  return files;
}

/** Drops the state of files that are no longer among `files`. */
export function forgetMissing(
  state: ReaderState,
  files: readonly string[],
  changes?: StateChanges,
): void {
  const present = new Set(files);
  for (const path of Object.keys(state.files)) {
    if (present.has(path)) continue;
    delete state.files[path];
    changes?.removedFiles.add(path);
  }
}

/** True when the read has used up its `maxBytes`: the caller defers the file. */
export function overBudget(stats: ReadStats, options: ReadOptions | undefined): boolean {
  return options?.maxBytes !== undefined && stats.bytesRead >= options.maxBytes;
}

/** The reader state, counters and options of one read of a source. */
export interface ReadPass {
  readonly state: ReaderState;
  readonly stats: ReadStats;
  readonly options?: ReadOptions | undefined;
}

/**
 * Reads the new lines of `files` incrementally (see `readNewLines`), passing each to `parse`.
 * A file that fails to read is reported in `stats.errors` and keeps its old state; once
 * `options.maxBytes` is used up, files with new bytes are left for the next read.
 */
export function readLineFiles(
  files: readonly string[],
  read: ReadPass,
  parse: (line: LineSlice, ctx: LineContext) => void,
  emit: (record: AiRecord) => void,
): void {
  const { state, stats, options } = read;
  stats.files += files.length;
  for (const file of files) {
    const previous = state.files[file];
    if (previous !== undefined && unchanged(file, previous.cursor)) continue;
    if (overBudget(stats, options)) {
      stats.deferredFiles++;
      continue;
    }
    let extra: Record<string, unknown> = previous ? { ...previous.extra } : {};
    const ctx: LineContext = {
      file,
      get extra() {
        return extra;
      },
      emit: (r) => {
        stats.records[r.kind]++;
        emit(r);
      },
      corrupt: () => {
        stats.corruptLines++;
        state.corruptLines++;
      },
    };
    try {
      const result = readNewLines(
        file,
        previous?.cursor,
        (line) => parse(line, ctx),
        () => {
          extra = {};
        },
      );
      if (result.restarted) stats.restartedFiles++;
      if (result.bytesRead > 0) stats.filesRead++;
      stats.bytesRead += result.bytesRead;
      state.files[file] = { cursor: result.cursor, extra };
      options?.changes?.files.add(file);
    } catch (err) {
      stats.errors.push({ file, message: err instanceof Error ? err.message : String(err) });
    }
  }
}

function unchanged(file: string, cursor: FileCursor): boolean {
  const st = statSync(file, { throwIfNoEntry: false });
  return (
    st !== undefined &&
    st.ino === cursor.ino &&
    st.size === cursor.size &&
    st.mtimeMs === cursor.mtimeMs
  );
}
