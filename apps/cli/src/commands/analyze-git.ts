import type { Command } from "commander";

/** Registers the git analyses under `devflow analyze`. */
export function registerGitAnalyses(_analyze: Command): void {}
