import { isAbsolute } from "node:path";
import { uuidv7 } from "uuidv7";
import { z } from "zod";

/** Event severities, lowest first. The engine persists higher severities first under load. */
export const SEVERITIES = ["debug", "info", "warning", "error", "critical"] as const;
/** Schema of an event severity. */
export const SeveritySchema = z.enum(SEVERITIES);
/** An event severity. */
export type Severity = z.infer<typeof SeveritySchema>;

/** Event categories: the part of the type before the dot. */
export const CATEGORIES = [
  "file",
  "git",
  "ai",
  "build",
  "test",
  "system",
  "activity",
  "stage",
  "bottleneck",
  "integration",
  "notification",
  "security",
] as const;
/** An event category. */
export type Category = (typeof CATEGORIES)[number];

/** Latest accepted timestamp (year 2200); guards against seconds/microseconds mix-ups. */
const MAX_TIMESTAMP = 7_258_118_400_000;

/** Generates a new time-ordered (UUIDv7) event id. */
export function newEventId(): string {
  return uuidv7();
}

/** A path relative to the project root: never absolute, never escaping the root. */
export const RelativePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) => !isAbsolute(p) && !/^[A-Za-z]:[\\/]/.test(p),
    "must be relative to the project root",
  )
  .refine((p) => !p.split(/[\\/]/).includes(".."), "must not contain '..' segments");

/** Short free-form identifier (names, ids, hashes). */
export const NameSchema = z.string().min(1).max(512);

/** Fields every event carries, whatever its type. */
const envelopeFields = {
  id: z.string().min(1).max(64).default(newEventId),
  timestamp: z
    .number()
    .int()
    .nonnegative()
    .max(MAX_TIMESTAMP)
    .default(() => Date.now()),
  duration: z.number().nonnegative().optional(),
  source: z.string().min(1).max(128),
  projectId: z.string().min(1).max(128).optional(),
  metadata: z.record(z.string(), z.json()).optional(),
  correlationId: z.string().min(1).max(128).optional(),
  parentId: z.string().min(1).max(128).optional(),
};

/**
 * Builds the schema of one event type: the envelope plus a `type` literal, its `category`
 * (filled in when omitted), a default severity and the typed `data`. Unknown keys are
 * rejected, so nothing unexpected (such as file contents) can slip into storage.
 */
export function defineEvent<
  TType extends string,
  TCategory extends Category,
  TData extends z.ZodType,
>(type: TType, category: TCategory, data: TData, defaultSeverity: Severity = "info") {
  return z.strictObject({
    ...envelopeFields,
    type: z.literal(type),
    category: z.literal(category).default(category),
    severity: SeveritySchema.default(defaultSeverity),
    data,
  });
}
