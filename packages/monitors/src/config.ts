import { z } from "zod";
import { AiMonitorConfigSchema } from "./ai/config.js";

const ms = (min: number, max: number, fallback: number) =>
  z.number().int().min(min).max(max).default(fallback);

/** The monitors' part of the DevFlow config (`monitors` in `config.json`). */
export const MonitorsConfigSchema = z.strictObject({
  file: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Extra ignore patterns (gitignore syntax), applied like a top-level `.gitignore`. */
      ignore: z.array(z.string().min(1)).default([]),
      /** Changes to the same path within this window become one event. */
      debounceMs: ms(0, 60_000, 300),
      /** Rescan directories this long after a burst or a new directory, to catch missed events. */
      reconcileDelayMs: ms(10, 60_000, 1000),
    })
    .prefault({}),
  git: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Fallback poll when `.git` watching misses something. */
      pollIntervalMs: ms(1000, 3_600_000, 30_000),
      /** How much of commit messages to store: `full`, `redacted` (secrets, e-mails masked) or `none`. */
      messages: z.enum(["full", "redacted", "none"]).default("redacted"),
    })
    .prefault({}),
  perf: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Process-table poll interval. */
      pollIntervalMs: ms(200, 60_000, 1000),
    })
    .prefault({}),
  system: z
    .strictObject({
      enabled: z.boolean().default(true),
      intervalMs: ms(1000, 3_600_000, 15_000),
      cpuPercent: z.number().min(1).max(100).default(90),
      memoryPercent: z.number().min(1).max(100).default(85),
      /** An alert is raised only when the threshold is exceeded this long. */
      sustainMs: ms(0, 3_600_000, 60_000),
    })
    .prefault({}),
  activity: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** A session stays active while signals arrive within this gap. */
      idleGapMs: ms(10_000, 3_600_000, 300_000),
    })
    .prefault({}),
  ai: AiMonitorConfigSchema.prefault({}),
});

/** Parsed monitors configuration. */
export type MonitorsConfig = z.output<typeof MonitorsConfigSchema>;
