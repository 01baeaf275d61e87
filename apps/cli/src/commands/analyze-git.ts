import type { Command } from "commander";
import { registerGitInsights } from "./analyze-git-insights.js";

/**
 * Registers the git analyses that are not yet operations of the catalogue under
 * `devflow analyze`: bus factor, knowledge loss and DORA. The others (code-maat's analyses,
 * hotspots, coupling, churn, main developer, age, co-changes, commit statistics) are generated
 * from the operation catalogue (see `catalog/mount.ts`).
 */
export function registerGitAnalyses(analyze: Command): void {
  registerGitInsights(analyze);
}
