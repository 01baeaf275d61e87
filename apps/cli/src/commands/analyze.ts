import type { Command } from "commander";
import { registerAnalyzeAi } from "./analyze-ai.js";
import { registerWorkAnalyses } from "./analyze-work.js";

/**
 * `devflow analyze <analysis>`: the analyses of the work itself and of AI use; the git analyses
 * are generated from the operation catalogue (`catalog/mount.ts`).
 */
export function registerAnalyze(program: Command): void {
  const analyze = program
    .command("analyze")
    .description("analyse the stored facts of a project (git history, events)");
  registerWorkAnalyses(analyze);
  registerAnalyzeAi(analyze);
}
