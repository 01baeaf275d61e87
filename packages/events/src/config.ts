import { z } from "zod";
import { DEFAULT_MAX_DATA_BYTES } from "./validate.js";

/** The engine's part of the DevFlow config (`engine` in `config.json`). */
export const EngineConfigSchema = z
  .strictObject({
    /** Persist a batch as soon as this many events are queued. */
    batchSize: z.number().int().min(1).max(10_000).default(100),
    /** …or when the oldest queued event has waited this long (ms). */
    maxWaitMs: z.number().int().min(1).max(600_000).default(5000),
    /** Queue bound: above it `emit` waits for room and debug events are shed. */
    highWaterMark: z.number().int().min(1).max(10_000_000).default(10_000),
    /** Largest accepted JSON size of `data` + `metadata`, in bytes. */
    maxDataBytes: z
      .number()
      .int()
      .min(256)
      .max(16 * 1024 * 1024)
      .default(DEFAULT_MAX_DATA_BYTES),
    /** Heartbeats with equal data this close together are merged (ms). */
    pulsetimeMs: z.number().int().min(0).max(3_600_000).default(120_000),
  })
  .refine((c) => c.highWaterMark >= c.batchSize, {
    message: "highWaterMark must be at least batchSize",
    path: ["highWaterMark"],
  });

/** Parsed engine configuration. */
export type EngineConfig = z.output<typeof EngineConfigSchema>;
