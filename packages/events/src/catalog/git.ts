import { z } from "zod";
import { defineEvent, NameSchema } from "../envelope.js";

const hash = z.string().regex(/^[0-9a-f]{7,64}$/, "must be a hex commit hash");
const person = z.strictObject({ name: z.string().max(512), email: z.string().max(512).optional() });

/** One commit: the facts analytics need (numstat totals, trailers, conventional type). */
const commitData = z.strictObject({
  hash,
  parents: z.array(hash),
  branch: NameSchema.optional(),
  author: person,
  committer: person.optional(),
  authoredAt: z.number().int().nonnegative(),
  committedAt: z.number().int().nonnegative().optional(),
  /** The subject/body as far as the privacy setting allows (`full`, `redacted` or absent). */
  message: z.string().max(65_536).optional(),
  conventionalType: NameSchema.optional(),
  conventionalScope: NameSchema.optional(),
  breaking: z.boolean().optional(),
  trailers: z.record(z.string(), z.array(z.string().max(4096))).optional(),
  isMerge: z.boolean(),
  filesChanged: z.number().int().nonnegative(),
  insertions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** True when found by history import rather than seen live. */
  imported: z.boolean().optional(),
});

/** Git repository events. */
export const gitEvents = [
  defineEvent("git.commit", "git", commitData),
  defineEvent(
    "git.branch_created",
    "git",
    z.strictObject({ branch: NameSchema, hash: hash.optional() }),
  ),
  defineEvent(
    "git.branch_deleted",
    "git",
    z.strictObject({ branch: NameSchema, hash: hash.optional() }),
  ),
  defineEvent(
    "git.branch_switched",
    "git",
    z.strictObject({ from: NameSchema.optional(), to: NameSchema, hash: hash.optional() }),
  ),
  defineEvent(
    "git.merge",
    "git",
    z.strictObject({
      hash,
      parents: z.array(hash),
      into: NameSchema.optional(),
      from: NameSchema.optional(),
    }),
  ),
  defineEvent(
    "git.tag",
    "git",
    z.strictObject({
      tag: NameSchema,
      hash,
      annotated: z.boolean().optional(),
      action: z.enum(["created", "deleted"]).default("created"),
    }),
  ),
  defineEvent(
    "git.rebase",
    "git",
    z.strictObject({
      branch: NameSchema.optional(),
      onto: hash.optional(),
      from: hash.optional(),
      to: hash.optional(),
      commits: z.number().int().nonnegative().optional(),
    }),
  ),
  defineEvent(
    "git.stash",
    "git",
    z.strictObject({
      action: z.enum(["push", "pop", "apply", "drop", "clear"]),
      ref: NameSchema.optional(),
      count: z.number().int().nonnegative().optional(),
    }),
  ),
  defineEvent(
    "git.push",
    "git",
    z.strictObject({
      remote: NameSchema,
      branch: NameSchema,
      from: hash.optional(),
      to: hash.optional(),
      commits: z.number().int().nonnegative().optional(),
    }),
  ),
  /** A bulk import of a repository's history finished (its commits are stored, not emitted). */
  defineEvent(
    "git.history_imported",
    "git",
    z.strictObject({
      commits: z.number().int().nonnegative(),
      skipped: z.number().int().nonnegative(),
      files: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      durationMs: z.number().nonnegative(),
    }),
  ),
] as const;
