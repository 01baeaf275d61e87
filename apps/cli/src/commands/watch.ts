import { watchDevflow } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, createLogger, wantsJson } from "../context.js";
import { describeEvent, untilSignal } from "../run-loop.js";

/**
 * `devflow watch [path]`: one line per event — of the running `devflow up` (through its control
 * channel) when one runs, else of the monitors this command runs itself.
 */
export function registerWatch(program: Command): void {
  program
    .command("watch")
    .description(
      "print one line per live event (--json: one envelope per line); attaches to a running `devflow up`, else monitors itself",
    )
    .argument("[path]", "project to watch (registered if new; default: every registered project)")
    .option("--type <pattern>", 'event types: "*", "<category>.*" or a type', "*")
    .action(async (path: string | undefined, opts: { type: string }, cmd: Command) => {
      const stopped = untilSignal();
      const config = configFrom(cmd);
      const json = wantsJson(cmd);
      const names = new Map<string, string>();
      let ended: ((why: string) => void) | undefined;
      const endedByServer = new Promise<string>((resolve) => (ended = resolve));
      const watch = await watchDevflow(
        config,
        (event) => {
          if (event.type === "system.sample" && !json) return; // periodic noise in the human view
          process.stdout.write(`${json ? JSON.stringify(event) : describeEvent(event, names)}\n`);
        },
        {
          pattern: opts.type,
          cwd: process.cwd(),
          logger: createLogger(config),
          onEnd: (why) => ended?.(why),
          ...(path === undefined ? {} : { path }),
        },
      );
      try {
        for (const p of watch.projects) names.set(p.id, p.name);
        if (!json) {
          const what =
            watch.mode === "attached"
              ? "the running DevFlow"
              : watch.projects.map((p) => p.rootPath).join(", ") || "no project (machine only)";
          process.stderr.write(`Watching ${what}; Ctrl+C to stop.\n`);
        }
        const why = await Promise.race([stopped, endedByServer]);
        if (!json && why.includes(" ")) process.stderr.write(`Watch ended: ${why}.\n`);
      } finally {
        await watch.stop();
      }
    });
}
