import type {
  AiReaderChange,
  AiReaderChanges,
  AiReaderDirRow,
  AiReaderFileRow,
  AiReaderRepository,
  Storage,
} from "@devflow/storage";
import {
  newStateChanges,
  type ReaderFileState,
  type ReaderState,
  type StateChanges,
} from "./incremental.js";
import { messageIdOfKey, type UsageKeyStore, type UsageRank } from "./records.js";
import type { DirListing } from "./roots.js";

/** Settings key under which DevFlow 0.1 kept a reader's state (migrated to `storage.aiReaders`). */
export function aiReaderStateKey(tool: string): string {
  return `ai.reader.${tool}`;
}

/** What was loaded for one reader, to tell what changed when saving. */
interface Loaded {
  state: ReaderState;
  /** The file entries as loaded or last saved (compared by identity). */
  files: Map<string, ReaderFileState>;
  dirs: Map<string, DirListing>;
  corruptLines: number;
  /** The stored generation this copy matches (0: nothing stored yet). */
  generation: number;
  keys: StoredUsageKeys;
  /** What reads changed since the baseline (reads fill it through `ReadOptions.changes`). */
  changes: StateChanges;
  /** A settings key to delete once saved (state migrated from DevFlow 0.1). */
  legacyKey?: string;
}

/**
 * Usage keys looked up per key in `storage.aiReaders` (and in the keys set since the last save),
 * written with the next save.
 */
class StoredUsageKeys implements UsageKeyStore {
  readonly #repo: AiReaderRepository;
  readonly #tool: string;
  /** False while nothing is stored for the tool: lookups skip the database. */
  stored: boolean;
  readonly pending = new Map<string, UsageRank>();
  readonly #pendingMain = new Set<string>();

  constructor(repo: AiReaderRepository, tool: string, stored: boolean) {
    this.#repo = repo;
    this.#tool = tool;
    this.stored = stored;
  }

  get(key: string): UsageRank | undefined {
    const p = this.pending.get(key);
    if (p !== undefined || !this.stored) return p;
    const row = this.#repo.usageKey(this.#tool, key);
    return (
      row && {
        sidechain: row.sidechain,
        total: row.total,
        speed: row.speed,
        timestamp: row.timestamp,
      }
    );
  }

  hasMainMessage(messageId: string): boolean {
    if (this.#pendingMain.has(messageId)) return true;
    return this.stored && this.#repo.hasMainChainMessage(this.#tool, messageId);
  }

  set(key: string, rank: UsageRank): void {
    this.pending.set(key, rank);
    if (!rank.sidechain) this.#pendingMain.add(messageIdOfKey(key));
  }

  /** Forgets the pending keys once they are saved. */
  flushed(): void {
    this.pending.clear();
    this.#pendingMain.clear();
    this.stored = true;
  }
}

function toFileRow(path: string, f: ReaderFileState): AiReaderFileRow {
  return { path, cursor: f.cursor, extra: f.extra };
}

function toDirRow(path: string, d: DirListing): AiReaderDirRow {
  return { path, mtimeMs: d.mtimeMs, files: d.files, dirs: d.dirs };
}

/**
 * The AI readers' state in DevFlow's database (`storage.aiReaders`): each reader's files and
 * directory listings are loaded as rows and saved as the rows that changed (entries a read
 * replaced, added or dropped), de-duplication keys are looked up and saved per key. An instance
 * may be kept across reads (the AI monitor does): it reuses its copy while the stored generation
 * is the one it saved, and reloads when another process saved in between. State kept in
 * `settings` by DevFlow 0.1 (`ai.reader.<tool>`) is taken over on first load and removed with
 * the first save.
 */
export class AiReaderStates {
  readonly #storage: Storage;
  readonly #loaded = new Map<string, Loaded>();

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  #load(tool: string): Loaded {
    const repo = this.#storage.aiReaders;
    const header = repo.reader(tool);
    const legacyKey = aiReaderStateKey(tool);
    const legacy = this.#storage.settings.get<ReaderState>(legacyKey);
    const files = new Map<string, ReaderFileState>();
    const dirs = new Map<string, DirListing>();
    let state: ReaderState;
    if (header !== undefined) {
      // A row has the shape of a file state (plus its path): used as is, no copy.
      const stateFiles: Record<string, ReaderFileState> = {};
      for (const row of repo.files(tool)) {
        stateFiles[row.path] = row;
        files.set(row.path, row);
      }
      const stateDirs: Record<string, DirListing> = {};
      for (const row of repo.dirs(tool)) {
        stateDirs[row.path] = row;
        dirs.set(row.path, row);
      }
      state = { version: 1, files: stateFiles, dirs: stateDirs, corruptLines: header.corruptLines };
    } else if (legacy?.version === 1 && typeof legacy.files === "object") {
      // Every entry counts as changed: the first save writes them all as rows. Without listings
      // the first read checks every file against the directories.
      state = { version: 1, files: legacy.files, corruptLines: legacy.corruptLines ?? 0 };
    } else {
      state = { version: 1, files: {}, dirs: {}, corruptLines: 0 };
    }
    return {
      state,
      files,
      dirs,
      corruptLines: header?.corruptLines ?? -1,
      generation: header?.generation ?? 0,
      keys: new StoredUsageKeys(repo, tool, header !== undefined),
      changes: newStateChanges(),
      ...(legacy !== undefined ? { legacyKey } : {}),
    };
  }

