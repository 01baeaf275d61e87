import { z } from "zod";
import { defineEvent, NameSchema } from "../envelope.js";

const evidence = z.array(z.string().max(128)).max(1000);

/** Findings of the analyzers: stage transitions and bottlenecks. */
export const analysisEvents = [
  defineEvent(
    "stage.transition",
    "stage",
    z.strictObject({
      from: NameSchema.nullable(),
      to: NameSchema,
      subStage: NameSchema.optional(),
      confidence: z.number().min(0).max(1),
      evidence,
    }),
  ),
  defineEvent(
    "bottleneck.detected",
    "bottleneck",
    z.strictObject({
      kind: NameSchema,
      subject: z.string().max(4096),
      value: z.number().optional(),
      threshold: z.number().optional(),
      suggestion: z.string().max(4096).optional(),
      evidence: evidence.optional(),
    }),
    "warning",
  ),
  defineEvent(
    "bottleneck.resolved",
    "bottleneck",
    z.strictObject({ kind: NameSchema, subject: z.string().max(4096) }),
  ),
] as const;
