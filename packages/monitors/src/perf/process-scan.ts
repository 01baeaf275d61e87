import { classifyCommand, type RunClass } from "./classify.js";
import { isInside, readProcessCwd, readProcessStart } from "./proc.js";

/** One row of the process table (the fields of ps-list used here). */
export interface ProcessRow {
  pid: number;
  ppid: number;
  name: string;
  cmd?: string;
}

/** A run found in the process table. `key` is `<pid>:<start ticks>`, stable across polls. */
export interface DetectedProcess extends RunClass {
  key: string;
  pid: number;
  cmd: string;
  /** Process start from `/proc` (±10 ms), never later than the poll that found it. */
  startedAt: number;
}

/** A detected run whose process is gone: it ended between `lastSeenAt` and `goneAt`. */
export interface EndedProcess {
  key: string;
  lastSeenAt: number;
  goneAt: number;
}

/**
 * Turns successive process-table snapshots into run starts and ends for one project root.
 * A run is the outermost classified process whose cwd (`/proc/<pid>/cwd`) is inside the root:
 * its classified descendants (`npx jest` → `node jest`, `turbo` → `vitest`) belong to it.
 * Processes DevFlow runs itself (`excluded`) and their descendants are left to their runner.
 */
export class ProcessScanner {
  readonly #root: string;
  readonly #active = new Map<string, { pid: number; lastSeenAt: number }>();
  /** Keys of classified processes outside the root (or unreadable), not re-checked. */
  readonly #outside = new Set<string>();

  constructor(realRoot: string) {
    this.#root = realRoot;
  }

  /** How many runs are in progress. */
  get activeCount(): number {
    return this.#active.size;
  }

  /** Compares a snapshot with the previous one. */
  scan(
    rows: readonly ProcessRow[],
    now: number,
    excluded: ReadonlySet<number>,
  ): { started: DetectedProcess[]; ended: EndedProcess[] } {
    const parentOf = new Map(rows.map((r) => [r.pid, r.ppid]));
    const ancestors = (pid: number): number[] => {
      const out: number[] = [];
      for (let p = parentOf.get(pid); p !== undefined && p > 0 && out.length < 64;) {
        out.push(p);
        p = parentOf.get(p);
      }
      return out;
    };
    const candidates = rows
      .filter((r) => r.pid !== process.pid)
      .map((r) => ({ row: r, cls: classifyCommand(r.cmd ?? r.name), up: ancestors(r.pid) }))
      .filter((c): c is typeof c & { cls: RunClass } => c.cls !== null)
      .sort((a, b) => a.up.length - b.up.length); // outermost first

    const roots = new Set<number>();
    const seen = new Set<string>();
    const started: DetectedProcess[] = [];
    for (const { row, cls, up } of candidates) {
      if (excluded.has(row.pid) || up.some((p) => roots.has(p) || excluded.has(p))) continue;
      const start = readProcessStart(row.pid);
      if (start === null) continue;
      const key = `${row.pid}:${start.ticks}`;
      seen.add(key);
      const active = this.#active.get(key);
      if (active) {
        active.lastSeenAt = now;
        roots.add(row.pid);
        continue;
      }
      if (this.#outside.has(key)) continue;
      const cwd = readProcessCwd(row.pid);
      if (cwd === null || !isInside(cwd, this.#root)) {
        this.#outside.add(key);
        continue;
      }
      roots.add(row.pid);
      this.#active.set(key, { pid: row.pid, lastSeenAt: now });
      // A script started through its `#!/usr/bin/env node` line shows as `env node …` until
      // env execs: record the command the process runs.
      const cmd = (row.cmd ?? row.name).replace(/^(\S*\/)?env\s+(?=[^\s=-]+(\s|$))/, "");
      started.push({ ...cls, key, pid: row.pid, cmd, startedAt: Math.min(start.startedAt, now) });
    }

    const alive = new Set(rows.map((r) => r.pid));
    const ended: EndedProcess[] = [];
    for (const [key, run] of this.#active) {
      if (seen.has(key)) continue;
      // Still the same process (it may have exec'd into something unclassified)?
      if (alive.has(run.pid) && `${run.pid}:${readProcessStart(run.pid)?.ticks}` === key) {
        run.lastSeenAt = now;
        continue;
      }
      this.#active.delete(key);
      ended.push({ key, lastSeenAt: run.lastSeenAt, goneAt: now });
    }
    for (const key of this.#outside) if (!seen.has(key)) this.#outside.delete(key);
    return { started, ended };
  }

  /** Forgets every run in progress (on stop); returns their keys. */
  clear(): string[] {
    const keys = [...this.#active.keys()];
    this.#active.clear();
    this.#outside.clear();
    return keys;
  }
}
