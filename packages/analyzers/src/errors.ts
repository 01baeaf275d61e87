/**
 * The error codes @devflow/analyzers throws, each with its one-line meaning (the README's table lists the
 * same). They are added to `DevflowErrorCodes` of `@devflow/events`, so `DevflowErrorCode` — the
 * type of `DevflowError.code` — accepts exactly the listed codes of every package a program uses.
 */
import type { ErrorCodes } from "@devflow/events";

/** Every code @devflow/analyzers throws, with its meaning. */
export const ANALYZERS_ERRORS = {
  ANALYZERS_BAD_ARGUMENT:
    "An option or input passed to an analyzer is invalid (the message names it).",
  ANALYZERS_TOO_LARGE: "An aggregate has more distinct entities than it can count.",
  ANALYZERS_INVALID_EVENT: "An analyzer could not build a valid event from its result (a bug).",
  ANALYZERS_INTERNAL: "An invariant of @devflow/analyzers was broken (a bug; please report it).",
} as const;

/** A code of {@link ANALYZERS_ERRORS}. */
export type AnalyzersErrorCode = keyof typeof ANALYZERS_ERRORS;

declare module "@devflow/events" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface DevflowErrorCodes extends ErrorCodes<typeof ANALYZERS_ERRORS> {}
}
