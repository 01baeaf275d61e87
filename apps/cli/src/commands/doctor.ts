import { diagnose } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, output } from "../context.js";

/** `devflow doctor`: checks Node, the home directory, the database and inotify limits. */
export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check Node.js, the DevFlow home, the database and file-watch limits")
    .action((_opts: unknown, cmd: Command) => {
      const { ok, checks } = diagnose(configFrom(cmd));
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
