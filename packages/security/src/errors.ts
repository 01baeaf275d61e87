/**
 * The error codes @devflow/security throws, each with its one-line meaning (the README's table lists the
 * same). They are added to `DevflowErrorCodes` of `@devflow/events`, so `DevflowErrorCode` — the
 * type of `DevflowError.code` — accepts exactly the listed codes of every package a program uses.
 */
import type { ErrorCodes } from "@devflow/events";

/** Every code @devflow/security throws, with its meaning. */
export const SECURITY_ERRORS = {
  SECURITY_BAD_ARGUMENT:
    "An argument passed to a security function is invalid (the message names it).",
  SECURITY_FORBIDDEN: "The caller's role lacks the permission the action needs.",
  SECURITY_INVALID_ROLE: "A role name is not one of the known roles.",
  SECURITY_INVALID_PERMISSION: "A permission name is not one of the known permissions.",
  SECURITY_INVALID_USERNAME: "A username is empty, too long or has characters not allowed.",
  SECURITY_USER_EXISTS: "A user with that name already exists.",
  SECURITY_USER_NOT_FOUND: "No user has that name or id.",
  SECURITY_LAST_ADMIN: "The change would leave no admin.",
  SECURITY_BAD_PASSWORD: "A password is not a non-empty string of at most 1024 characters.",
  SECURITY_WEAK_PASSWORD: "A new password fails the password policy.",
  SECURITY_PASSWORD_HASH_MALFORMED: "A stored password hash is not in the expected format.",
  SECURITY_LOGIN_FAILED: "The username or password is wrong.",
  SECURITY_LOGIN_LOCKED: "Too many failed logins; the account is locked for a while.",
  SECURITY_NO_KEY: "No JWT signing key is configured.",
  SECURITY_WEAK_KEY: "A signing key is too short or too simple.",
  SECURITY_KEYRING_INVALID: "A key ring (signing keys or encryption keys) is malformed.",
  SECURITY_KEYS_MISSING: "The encryption key file cannot be read.",
  SECURITY_DECRYPT_FAILED: "A value cannot be decrypted (wrong key, tampered data or wrong AAD).",
  SECURITY_INVALID_AAD: "Additional authenticated data parts are empty or contain NUL.",
  SECURITY_TOKEN_MALFORMED: "A token is not a well-formed JWT.",
  SECURITY_TOKEN_ALG: "A token uses an algorithm that is not allowed.",
  SECURITY_TOKEN_KID: "A token names an unknown or retired signing key.",
  SECURITY_TOKEN_SIGNATURE: "A token's signature does not verify.",
  SECURITY_TOKEN_EXPIRED: "A token has expired.",
  SECURITY_TOKEN_NOT_YET_VALID: "A token is not valid yet (nbf/iat in the future).",
  SECURITY_TOKEN_CLAIM: "A token claim (iss, aud, sub, \u2026) is missing or wrong.",
  SECURITY_TOKEN_TYPE: "A token of the wrong type was given (access vs refresh).",
  SECURITY_SESSION_REVOKED: "The session of a token was revoked or has ended.",
  SECURITY_REFRESH_INVALID: "A refresh token is unknown, expired or malformed.",
  SECURITY_REFRESH_REUSED: "A refresh token was used twice; its session is revoked.",
  SECURITY_REFRESH_RACE: "A refresh token was just used by a concurrent request.",
  SECURITY_API_KEY_MALFORMED: "An API key does not have the dfk_ format.",
  SECURITY_API_KEY_CHECKSUM: "An API key's checksum does not match (a typo).",
  SECURITY_API_KEY_INVALID: "An API key is unknown, expired or revoked.",
  SECURITY_API_KEY_EXISTS: "An API key with that name or id already exists.",
  SECURITY_API_KEY_NOT_FOUND: "No API key has that id.",
  SECURITY_INVALID_AUDIT_ENTRY: "An audit entry is missing fields or has invalid ones.",
  SECURITY_SECRET_IN_AUDIT: "An audit entry's details carry a secret-named field.",
  SECURITY_INTERNAL: "An invariant of @devflow/security was broken (a bug; please report it).",
} as const;

/** A code of {@link SECURITY_ERRORS}. */
export type SecurityErrorCode = keyof typeof SECURITY_ERRORS;

declare module "@devflow/events" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface DevflowErrorCodes extends ErrorCodes<typeof SECURITY_ERRORS> {}
}
