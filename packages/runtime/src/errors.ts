/**
 * The error codes @devflow/runtime throws, each with its one-line meaning (the README's table lists the
 * same). They are added to `DevflowErrorCodes` of `@devflow/events`, so `DevflowErrorCode` — the
 * type of `DevflowError.code` — accepts exactly the listed codes of every package a program uses.
 */
import { EVENTS_ERRORS, type DevflowErrorCode, type ErrorCodes } from "@devflow/events";
import { ANALYZERS_ERRORS } from "@devflow/analyzers";
import { TOOLS_ERRORS } from "@devflow/mcp-tools";
import { MONITORS_ERRORS } from "@devflow/monitors";
import { SECURITY_ERRORS } from "@devflow/security";
import { STORAGE_ERRORS } from "@devflow/storage";

/** Every code @devflow/runtime throws, with its meaning. */
export const RUNTIME_ERRORS = {
  RUNTIME_BAD_PROJECT: "A project folder to add is not an existing directory.",
  RUNTIME_ALREADY_RUNNING: "Another DevFlow already owns this home.",
  RUNTIME_LOCK_BUSY: "The home lock kept changing hands; try again.",
  RUNTIME_CONTROL_UNAVAILABLE: "The control channel of the running DevFlow cannot be reached.",
  RUNTIME_CONTROL_BAD_REQUEST: "A control-channel request is malformed or too long.",
  RUNTIME_CONTROL_FAILED: "A control-channel request failed in the running DevFlow.",
  RUNTIME_BAD_CLAUDE_CONFIG: "The Claude Desktop config file is not a JSON object.",
  RUNTIME_BAD_GRACE: "A signing-key grace period is shorter than the token lifetime plus skew.",
  CONFIG_UNREADABLE: "A configuration file cannot be read or parsed.",
  CONFIG_INVALID: "The configuration does not match its schema (the message lists each issue).",
  SECURITY_KEY_FILE_PERMISSIONS: "The key file is readable by other users (chmod 600 it).",
  SECURITY_KEYS_FROM_ENV: "Keys come from the environment; rotate them there.",
  SECURITY_KEY_IN_USE: "A key version still encrypts values; re-encrypt before retiring it.",
  RUNTIME_INTERNAL: "An invariant of @devflow/runtime was broken (a bug; please report it).",
} as const;

/** A code of {@link RUNTIME_ERRORS}. */
export type RuntimeErrorCode = keyof typeof RUNTIME_ERRORS;

const KNOWN_CODES: ReadonlySet<string> = new Set(
  [
    EVENTS_ERRORS,
    SECURITY_ERRORS,
    STORAGE_ERRORS,
    MONITORS_ERRORS,
    ANALYZERS_ERRORS,
    TOOLS_ERRORS,
    RUNTIME_ERRORS,
  ].flatMap((list) => Object.keys(list)),
);

/**
 * The code itself when `code` (e.g. read from the control channel) is one a package lists,
 * otherwise `undefined`.
 */
export function knownErrorCode(code: string): DevflowErrorCode | undefined {
  return KNOWN_CODES.has(code) ? (code as DevflowErrorCode) : undefined;
}

declare module "@devflow/events" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface DevflowErrorCodes extends ErrorCodes<typeof RUNTIME_ERRORS> {}
}
