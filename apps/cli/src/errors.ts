/**
 * The error codes @devflow/cli throws, each with its one-line meaning (the README's table lists the
 * same). They are added to `DevflowErrorCodes` of `@devflow/events`, so `DevflowErrorCode` — the
 * type of `DevflowError.code` — accepts exactly the listed codes of every package a program uses.
 */
import type { ErrorCodes } from "@devflow/events";

/** Every code @devflow/cli throws, with its meaning. */
export const CLI_ERRORS = {
  CLI_BAD_ARGUMENT: "A command-line argument or flag is invalid (the message names it).",
  CLI_INTERNAL: "An invariant of the CLI was broken (a bug; please report it).",
} as const;

/** A code of {@link CLI_ERRORS}. */
export type CliErrorCode = keyof typeof CLI_ERRORS;

declare module "@devflow/events" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface DevflowErrorCodes extends ErrorCodes<typeof CLI_ERRORS> {}
}
