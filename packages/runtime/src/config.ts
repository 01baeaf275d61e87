import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { DevflowError, EngineConfigSchema, toFieldIssues, type FieldIssue } from "@devflow/events";
import { MonitorsConfigSchema } from "@devflow/monitors";
import { StorageConfigSchema } from "@devflow/storage";
import { z } from "zod";

/**
 * The periodic analyses of a running DevFlow: the development stage (`updateStages`) and the
 * bottleneck detector (`updateBottlenecks`) of every monitored project.
 */
export const AnalysisConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** How often the analyses run (ms; default 5 min). */
  intervalMs: z.number().int().min(100).max(86_400_000).default(300_000),
  /** The first run, this long after start (ms; default 30 s). */
  initialDelayMs: z.number().int().min(0).max(86_400_000).default(30_000),
});

/** Parsed analysis-loop configuration. */
export type AnalysisConfig = z.output<typeof AnalysisConfigSchema>;

/** Log levels accepted in config (pino's). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/**
 * The root DevFlow config: `$DEVFLOW_HOME/config.json`, overridden by environment variables,
 * overridden by command-line flags. Each package contributes its own part.
 */
export const DevflowConfigSchema = z.strictObject({
  /** Where DevFlow keeps its database, config and logs. */
  home: z.string().min(1),
  engine: EngineConfigSchema.prefault({}),
  storage: StorageConfigSchema.prefault({}),
  monitors: MonitorsConfigSchema.prefault({}),
  analysis: AnalysisConfigSchema.prefault({}),
  logging: z
    .strictObject({
      /** Unset: each app picks its own default (`info` for long-running commands, `warn` otherwise). */
      level: z.enum(LOG_LEVELS).optional(),
      /** Also write logs to this file (JSON lines). */
      file: z.string().min(1).optional(),
    })
    .prefault({}),
});

/** The config as written (every field optional). */
export type DevflowConfigInput = z.input<typeof DevflowConfigSchema>;

/** The parsed config with every default applied and the database path resolved. */
export type DevflowConfig = z.output<typeof DevflowConfigSchema> & {
  storage: { path: string };
};

/** Environment variables read by {@link loadConfig}, and the config path each sets. */
export const CONFIG_ENV: Readonly<Record<string, string>> = {
  DEVFLOW_DB: "storage.path",
  DEVFLOW_SYNCHRONOUS: "storage.synchronous",
  DEVFLOW_BUSY_TIMEOUT_MS: "storage.busyTimeoutMs",
  DEVFLOW_RETENTION_DAYS: "storage.retentionDays",
  DEVFLOW_BATCH_SIZE: "engine.batchSize",
  DEVFLOW_BATCH_MAX_WAIT_MS: "engine.maxWaitMs",
  DEVFLOW_HIGH_WATER_MARK: "engine.highWaterMark",
  DEVFLOW_LOG_LEVEL: "logging.level",
  DEVFLOW_LOG_FILE: "logging.file",
  DEVFLOW_AI_ENABLED: "monitors.ai.enabled",
  DEVFLOW_AI_PROMPTS: "monitors.ai.prompts",
  DEVFLOW_ANALYSIS_ENABLED: "analysis.enabled",
  DEVFLOW_ANALYSIS_INTERVAL_MS: "analysis.intervalMs",
  DEVFLOW_ANALYSIS_INITIAL_DELAY_MS: "analysis.initialDelayMs",
};

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Environment to read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags; they win over the file and the environment. */
  overrides?: Record<string, unknown>;
  /** Home directory used when `DEVFLOW_HOME` is not set (default `os.homedir()`). */
  userHome?: string;
}

/** The config file DevFlow reads for a given home directory. */
export function configFilePath(home: string): string {
  return join(home, "config.json");
}

/**
 * Loads the config: defaults, then `$DEVFLOW_HOME/config.json`, then environment variables,
 * then `overrides`. `DEVFLOW_HOME` defaults to `~/.devflow`.
 *
 * @throws {@link DevflowError} `CONFIG_INVALID` listing every problem as `path: message`
 *   (with where the value came from), or `CONFIG_UNREADABLE` for a broken config file.
 */
export function loadConfig(options: LoadConfigOptions = {}): DevflowConfig {
  const env = options.env ?? process.env;
  const overrides = options.overrides ?? {};
  const home = resolve(
    (overrides.home as string | undefined) ??
      env.DEVFLOW_HOME ??
      join(options.userHome ?? homedir(), ".devflow"),
  );
  const origins = new Map<string, string>();
  const merged: Record<string, unknown> = {};

  const file = configFilePath(home);
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new DevflowError("CONFIG_UNREADABLE", `${file}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new DevflowError("CONFIG_UNREADABLE", `${file}: must contain a JSON object`);
    }
    deepMerge(merged, parsed as Record<string, unknown>, { prefix: "", origins, origin: file });
  }
  for (const [name, path] of Object.entries(CONFIG_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    setPath(merged, path, coerce(raw));
    origins.set(path, name);
  }
  deepMerge(merged, overrides, { prefix: "", origins, origin: "command line" });
  merged.home = home;

  const result = DevflowConfigSchema.safeParse(merged);
  if (!result.success) throw configError(toFieldIssues(result.error), origins);
  const config = result.data;
  const dbPath = config.storage.path ?? join(home, "devflow.db");
  return {
    ...config,
    storage: { ...config.storage, path: dbPath === ":memory:" ? dbPath : resolve(home, dbPath) },
  };
}

function configError(issues: FieldIssue[], origins: Map<string, string>): DevflowError {
  const lines = issues.map((i) => {
    const origin = origins.get(i.path);
    return `${i.path}: ${i.message}${origin ? ` (from ${origin})` : ""}`;
  });
  return new DevflowError("CONFIG_INVALID", `invalid configuration:\n  ${lines.join("\n  ")}`, {
    data: { issues },
  });
}

/** Numbers and booleans in env vars become typed; anything else stays a string for zod to judge. */
function coerce(raw: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw === "true" || raw === "false") return raw === "true";
  return raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Where merged values come from: the key path so far and the origin of each leaf. */
interface MergeTrail {
  prefix: string;
  origins: Map<string, string>;
  origin: string;
}

function deepMerge(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  trail: MergeTrail,
): void {
  const { prefix, origins, origin } = trail;
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const existing = target[key];
      const child =
        typeof existing === "object" && existing !== null && !Array.isArray(existing)
          ? (existing as Record<string, unknown>)
          : {};
      target[key] = child;
      deepMerge(child, value as Record<string, unknown>, { prefix: path, origins, origin });
    } else {
      target[key] = value;
      origins.set(path, origin);
    }
  }
}
