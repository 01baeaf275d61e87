import { readFileSync, readlinkSync, realpathSync } from "node:fs";
import { sep } from "node:path";

/** Linux `USER_HZ`: the unit of `/proc/<pid>/stat` times, fixed at 100 by the kernel ABI. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The working directory of a process (`/proc/<pid>/cwd`), or `null` when unreadable. */
export function readProcessCwd(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/**
 * The start of a process: its `starttime` in clock ticks since boot (a stable identity
 * together with the pid) and as ms UTC (±10 ms), from `/proc`. `null` when unreadable.
 */
export function readProcessStart(pid: number): { ticks: number; startedAt: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]); // field 22, counting from 1 with pid and comm
    const uptimeSec = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    if (!Number.isFinite(ticks) || !Number.isFinite(uptimeSec)) return null;
    const bootAt = Date.now() - uptimeSec * 1000;
    return { ticks, startedAt: Math.round(bootAt + (ticks * 1000) / CLOCK_TICKS_PER_SECOND) };
  } catch {
    return null;
  }
}

/** The real path of `dir`, or `dir` itself when it cannot be resolved. */
export function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** True when `path` is `root` or inside it (both real, absolute paths). */
export function isInside(path: string, root: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}
