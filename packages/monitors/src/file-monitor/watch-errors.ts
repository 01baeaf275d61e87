/**
 * @module file-monitor/watch-errors
 * What a watcher error means for the user: resource exhaustion (ENOSPC, EMFILE) degrades the
 * monitor with a message and the fix; anything else is counted and logged.
 */

/** How a watcher error is reported in `status()`. */
export interface WatchErrorReport {
  code: "ENOSPC" | "EMFILE";
  message: string;
  fix: string;
}

const IGNORE_HINT =
  "or exclude large generated directories with monitors.file.ignore (gitignore syntax)";

/**
 * The health report for a resource-exhaustion error, or `undefined` for other errors.
 * `rescanEverySec`: how often the monitor rescans the project instead while degraded.
 */
export function describeWatchError(
  err: unknown,
  rescanEverySec: number,
): WatchErrorReport | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const fallback = `the file monitor keeps running and rescans the project every ${rescanEverySec} s, so some changes are reported late`;
  if (code === "ENOSPC") {
    return {
      code,
      message: `The system limit for file watchers was reached (ENOSPC, inotify max_user_watches): some directories are not watched; ${fallback}.`,
      fix: `Raise the limit: sudo sysctl fs.inotify.max_user_watches=524288 (to keep it after a reboot: echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-devflow-inotify.conf), ${IGNORE_HINT}.`,
    };
  }
  if (code === "EMFILE" || code === "ENFILE") {
    return {
      code: "EMFILE",
      message: `Too many open files (${code}) while watching: some directories are not watched; ${fallback}.`,
      fix: `Raise the open-file limit: ulimit -n 65536 before starting DevFlow (LimitNOFILE=65536 in a systemd unit; on macOS sudo launchctl limit maxfiles 65536 200000), ${IGNORE_HINT}.`,
    };
  }
  return undefined;
}
