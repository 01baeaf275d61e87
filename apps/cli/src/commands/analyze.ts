import type { Command } from "commander";
import { registerAnalyzeAi } from "./analyze-ai.js";
import { registerGitAnalyses } from "./analyze-git.js";
import { registerWorkAnalyses } from "./analyze-work.js";

/** `devflow analyze <analysis>`: the git analytics and the analyses of the work itself. */
export function registerAnalyze(program: Command): void {
  const analyze = program
    .command("analyze")
    .description("analyse the stored facts of a project (git history, events)");
  registerGitAnalyses(analyze);
  registerWorkAnalyses(analyze);
  registerAnalyzeAi(analyze);
}
