/**
 * The error codes @devflow/storage throws, each with its one-line meaning (the README's table lists the
 * same). They are added to `DevflowErrorCodes` of `@devflow/events`, so `DevflowErrorCode` — the
 * type of `DevflowError.code` — accepts exactly the listed codes of every package a program uses.
 */
import type { ErrorCodes } from "@devflow/events";

/** Every code @devflow/storage throws, with its meaning. */
export const STORAGE_ERRORS = {
  STORAGE_BAD_ARGUMENT: "An argument passed to a storage method is invalid (the message names it).",
  STORAGE_UNKNOWN_PROJECT:
    "No registered project matches the id, name or path; the message lists the choices.",
  STORAGE_AMBIGUOUS_PROJECT: "Several projects match a name or path; the message lists them.",
  STORAGE_CONFLICT: "A row with the same unique key (e.g. project root path) exists.",
  STORAGE_OPEN_FAILED: "The database file cannot be opened or migrated.",
  STORAGE_BACKUP_EXISTS: "The backup target exists; storage refuses to overwrite it.",
  STORAGE_BACKUP_FAILED: "Writing a backup failed.",
  STORAGE_EXPORT_FAILED: "A JSONL export failed.",
  STORAGE_IMPORT_INVALID: "An import file is not a DevFlow export, or a line of it is malformed.",
  STORAGE_IMPORT_FAILED: "An import failed while reading or writing.",
  STORAGE_INTERNAL: "An invariant of @devflow/storage was broken (a bug; please report it).",
} as const;

/** A code of {@link STORAGE_ERRORS}. */
export type StorageErrorCode = keyof typeof STORAGE_ERRORS;

declare module "@devflow/events" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface DevflowErrorCodes extends ErrorCodes<typeof STORAGE_ERRORS> {}
}
