import { DevflowError } from "@devflow/events";
import { importGitHistory } from "@devflow/monitors";
import { createDevflow, ensureProject, findRepositoryRoot } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, output, wantsJson } from "../context.js";
import { createProgressBar } from "../progress.js";
import { parseInstant } from "./security-context.js";

/** `devflow import git [path]`: import (or continue importing) a repository's history. */
export function registerImportGit(importCommand: Command): void {
  importCommand
    .command("git")
    .description("import the git history of a repository (continues from the last import)")
    .argument("[path]", "repository (registered if new; default: the current repository)")
    .option(
      "--since <time>",
      "only commits after this time: YYYY-MM-DD (local midnight), ISO, or an age like 90m, 7d, 6mo",
    )
    .action(async (path: string | undefined, opts: { since?: string }, cmd: Command) => {
      const since =
        opts.since === undefined ? undefined : parseInstant(opts.since, "--since").toISOString();
      const config = configFrom(cmd);
      const root = findRepositoryRoot(path ?? process.cwd());
      if (!root)
        throw new DevflowError(
          "CLI_BAD_ARGUMENT",
          `${path ?? process.cwd()}: not inside a git repository`,
        );
      // Not started: its engine announces the import (`git.history_imported`) into the database.
      const devflow = createDevflow(config);
      const { storage } = devflow;
      const bar = wantsJson(cmd) ? null : createProgressBar("importing");
      try {
        const { project } = ensureProject(storage, root);
        const r = await importGitHistory({
          storage,
          engine: devflow.engine,
          project,
          ...(since === undefined ? {} : { since }),
          messages: config.monitors.git.messages,
          onProgress: (done, total) => bar?.update(done, total),
        });
        bar?.stop();
        output(
          cmd,
          { project, ...r },
          () =>
            `Imported ${r.commits} new commits (${r.files} file changes) of ${project.name} in ${(r.durationMs / 1000).toFixed(1)} s` +
            (r.skipped ? `; ${r.skipped} were already stored.` : "."),
        );
      } finally {
        bar?.stop();
        await devflow.stop();
      }
    });
}
