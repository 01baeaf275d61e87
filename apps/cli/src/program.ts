import { OPERATIONS } from "@devflow/mcp-tools";
import { Command } from "commander";
import { mountOperations } from "./catalog/mount.js";
import { registerAi } from "./commands/ai.js";
import { registerAnalyze } from "./commands/analyze.js";
import { registerApiKey } from "./commands/apikey.js";
import { registerAudit } from "./commands/audit.js";
import { registerData } from "./commands/data.js";
import { registerDb } from "./commands/db.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerImportGit } from "./commands/import-git.js";
import { registerKeys } from "./commands/keys.js";
import { registerMcp } from "./commands/mcp.js";
import { registerSecret } from "./commands/secret.js";
import { registerStatus } from "./commands/status.js";
import { registerUp } from "./commands/up.js";
import { registerUser } from "./commands/user.js";
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
  registerDb(program);
  registerImportGit(registerData(program));
  registerAnalyze(program);
  mountOperations(program, OPERATIONS);
  registerAi(program);
  registerUser(program);
  registerApiKey(program);
  registerAudit(program);
  registerKeys(program);
  registerSecret(program);
  registerMcp(program, version);
  registerDoctor(program);
  return program;
}
