import { createDevflow } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, createLogger, wantsJson } from "../context.js";
import { describeEvent, selectProjects, untilSignal } from "../run-loop.js";

/** `devflow watch [path]`: run the monitors in the foreground, one line per event. */
export function registerWatch(program: Command): void {
  program
    .command("watch")
    .description("monitor live and print one line per event (--json: one envelope per line)")
    .argument("[path]", "project to watch (registered if new; default: every registered project)")
    .action(async (path: string | undefined, _opts: unknown, cmd: Command) => {
      const stopped = untilSignal();
      const config = configFrom(cmd);
      const devflow = createDevflow(config, { logger: createLogger(config) });
      const json = wantsJson(cmd);
      try {
        const projects = await selectProjects(devflow, path);
        const names = new Map(devflow.storage.projects.list().map((p) => [p.id, p.name]));
        devflow.engine.subscribe("*", (event) => {
          if (event.type === "system.sample" && !json) return; // periodic noise in the human view
          process.stdout.write(`${json ? JSON.stringify(event) : describeEvent(event, names)}\n`);
        });
        await devflow.start({ projects: projects?.map((p) => p.id) });
        if (!json) {
          const watched = projects ?? devflow.storage.projects.list();
          process.stderr.write(
            `Watching ${watched.map((p) => p.rootPath).join(", ") || "no project (machine only)"}; Ctrl+C to stop.\n`,
          );
        }
        await stopped;
      } finally {
        await devflow.stop();
      }
    });
}
