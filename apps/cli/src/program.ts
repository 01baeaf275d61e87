import { Command } from "commander";
import { registerAnalyze } from "./commands/analyze.js";
import { registerData } from "./commands/data.js";
import { registerDb } from "./commands/db.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerImportGit } from "./commands/import-git.js";
import { registerProject } from "./commands/project.js";
import { registerStatus } from "./commands/status.js";
import { registerUp } from "./commands/up.js";
import { registerWatch } from "./commands/watch.js";

/** Builds the `devflow` command tree. */
export function createProgram(version: string): Command {
  const program = new Command("devflow")
    .description("DevFlow Monitor: watch how software gets built, locally")
    .version(version)
    .option("--home <dir>", "DevFlow home (default: $DEVFLOW_HOME or ~/.devflow)")
    .option("--db <file>", "database file (default: <home>/devflow.db)")
    .option("--log-level <level>", "trace|debug|info|warn|error|fatal|silent")
    .option("--json", "machine-readable output");
  program.configureOutput({
    outputError: (text, write) => write(`devflow: ${text.replace(/^error: /, "")}`),
  });
  registerUp(program);
  registerWatch(program);
  registerStatus(program);
  registerProject(program);
  registerDb(program);
  registerImportGit(registerData(program));
  registerAnalyze(program);
  registerDoctor(program);
  return program;
}
