import type { Command } from "commander";
import { registerAnalyzeAi } from "./analyze-ai.js";

/**
 * `devflow analyze <analysis>`: the analysis of AI use; the analyses of the work and of the git
 * history are generated from the operation catalogue (`catalog/mount.ts`).
 */
export function registerAnalyze(program: Command): void {
  const analyze = program
    .command("analyze")
    .description("analyse the stored facts of a project (git history, events)");
  registerAnalyzeAi(analyze);
}
