import { existsSync } from "node:fs";
import { DevflowError } from "@devflow/events";
import type { Command } from "commander";
import { configFrom, output, wantsJson, openConfiguredStorage } from "../context.js";

/** `devflow export [file]` and `devflow import <file>` (JSONL, round-trips exactly). */
export function registerData(program: Command): Command {
  program
    .command("export")
    .description("export every table as JSON lines (to a file, or stdout)")
    .argument("[file]", "destination file (default: stdout)")
    .option("--project <id>", "only this project's rows")
    .action(async (file: string | undefined, opts: { project?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      if (!file && wantsJson(cmd)) {
        throw new DevflowError(
          "CLI_BAD_ARGUMENT",
          "--json needs a destination file: stdout carries the export itself",
        );
      }
      const storage = openConfiguredStorage(config);
      try {
        const r = await storage.exportJsonl(file ?? process.stdout, { projectId: opts.project });
        if (file) {
          const total = Object.values(r.rows).reduce((a, b) => a + b, 0);
          output(cmd, { file, ...r }, () => `Exported ${total} rows to ${file}.`);
        }
      } finally {
        storage.close();
      }
    });

  return program
    .command("import")
    .description(
      "import a JSONL export (or `import git`); existing rows are kept, bad lines are reported",
    )
    .argument("<file>", "a file written by `devflow export`")
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      if (!existsSync(file)) throw new DevflowError("CLI_BAD_ARGUMENT", `${file}: no such file`);
      const config = configFrom(cmd);
      const storage = openConfiguredStorage(config);
      try {
        const r = await storage.importJsonl(file);
        const total = Object.values(r.inserted).reduce((a, b) => a + b, 0);
        output(cmd, r, () =>
          [
            `Imported ${total} new rows from ${file} (${r.duplicates} already present).`,
            ...r.errors.slice(0, 20).map((e) => `  line ${e.line}: ${e.error}`),
            ...(r.errors.length > 20 ? [`  … and ${r.errors.length - 20} more bad lines`] : []),
          ].join("\n"),
        );
        if (r.errors.length > 0) process.exitCode = 1;
      } finally {
        storage.close();
      }
    });
}