  #current(tool: string): Loaded {
    const cached = this.#loaded.get(tool);
    const generation = this.#storage.aiReaders.reader(tool)?.generation ?? 0;
    if (cached !== undefined && cached.generation === generation) return cached;
    const loaded = this.#load(tool);
    this.#loaded.set(tool, loaded);
    return loaded;
  }

  /** The state of a reader, updated in place by its next read. */
  state(tool: string): ReaderState {
    return this.#current(tool).state;
  }

  /** Where reads of a reader record what they changed (`ReadOptions.changes`). */
  changesOf(tool: string): StateChanges {
    return this.#current(tool).changes;
  }

  /** The cross-read de-duplication keys of a reader. */
  usageKeys(tool: string): UsageKeyStore {
    return this.#current(tool).keys;
  }

  /** The rows that changed since the readers' state was loaded (or last saved). */
  changes(): AiReaderChange[] {
    return [...this.#loaded].flatMap(([tool, l]) => {
      const c = changesOf(tool, l);
      return c === null ? [] : [c];
    });
  }

  /**
   * Saves {@link changes} together with `extra` (sessions) in one transaction and takes the
   * saved state as the new baseline.
   */
  save(extra: Omit<AiReaderChanges, "readers"> = {}): void {
    const readers = this.changes();
    const generations = this.#storage.aiReaders.save({ readers, ...extra });
    for (const c of readers) {
      const l = this.#loaded.get(c.tool)!;
      for (const row of c.putFiles ?? []) l.files.set(row.path, l.state.files[row.path]!);
      for (const path of c.deleteFiles ?? []) l.files.delete(path);
      const dirs = l.state.dirs ?? {};
      for (const row of c.putDirs ?? []) l.dirs.set(row.path, dirs[row.path]!);
      for (const path of c.deleteDirs ?? []) l.dirs.delete(path);
      l.corruptLines = l.state.corruptLines;
      l.generation = generations.get(c.tool) ?? l.generation;
      l.keys.flushed();
      l.changes = newStateChanges();
      if (l.legacyKey !== undefined) {
        this.#storage.settings.delete(l.legacyKey);
        delete l.legacyKey;
      }
    }
  }

  /** Drops every cached copy: the next use reloads from the database (after a failed read). */
  discard(): void {
    this.#loaded.clear();
  }
}

/** The rows of one reader that changed since its baseline, or null when nothing did. */
function changesOf(tool: string, l: Loaded): AiReaderChange | null {
  const putFiles: AiReaderFileRow[] = [];
  const deleteFiles: string[] = [];
  const putDirs: AiReaderDirRow[] = [];
  const deleteDirs: string[] = [];
  const files = l.state.files;
  const dirs = l.state.dirs ?? {};
  const put = (path: string) => {
    const f = files[path];
    if (f !== undefined && l.files.get(path) !== f) putFiles.push(toFileRow(path, f));
  };
  const putDir = (path: string) => {
    const d = dirs[path];
    if (d !== undefined && l.dirs.get(path) !== d) putDirs.push(toDirRow(path, d));
  };
  if (l.legacyKey === undefined) {
    // The reads said what they changed: compare only those entries with the baseline.
    const c = l.changes;
    for (const path of c.files) put(path);
    for (const path of c.removedFiles)
      if (!(path in files) && l.files.has(path)) deleteFiles.push(path);
    for (const path of c.dirs) putDir(path);
    for (const path of c.removedDirs)
      if (!(path in dirs) && l.dirs.has(path)) deleteDirs.push(path);
  } else {
    for (const path in files) put(path);
    for (const path of l.files.keys()) if (!(path in files)) deleteFiles.push(path);
    for (const path in dirs) putDir(path);
    for (const path of l.dirs.keys()) if (!(path in dirs)) deleteDirs.push(path);
  }
  const putUsageKeys = [...l.keys.pending].map(([key, r]) => ({ key, ...r }));
  const changed =
    putFiles.length + deleteFiles.length + putDirs.length + deleteDirs.length > 0 ||
    putUsageKeys.length > 0 ||
    l.corruptLines !== l.state.corruptLines ||
    l.legacyKey !== undefined;
  if (!changed) return null;
  return {
    tool,
    version: 1,
    corruptLines: l.state.corruptLines,
    putFiles,
    deleteFiles,
    putDirs,
    deleteDirs,
    putUsageKeys,
  };
}
