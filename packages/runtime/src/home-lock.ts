import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { DevflowError } from "@devflow/events";

/** Who owns a DevFlow home, as written in its lock file. */
export interface LockOwner {
  pid: number;
  /** When the owner took the lock (ms UTC). */
  startedAt: number;
  /** The database the owner serves. */
  database: string;
}

/**
 * The single-writer lock of a DevFlow home (`<home>/run/owner.<n>`, mode 0600).
 *
 * Acquiring is atomic: a contender creates the next generation file `owner.<n+1>` with
 * `O_CREAT | O_EXCL` (`open(…, "wx")`), which exactly one process can do. A lock left by a dead
 * owner is taken over the same way — by creating the next generation, never by deleting and
 * re-creating — so a takeover has no read-then-write window either. A winner then checks that
 * no higher generation exists (a contender that paused on an old listing loses to it). Old
 * generations are only deleted by the owner, and release marks the file released instead of
 * deleting it, so generation numbers never go back.
 */
export class HomeLock {
  readonly dir: string;
  #file: string | null = null;

  constructor(home: string) {
    this.dir = runDirectory(home);
  }

  /** The lock file this process holds, or null. */
  get file(): string | null {
    return this.#file;
  }

  /**
   * Takes the lock of the home.
   *
   * @throws {@link DevflowError} `RUNTIME_ALREADY_RUNNING` naming the live owner's pid.
   */
  acquire(owner: Omit<LockOwner, "pid">): void {
    if (this.#file !== null) return;
    ensureRunDirectory(this.dir);
    for (let attempt = 0; attempt < 200; attempt++) {
      const current = latestGeneration(this.dir);
      if (current !== null) {
        const state = readGeneration(this.dir, current);
        if (state.kind === "writing") {
          sleepMs(5);
          continue;
        }
        if (state.kind === "live" && state.owner.pid !== process.pid) {
          throw alreadyRunning(state.owner);
        }
      }
      const next = (current ?? 0) + 1;
      const file = generationFile(this.dir, next);
      if (!createExclusive(file, { ...owner, pid: process.pid })) continue; // lost the race
      const higher = latestGeneration(this.dir);
      if (higher !== null && higher > next) {
        markReleased(file);
        continue;
      }
      this.#file = file;
      removeOlder(this.dir, next);
      return;
    }
    throw new DevflowError(
      "RUNTIME_LOCK_BUSY",
      `could not take the lock in ${this.dir}: it kept changing hands; try again`,
    );
  }

  /** Gives the lock up (idempotent). */
  release(): void {
    if (this.#file === null) return;
    markReleased(this.#file);
    this.#file = null;
  }
}

/** `<home>/run`: the lock, the state file and the control socket. */
export function runDirectory(home: string): string {
  return join(home, "run");
}

/** Creates `<home>/run` with mode 0700 (tightening an existing one). */
export function ensureRunDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32") chmodSync(dir, 0o700);
}

/** The live owner of a home's lock, or null when nobody holds it. */
export function readLockOwner(home: string): LockOwner | null {
  const dir = runDirectory(home);
  const current = latestGeneration(dir);
  if (current === null) return null;
  const state = readGeneration(dir, current);
  return state.kind === "live" ? state.owner : null;
}

type GenerationState = { kind: "live"; owner: LockOwner } | { kind: "dead" } | { kind: "writing" };

/** A file created but not yet written by a live creator is "writing" for this long. */
const WRITING_GRACE_MS = 5000;
const PREFIX = "owner.";

function generationFile(dir: string, n: number): string {
  return join(dir, `${PREFIX}${n}`);
}

function generations(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
    .map((n) => Number(n.slice(PREFIX.length)));
}

function latestGeneration(dir: string): number | null {
  const all = generations(dir);
  return all.length === 0 ? null : Math.max(...all);
}

function readGeneration(dir: string, n: number): GenerationState {
  const file = generationFile(dir, n);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { kind: "dead" }; // removed meanwhile: the next listing decides
  }
  if (text === "released") return { kind: "dead" };
  let owner: LockOwner | null = null;
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === "number" && typeof parsed.startedAt === "number") {
      owner = {
        pid: parsed.pid,
        startedAt: parsed.startedAt,
        database: String(parsed.database ?? ""),
      };
    }
  } catch {
    owner = null;
  }
  if (owner === null) {
    let age = Infinity;
    try {
      age = Date.now() - statSync(file).mtimeMs;
    } catch {
      // gone
    }
    return age < WRITING_GRACE_MS ? { kind: "writing" } : { kind: "dead" };
  }
  return alive(owner.pid) ? { kind: "live", owner } : { kind: "dead" };
}

function createExclusive(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Replaces the content by `released` atomically (rename), keeping the generation number. */
function markReleased(file: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, "released");
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
}

function removeOlder(dir: string, n: number): void {
  for (const g of generations(dir)) if (g < n) rmSync(generationFile(dir, g), { force: true });
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function alreadyRunning(owner: LockOwner): DevflowError {
  return new DevflowError(
    "RUNTIME_ALREADY_RUNNING",
    `DevFlow is already running (pid ${owner.pid}) on ${owner.database}; stop it first`,
    { data: { pid: owner.pid } },
  );
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
