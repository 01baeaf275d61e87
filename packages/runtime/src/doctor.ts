/**
 * `diagnose`: the checks of `devflow doctor` — Node.js, the DevFlow home, the database and the
 * file-watch limits — each with what was found and, when it fails, the fix.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statfsSync } from "node:fs";
import { openConfiguredStorage } from "./attach.js";
import type { DevflowConfig } from "./config.js";

/** One check and its outcome. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** What to do when it fails. */
  readonly fix?: string;
}

/** Free space the home needs, in bytes. */
const MIN_FREE_BYTES = 100 * 1024 * 1024;

function readNumber(path: string): number | null {
  try {
    return Number(readFileSync(path, "utf8").trim());
  } catch {
    return null;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function nodeCheck(): DoctorCheck {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return {
    name: "node",
    ok,
    detail: `Node.js ${process.versions.node}`,
    ...(ok ? {} : { fix: "install Node.js 20.19 or newer" }),
  };
}

function homeCheck(home: string): DoctorCheck {
  try {
    if (!existsSync(home)) mkdirSync(home, { recursive: true, mode: 0o700 });
    accessSync(home, constants.W_OK);
    const fs = statfsSync(home);
    const free = fs.bavail * fs.bsize;
    return {
      name: "home",
      ok: free > MIN_FREE_BYTES,
      detail: `${home} writable, ${mib(free)} free`,
      fix: "free disk space (≥ 100 MiB)",
    };
  } catch (err) {
    return {
      name: "home",
      ok: false,
      detail: `${home}: ${(err as Error).message}`,
      fix: "set DEVFLOW_HOME to a writable directory",
    };
  }
}

function databaseCheck(config: DevflowConfig): DoctorCheck {
  try {
    const storage = openConfiguredStorage(config);
    try {
      const r = storage.integrityCheck();
      const info = storage.info();
      return {
        name: "database",
        ok: r.ok,
        detail: r.ok
          ? `${info.path}: integrity ok, ${info.events} events, ${info.migrations.length} migrations`
          : r.problems.join("; "),
        fix: "restore the latest backup (devflow db backup makes one)",
      };
    } finally {
      storage.close();
    }
  } catch (err) {
    return {
      name: "database",
      ok: false,
      detail: (err as Error).message,
      fix: "check the path and permissions, or restore a backup",
    };
  }
}

/** The inotify limits on Linux (read from `procDir`, `/proc/sys/fs/inotify` by default). */
export function inotifyChecks(procDir = "/proc/sys/fs/inotify"): DoctorCheck[] {
  if (process.platform !== "linux") return [];
  const watches = readNumber(`${procDir}/max_user_watches`);
  const instances = readNumber(`${procDir}/max_user_instances`);
  const queued = readNumber(`${procDir}/max_queued_events`);
  return [
    {
      name: "inotify watches",
      ok: watches === null || watches >= 65_536,
      detail: `max_user_watches=${watches ?? "unknown"} (about one per watched file and directory)`,
      fix: "sudo sysctl fs.inotify.max_user_watches=524288 (persist it in /etc/sysctl.d/)",
    },
    {
      name: "inotify instances",
      ok: instances === null || instances >= 128,
      detail: `max_user_instances=${instances ?? "unknown"}`,
      fix: "sudo sysctl fs.inotify.max_user_instances=512",
    },
    {
      name: "inotify queue",
      ok: queued === null || queued >= 16_384,
      detail: `max_queued_events=${queued ?? "unknown"}`,
      fix: "sudo sysctl fs.inotify.max_queued_events=65536",
    },
  ];
}

/** Runs every check of `devflow doctor`; `ok` when all pass. */
export function diagnose(config: DevflowConfig): { ok: boolean; checks: DoctorCheck[] } {
  const checks = [nodeCheck(), homeCheck(config.home), databaseCheck(config), ...inotifyChecks()];
  return { ok: checks.every((c) => c.ok), checks };
}
