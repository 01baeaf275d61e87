import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DevflowError } from "@devflow/events";

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
  return join(home, "run", "state.json");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Reads the state of the running DevFlow of `home`; `null` when none runs (a state file left
 * by a killed process is ignored).
 */
export function readRuntimeState(home: string): RuntimeState | null {
  const file = stateFilePath(home);
  if (!existsSync(file)) return null;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as RuntimeState;
    return typeof state.pid === "number" && alive(state.pid) ? state : null;
  } catch {
    return null;
  }
}

/** Owns the state file: refuses a second instance, rewrites atomically, removes it on release. */
export class StateFile {
  readonly path: string;
  readonly #home: string;

  constructor(home: string) {
    this.#home = home;
    this.path = stateFilePath(home);
  }

  /** @throws {@link DevflowError} `RUNTIME_ALREADY_RUNNING` when another live process owns it. */
  acquire(state: RuntimeState): void {
    const other = readRuntimeState(this.#home);
    if (other && other.pid !== process.pid) {
      throw new DevflowError(
        "RUNTIME_ALREADY_RUNNING",
        `DevFlow is already running (pid ${other.pid}) on ${other.database}; stop it first`,
        { data: { pid: other.pid } },
      );
    }
    this.write(state);
  }

  write(state: RuntimeState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
  }

  release(): void {
    const current = readRuntimeState(this.#home);
    if (!current || current.pid === process.pid) rmSync(this.path, { force: true });
  }
}
