import { accessSync, constants, existsSync, mkdirSync, readFileSync, statfsSync } from "node:fs";
import type { Command } from "commander";
import { configFrom, formatBytes, output, openConfiguredStorage } from "../context.js";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function readNumber(path: string): number | null {
  try {
    return Number(readFileSync(path, "utf8").trim());
  } catch {
    return null;
  }
}

function nodeCheck(): Check {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return {
    name: "node",
    ok,
    detail: `Node.js ${process.versions.node}`,
    fix: ok ? undefined : "install Node.js 20.19 or newer",
  };
}

function inotifyChecks(): Check[] {
  if (process.platform !== "linux") return [];
  const watches = readNumber("/proc/sys/fs/inotify/max_user_watches");
  const instances = readNumber("/proc/sys/fs/inotify/max_user_instances");
  const queued = readNumber("/proc/sys/fs/inotify/max_queued_events");
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

/** `devflow doctor`: checks Node, the home directory, the database and inotify limits. */
export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check Node.js, the DevFlow home, the database and file-watch limits")
    .action((_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const checks: Check[] = [nodeCheck()];
      try {
        if (!existsSync(config.home)) mkdirSync(config.home, { recursive: true });
        accessSync(config.home, constants.W_OK);
        const fs = statfsSync(config.home);
        const free = fs.bavail * fs.bsize;
        checks.push({
          name: "home",
          ok: free > 100 * 1024 * 1024,
          detail: `${config.home} writable, ${formatBytes(free)} free`,
          fix: "free disk space (≥ 100 MiB)",
        });
      } catch (err) {
        checks.push({
          name: "home",
          ok: false,
          detail: `${config.home}: ${(err as Error).message}`,
          fix: "set DEVFLOW_HOME to a writable directory",
        });
      }
      try {
        const storage = openConfiguredStorage(config);
        try {
          const r = storage.integrityCheck();
          const info = storage.info();
          checks.push({
            name: "database",
            ok: r.ok,
            detail: r.ok
              ? `${info.path}: integrity ok, ${info.events} events, ${info.migrations.length} migrations`
              : r.problems.join("; "),
            fix: "restore the latest backup (devflow db backup makes one)",
          });
        } finally {
          storage.close();
        }
      } catch (err) {
        checks.push({
          name: "database",
          ok: false,
          detail: (err as Error).message,
          fix: "check the path and permissions, or restore a backup",
        });
      }
      checks.push(...inotifyChecks());
      const ok = checks.every((c) => c.ok);
      output(cmd, { ok, checks }, () =>
        checks
          .map(
            (c) =>
              `${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}${c.ok || !c.fix ? "" : `\n     fix: ${c.fix}`}`,
          )
          .join("\n"),
      );
      if (!ok) process.exitCode = 1;
    });
}
