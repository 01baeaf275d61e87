/**
 * The error codes @devflow/monitors throws, each with its one-line meaning (the README's table lists the
 * same). They are added to `DevflowErrorCodes` of `@devflow/events`, so `DevflowErrorCode` — the
 * type of `DevflowError.code` — accepts exactly the listed codes of every package a program uses.
 */
import type { ErrorCodes } from "@devflow/events";

/** Every code @devflow/monitors throws, with its meaning. */
export const MONITORS_ERRORS = {
  MONITORS_BAD_ARGUMENT:
    "An argument passed to a monitor function is invalid (the message names it).",
  MONITORS_NO_PROJECT: "A monitor was started without a project in its context.",
  MONITORS_ROOT_NOT_FOUND: "A project's root folder does not exist.",
  MONITORS_NOT_A_REPOSITORY: "A folder is not a git work tree.",
  MONITORS_GIT_FAILED: "git could not be run or failed.",
  MONITORS_ABORTED: "A git run was aborted by its signal.",
  MONITORS_OUTSIDE_PROJECT: "A command's folder is not inside the project.",
  MONITORS_RUN_FAILED: "A measured command could not be started.",
  MONITORS_BAD_REPORT: "A test or benchmark report file cannot be parsed.",
  MONITORS_PULSETIME_TOO_LONG: "The engine's pulsetime exceeds the activity idle gap.",
  MONITORS_INTERNAL: "An invariant of @devflow/monitors was broken (a bug; please report it).",
} as const;

/** A code of {@link MONITORS_ERRORS}. */
export type MonitorsErrorCode = keyof typeof MONITORS_ERRORS;

declare module "@devflow/events" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface DevflowErrorCodes extends ErrorCodes<typeof MONITORS_ERRORS> {}
}
