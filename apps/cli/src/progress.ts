import cliProgress from "cli-progress";

/** A progress bar on stderr; `null` when stderr is not a terminal (pipes stay quiet). */
export function createProgressBar(
  label: string,
): { update(done: number, total: number): void; stop(): void } | null {
  if (!process.stderr.isTTY) return null;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% {value}/{total} commits, eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
