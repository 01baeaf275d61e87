import { z } from "zod";
import { defineEvent, NameSchema, RelativePathSchema } from "../envelope.js";

const session = {
  /** The assistant: `claude-code`, `codex`, `gemini-cli`, `aider`, `cursor`, … */
  tool: NameSchema,
  sessionId: NameSchema,
};
const tokens = z.number().int().nonnegative();

/** AI-assistant events read from the assistants' local records. */
export const aiEvents = [
  defineEvent(
    "ai.session_started",
    "ai",
    z.strictObject({
      ...session,
      model: NameSchema.optional(),
      cwd: z.string().max(4096).optional(),
    }),
  ),
  defineEvent(
    "ai.session_ended",
    "ai",
    z.strictObject({ ...session, durationMs: z.number().nonnegative().optional() }),
  ),
  defineEvent(
    "ai.prompt",
    "ai",
    z.strictObject({
      ...session,
      chars: z.number().int().nonnegative(),
      /** Prompt text, only as much as the privacy setting allows. */
      text: z.string().max(65_536).optional(),
    }),
  ),
  defineEvent(
    "ai.usage",
    "ai",
    z.strictObject({
      ...session,
      model: NameSchema,
      inputTokens: tokens,
      outputTokens: tokens,
      cacheReadTokens: tokens.optional(),
      cacheWriteTokens: tokens.optional(),
      costUsd: z.number().nonnegative().optional(),
    }),
  ),
  defineEvent(
    "ai.tool_use",
    "ai",
    z.strictObject({ ...session, name: NameSchema, path: RelativePathSchema.optional() }),
  ),
  defineEvent(
    "ai.edit",
    "ai",
    z.strictObject({
      ...session,
      path: RelativePathSchema,
      linesAdded: z.number().int().nonnegative(),
      linesRemoved: z.number().int().nonnegative(),
      /** Hashes of normalised added lines, for matching against commit diffs. */
      fingerprints: z.array(z.string().max(128)).max(10_000).optional(),
    }),
  ),
  defineEvent(
    "ai.commit_attributed",
    "ai",
    z.strictObject({
      hash: z.string().regex(/^[0-9a-f]{7,64}$/),
      tool: NameSchema,
      method: z.enum(["trailer", "author", "fingerprint", "session"]),
      share: z.number().min(0).max(1).optional(),
    }),
  ),
] as const;
