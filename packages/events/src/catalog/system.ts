import { z } from "zod";
import { defineEvent, NameSchema } from "../envelope.js";

const bytes = z.number().nonnegative();
const percent = z.number().min(0).max(100);

/** Machine samples and threshold alerts, plus active-time signals. */
export const systemEvents = [
  defineEvent(
    "system.sample",
    "system",
    z.strictObject({
      cpuPercent: percent,
      memoryPercent: percent,
      memoryUsedBytes: bytes,
      memoryTotalBytes: bytes,
      load1: z.number().nonnegative(),
      load5: z.number().nonnegative(),
      load15: z.number().nonnegative(),
      diskUsedPercent: percent.optional(),
      processRssBytes: bytes,
      eventLoopLagMs: z.number().nonnegative(),
    }),
    "debug",
  ),
  defineEvent(
    "system.alert",
    "system",
    z.strictObject({
      metric: NameSchema,
      value: z.number(),
      threshold: z.number(),
      sustainedMs: z.number().nonnegative(),
      state: z.enum(["raised", "cleared"]),
    }),
    "warning",
  ),
  defineEvent(
    "activity.heartbeat",
    "activity",
    z.strictObject({
      /** Activity category: coding, testing, building, reviewing, ai, … */
      category: NameSchema,
      language: NameSchema.optional(),
      /** What was worked on, e.g. a relative file path or a branch. */
      entity: z.string().max(4096).optional(),
    }),
  ),
  defineEvent("activity.afk", "activity", z.strictObject({ idleMs: z.number().nonnegative() })),
  defineEvent(
    "activity.active",
    "activity",
    z.strictObject({ afterIdleMs: z.number().nonnegative() }),
  ),
] as const;
