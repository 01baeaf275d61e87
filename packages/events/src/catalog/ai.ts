import { z } from "zod";
import { defineEvent, NameSchema, RelativePathSchema } from "../envelope.js";

const session = {
  /** The assistant: `claude-code`, `codex`, `gemini-cli`, `aider`, `cursor`, … */
  tool: NameSchema,
  sessionId: NameSchema,
};
const tokens = z.number().int().nonnegative();
const confidence = z.enum(["high", "medium", "low"]);
/** The session's working directory (absolute), kept for sessions outside registered projects. */
const cwd = z.string().max(4096).optional();

/** AI-assistant events read from the assistants' local records. */
export const aiEvents = [
  defineEvent(
    "ai.session_started",
    "ai",
    z.strictObject({
      ...session,
      model: NameSchema.optional(),
      cwd,
      /** How the session was found: its transcript, or only the process table. */
      detectedBy: z.enum(["transcript", "process", "hook"]).optional(),
      pid: z.number().int().positive().optional(),
      isSubagent: z.boolean().optional(),
      parentSessionId: NameSchema.optional(),
      /** `cli`, `ide`, `desktop`, `exec`, `sdk`, … as the tool reports it. */
      entrypoint: NameSchema.optional(),
    }),
  ),
  defineEvent(
    "ai.session_ended",
    "ai",
    z.strictObject({
      ...session,
      durationMs: z.number().nonnegative().optional(),
      /** `idle` (no activity for the idle timeout) or `process_gone`. */
      reason: z.enum(["idle", "process_gone", "exit"]).optional(),
      /** Last activity seen, ms UTC. */
      lastActivity: z.number().int().nonnegative().optional(),
    }),
  ),
  defineEvent(
    "ai.prompt",
    "ai",
    z.strictObject({
      ...session,
      chars: z.number().int().nonnegative(),
      /** Prompt text, only as much as the privacy setting allows. */
      text: z.string().max(65_536).optional(),
      /** `user` (typed), `slash_command` or `queued`. */
      kind: z.enum(["user", "slash_command", "queued"]).optional(),
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
      /** Cache writes of every lifetime (5 min and 1 h together). */
      cacheWriteTokens: tokens.optional(),
      /** The part of `cacheWriteTokens` written with a 1 h lifetime. */
      cacheWrite1hTokens: tokens.optional(),
      /** Reasoning tokens (already inside `outputTokens` for Codex and Gemini). */
      reasoningTokens: tokens.optional(),
      costUsd: z.number().nonnegative().optional(),
      /** `reported` by the tool, `calculated` from the price table, or `unknown_model`. */
      costSource: z.enum(["reported", "calculated", "unknown_model"]).optional(),
      /** The de-duplication key of the request (see the monitors README). */
      requestKey: z.string().min(1).max(512).optional(),
      /** A sidechain (subagent or `/btw`) copy: loses against the main-chain copy. */
      sidechain: z.boolean().optional(),
      /** `fast` when the request ran in a priority/fast tier. */
      speed: z.enum(["standard", "fast"]).optional(),
      /** Claude's streaming placeholder input count (0 or 1): the input is undercounted. */
      placeholderInput: z.boolean().optional(),
      cwd,
    }),
  ),
  defineEvent(
    "ai.tool_use",
    "ai",
    z.strictObject({
      ...session,
      name: NameSchema,
      path: RelativePathSchema.optional(),
      toolUseId: NameSchema.optional(),
      category: z
        .enum([
          "edit",
          "write",
          "read",
          "shell",
          "search",
          "web",
          "mcp",
          "subagent",
          "plan",
          "other",
        ])
        .optional(),
      status: z.enum(["ok", "error", "denied", "interrupted"]).optional(),
    }),
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
      toolUseId: NameSchema.optional(),
      op: z.enum(["create", "modify", "delete"]).optional(),
      /** Where the hunk came from: `structuredPatch`, `apply_patch`, `write`, `replace`, … */
      via: NameSchema.optional(),
    }),
  ),
  defineEvent(
    "ai.commit_attributed",
    "ai",
    z.strictObject({
      hash: z.string().regex(/^[0-9a-f]{7,64}$/),
      /** The strongest evidence's tool (`unknown` when only lines matched an unknown tool). */
      tool: NameSchema,
      method: z.enum([
        "trailer",
        "author",
        "fingerprint",
        "session",
        "notes",
        "branch",
        "footer",
        "bot",
        "hook",
      ]),
      share: z.number().min(0).max(1).optional(),
      /** The commit's confidence tier: the strongest evidence's. */
      confidence: confidence.optional(),
      tools: z.array(NameSchema).max(16).optional(),
      evidence: z
        .array(
          z.strictObject({
            kind: NameSchema,
            detail: z.string().max(1024),
            confidence,
            tool: NameSchema.optional(),
          }),
        )
        .max(64)
        .optional(),
      linesAdded: z.number().int().nonnegative().optional(),
      aiLinesAdded: z.number().int().nonnegative().optional(),
      /** Added lines matched to AI edits, per file: 1-based `[first, last]` line ranges in the commit's version. */
      aiLines: z
        .record(
          z.string().max(4096),
          z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])).max(10_000),
        )
        .optional(),
    }),
  ),
] as const;
