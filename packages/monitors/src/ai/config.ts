import { z } from "zod";

const rate = z.number().nonnegative().max(10_000);

/** A price override: USD per million tokens (see `ModelPrice`). */
export const ModelPriceSchema = z.strictObject({
  input: rate,
  output: rate,
  cacheWrite: rate.optional(),
  cacheWrite1h: rate.optional(),
  cacheRead: rate.optional(),
  longContext: z
    .strictObject({
      threshold: z.number().int().positive(),
      input: rate,
      output: rate,
      cacheWrite: rate.optional(),
      cacheWrite1h: rate.optional(),
      cacheRead: rate.optional(),
    })
    .optional(),
  fastMultiplier: z.number().positive().max(100).optional(),
});

/** The AI monitor's part of the config (`monitors.ai`). */
export const AiMonitorConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** How much prompt text to store: `full`, `redacted` (secrets, e-mails masked) or `none`. */
  prompts: z.enum(["full", "redacted", "none"]).default("none"),
  /**
   * Where the assistants keep their records, overriding the environment (`CLAUDE_CONFIG_DIR`,
   * `CODEX_HOME`, `GEMINI_DATA_DIR`) and the defaults under the home directory.
   */
  roots: z
    .strictObject({
      /** Claude Code config directories (or their `projects/` directories). */
      claudeCode: z.array(z.string().min(1)).min(1).optional(),
      /** Codex CLI's home (holding `sessions/` and `archived_sessions/`). */
      codex: z.string().min(1).optional(),
      /** Gemini CLI's data directory (holding `<project>/chats/`). */
      geminiCli: z.string().min(1).optional(),
    })
    .prefault({}),
  /** Which assistants to read. */
  sources: z
    .strictObject({
      claudeCode: z.boolean().default(true),
      codex: z.boolean().default(true),
      geminiCli: z.boolean().default(true),
      aider: z.boolean().default(true),
    })
    .prefault({}),
  /** How often transcripts are re-read and the process table polled. */
  pollIntervalMs: z.number().int().min(1000).max(3_600_000).default(15_000),
  /** A session without activity this long is ended. */
  idleSessionMs: z.number().int().min(60_000).max(86_400_000).default(1_800_000),
  /** Price overrides per model id (USD per million tokens), merged over the embedded table. */
  prices: z.record(z.string().min(1), ModelPriceSchema).default({}),
});

/** Parsed AI monitor configuration. */
export type AiMonitorConfig = z.output<typeof AiMonitorConfigSchema>;
