import { z } from "zod";

/** SQLite `synchronous` levels DevFlow accepts (see the README for what each one survives). */
export const SYNCHRONOUS_MODES = ["OFF", "NORMAL", "FULL", "EXTRA"] as const;
/** One SQLite `synchronous` level. */
export type SynchronousMode = (typeof SYNCHRONOUS_MODES)[number];

/**
 * The storage part of the DevFlow config (`storage` in `config.json`). `path` defaults to
 * `$DEVFLOW_HOME/devflow.db`, which the runtime resolves.
 */
export const StorageConfigSchema = z.strictObject({
  /** Database file; `:memory:` for a throw-away database. */
  path: z.string().min(1).optional(),
  /** `FULL` survives power loss; `NORMAL` may lose the last commits on power loss (never corrupts). */
  synchronous: z.enum(SYNCHRONOUS_MODES).default("FULL"),
  /** How long a writer waits for a lock held by another connection before `SQLITE_BUSY` (ms). */
  busyTimeoutMs: z.number().int().min(0).max(600_000).default(5000),
  /** Raw events older than this many days are pruned; rollups are kept. */
  retentionDays: z.number().int().min(1).max(36_500).default(30),
});

/** Parsed storage configuration. */
export type StorageConfig = z.output<typeof StorageConfigSchema>;
