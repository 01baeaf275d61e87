import { z } from "zod";
import { defineEvent, NameSchema, RelativePathSchema } from "../envelope.js";

const run = {
  runId: NameSchema,
  /** The detected tool: `vitest`, `jest`, `pytest`, `cargo`, `tsc`, `webpack`, `make`, … */
  tool: NameSchema,
  kind: z.enum(["build", "test"]),
  command: z.string().max(4096).optional(),
};
const count = z.number().int().nonnegative();
const percent = z.number().min(0).max(100);

/** Build and test runs, from the process table and from report files. */
export const runEvents = [
  defineEvent("build.started", "build", z.strictObject(run)),
  defineEvent(
    "build.finished",
    "build",
    z.strictObject({
      ...run,
      /** `null` when unknown: a run seen only in the process table, or one ended by a signal. */
      exitCode: z.number().int().nullable(),
      /**
       * `null` when unknown: a run seen only in the process table, without a test report to
       * tell how it went. Never guessed.
       */
      success: z.boolean().nullable(),
      durationMs: z.number().nonnegative(),
    }),
  ),
  defineEvent(
    "test.run_finished",
    "test",
    z.strictObject({
      runId: NameSchema.optional(),
      tool: NameSchema,
      /** Where the figures came from. */
      origin: z.enum(["process", "junit", "coverage"]),
      report: RelativePathSchema.optional(),
      passed: count.optional(),
      failed: count.optional(),
      skipped: count.optional(),
      durationMs: z.number().nonnegative().optional(),
      coverage: z
        .strictObject({
          lines: percent.optional(),
          branches: percent.optional(),
          functions: percent.optional(),
          statements: percent.optional(),
        })
        .optional(),
    }),
  ),
] as const;
