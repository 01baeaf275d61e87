import { z } from "zod";
import { defineEvent, NameSchema, RelativePathSchema } from "../envelope.js";

const fileFacts = {
  path: RelativePathSchema,
  language: NameSchema.optional(),
  size: z.number().int().nonnegative().optional(),
  linesAdded: z.number().int().nonnegative().optional(),
  linesRemoved: z.number().int().nonnegative().optional(),
  /** True when the event was found by a rescan after the watcher missed it. */
  reconciled: z.boolean().optional(),
};

/** File system events. Paths are relative to the project root; contents are never recorded. */
export const fileEvents = [
  defineEvent("file.created", "file", z.strictObject(fileFacts)),
  defineEvent("file.changed", "file", z.strictObject(fileFacts)),
  defineEvent("file.deleted", "file", z.strictObject(fileFacts)),
  defineEvent(
    "file.renamed",
    "file",
    z.strictObject({ ...fileFacts, oldPath: RelativePathSchema }),
  ),
] as const;
