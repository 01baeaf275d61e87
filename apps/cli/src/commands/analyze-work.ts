import type { Command } from "commander";

/** Registers the analyses of the work (stage, methodology, metrics, bottlenecks, commits). */
export function registerWorkAnalyses(_analyze: Command): void {}
