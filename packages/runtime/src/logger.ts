/**
 * @module @devflow/runtime/logger
 * The apps' one root logger, built from the config's `logging.*` (a subpath, so the root entry
 * of `@devflow/runtime` does not load pino).
 */
import { pinoRedaction } from "@devflow/security";
import { pino, type Logger as PinoLogger } from "pino";
import type { DevflowConfig } from "./config.js";

/** Options of {@link createAppLogger}. */
export interface AppLoggerOptions {
  /** The `app` binding on every line (`devflow`, `devflow-mcp`). */
  app: string;
  /** The level when `logging.level` is not set (default `warn`). */
  fallbackLevel?: string;
}

/**
 * The root logger of an app: JSON lines on stderr (fd 2 — stdout carries command output or
 * JSON-RPC), and also to `logging.file` when set; level `logging.level`; secrets redacted.
 */
export function createAppLogger(config: DevflowConfig, options: AppLoggerOptions): PinoLogger {
  const level = config.logging.level ?? options.fallbackLevel ?? "warn";
  const streams: pino.StreamEntry[] = [{ level: level as pino.Level, stream: pino.destination(2) }];
  if (config.logging.file) {
    streams.push({
      level: level as pino.Level,
      stream: pino.destination({ dest: config.logging.file, mkdir: true }),
    });
  }
  return pino({ level, base: { app: options.app }, ...pinoRedaction() }, pino.multistream(streams));
}
