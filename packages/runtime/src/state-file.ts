import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureRunDirectory, HomeLock, readLockOwner, runDirectory } from "./home-lock.js";

/** What a running `devflow up` publishes about itself in `$DEVFLOW_HOME/run/state.json`. */
export interface RuntimeState {
  pid: number;
  startedAt: number;
  updatedAt: number;
  database: string;
  /** The last status snapshot (engine counters, components). */
  status: unknown;
}

/** Path of the state file of a DevFlow home. */
export function stateFilePath(home: string): string {
  return join(runDirectory(home), "state.json");
}

/**
 * Reads the state of the running DevFlow of `home`; `null` when none runs. The owner is the
 * holder of the home's lock ({@link HomeLock}); a state file left by a killed process is ignored.
 */
export function readRuntimeState(home: string): RuntimeState | null {
  const owner = readLockOwner(home);
  if (owner === null) return null;
  const file = stateFilePath(home);
  let state: Partial<RuntimeState> | null = null;
  if (existsSync(file)) {
    try {
      state = JSON.parse(readFileSync(file, "utf8")) as Partial<RuntimeState>;
    } catch {
      state = null;
    }
  }
  const fresh = state !== null && state.pid === owner.pid;
  return {
    pid: owner.pid,
    startedAt: owner.startedAt,
    updatedAt: fresh ? Number(state?.updatedAt ?? owner.startedAt) : owner.startedAt,
    database: owner.database,
    status: fresh ? (state?.status ?? null) : null,
  };
}

/** Owns a home: holds its lock and rewrites the state file atomically; release removes both. */
export class StateFile {
  readonly path: string;
  readonly #home: string;
  readonly #lock: HomeLock;

  constructor(home: string) {
    this.#home = home;
    this.path = stateFilePath(home);
    this.#lock = new HomeLock(home);
  }

  /** @throws DevflowError `RUNTIME_ALREADY_RUNNING` when another live process owns it. */
  acquire(state: RuntimeState): void {
    this.#lock.acquire({ startedAt: state.startedAt, database: state.database });
    this.write(state);
  }

  write(state: RuntimeState): void {
    ensureRunDirectory(runDirectory(this.#home));
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  release(): void {
    if (this.#lock.file === null) return;
    rmSync(this.path, { force: true });
    this.#lock.release();
  }
}
