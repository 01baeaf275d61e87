import { statSync } from "node:fs";
import { type FileCursor, type LineSlice, readNewLines } from "./file-cursor.js";
import type { AiRecord, AiTool } from "./records.js";

/** What a reader remembers about one file between reads. */
export interface ReaderFileState {
  cursor: FileCursor;
  /** The reader's own per-file state (Codex cumulative totals, Aider's open session, …). */
  extra: Record<string, unknown>;
}

/** Everything a reader remembers between reads (JSON, kept in DevFlow's settings). */
export interface ReaderState {
  version: 1;
  files: Record<string, ReaderFileState>;
  /** Corrupt lines seen so far, over every read. */
  corruptLines: number;
}

/** A fresh reader state: the next read reads everything. */
export function emptyReaderState(): ReaderState {
  return { version: 1, files: {}, corruptLines: 0 };
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
   * each record after the tool's de-duplication rule, and updates `state` in place.
   */
  read(state: ReaderState, onRecord: (record: AiRecord) => void): ReadStats;
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
    corruptLines: 0,
    records: { usage: 0, prompt: 0, tool_use: 0, edit: 0, session: 0 },
    errors: [],
  };
}

/**
 * Reads the new lines of `files` incrementally (see `readNewLines`), passing each to `parse`.
 * State of files that no longer exist is dropped. A file that fails to read is reported in
 * `stats.errors` and keeps its old state.
 */
export function readLineFiles(
  files: readonly string[],
  state: ReaderState,
  stats: ReadStats,
  parse: (line: LineSlice, ctx: LineContext) => void,
  emit: (record: AiRecord) => void,
): void {
  const present = new Set(files);
  for (const path of Object.keys(state.files)) if (!present.has(path)) delete state.files[path];
  stats.files += files.length;
  for (const file of files) {
    const previous = state.files[file];
    if (previous !== undefined && unchanged(file, previous.cursor)) continue;
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
