import { isDevflowError } from "@devflow/events";
import { redactSecrets } from "@devflow/security";
import { type DevflowConfig, loadConfig, openConfiguredStorage } from "@devflow/runtime";
import { createAppLogger } from "@devflow/runtime/logger";
import type { Command } from "commander";
import type { Logger as PinoLogger } from "pino";
// The CLI_* codes the commands throw (added to DevflowErrorCodes there).
import "./errors.js";

/** Options every command accepts. */
export interface GlobalOptions {
  home?: string;
  db?: string;
  json?: boolean;
  logLevel?: string;
}

/** Loads config from the file, env and the global flags of `cmd`. */
export function configFrom(cmd: Command): DevflowConfig {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const overrides: Record<string, unknown> = {};
  if (opts.home) overrides.home = opts.home;
  if (opts.db) overrides.storage = { path: opts.db };
  if (opts.logLevel) overrides.logging = { level: opts.logLevel };
  return loadConfig({ overrides });
}

export { openConfiguredStorage };

/** The app's one root logger: JSON lines on stderr (stdout is for command output). */
export function createLogger(config: DevflowConfig, fallbackLevel = "warn"): PinoLogger {
  return createAppLogger(config, { app: "devflow", fallbackLevel });
}

/** True when `--json` was given. */
export function wantsJson(cmd: Command): boolean {
  return cmd.optsWithGlobals<GlobalOptions>().json === true;
}

/** Prints a command's result: JSON on stdout with `--json`, else the text rendering. */
export function output(cmd: Command, value: unknown, text: () => string): void {
  process.stdout.write(wantsJson(cmd) ? `${JSON.stringify(value)}\n` : `${text()}\n`);
}

/** Prints one clear error line and sets a failing exit code. */
export function reportError(err: unknown): void {
  const message = isDevflowError(err) || err instanceof Error ? err.message : String(err);
  process.stderr.write(`devflow: ${redactSecrets(message)}\n`);
  process.exitCode = 1;
}

/** Formats a byte count for people. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Formats a timestamp (ms) as local ISO-like text, or "never". */
export function formatTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "never";
}
