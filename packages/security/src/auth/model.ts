/**
 * The records and store interfaces of accounts, sessions, refresh tokens, API keys, login
 * throttling and the secrets vault. `@devflow/security` owns these interfaces;
 * `@devflow/storage` implements them on SQLite. Instants are ISO 8601 UTC strings.
 */
import type { ApiKeyKind } from "../api-keys.js";
import type { Permission, RoleBinding } from "../rbac.js";

/** A local account. The password is stored only as a scrypt hash. */
export interface UserRecord {
  readonly id: string;
  /** Normalised: trimmed, lower case, `[a-z0-9._@-]`, 1–64 characters. */
  readonly username: string;
  readonly passwordHash: string;
  /** Set for the bootstrap admin until the first password change. */
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly passwordChangedAt: string;
  /** When the account was disabled; null while enabled. */
  readonly disabledAt: string | null;
}

/** The fields of a user that may change after creation. */
export type UserPatch = Partial<
  Pick<UserRecord, "passwordHash" | "mustChangePassword" | "passwordChangedAt" | "disabledAt">
> & { readonly updatedAt: string };

/** A login session: access tokens carry its id (`sid`) and are valid only while it is. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: string;
  /** Absolute end of the session (the refresh-token lifetime). */
  readonly expiresAt: string;
  readonly lastSeenAt: string;
  readonly revokedAt: string | null;
  /** Why: `logout`, `password_changed`, `role_changed`, `user_disabled`, `refresh_reuse`, … */
  readonly revokeReason: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** A refresh token, stored by SHA-256 digest; its family is its session. */
export interface RefreshTokenRecord {
  readonly tokenHash: string;
  readonly familyId: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** When it was exchanged for its successor; a rotated token must never be used again. */
  readonly rotatedAt: string | null;
  /** The digest of its successor. */
  readonly replacedBy: string | null;
  readonly revokedAt: string | null;
}

/** What {@link AuthStore.rotateRefresh} did, atomically. */
export type RotateOutcome =
  /** The token was live; it is now rotated and `next` stored. */
  | { readonly status: "rotated"; readonly previous: RefreshTokenRecord }
  /**
   * The token was rotated within the grace period and its successor is still unused: a
   * concurrent refresh lost the race. Nothing was issued or revoked.
   */
  | { readonly status: "race"; readonly previous: RefreshTokenRecord }
  /** A rotated token was replayed: the whole family (and its session) is now revoked. */
  | { readonly status: "reuse"; readonly previous: RefreshTokenRecord; readonly revoked: number }
  | { readonly status: "revoked"; readonly previous: RefreshTokenRecord }
  | { readonly status: "expired"; readonly previous: RefreshTokenRecord }
  | { readonly status: "unknown" };

/** A stored API key: lookup id and digest, never the key. */
export interface ApiKeyRecord {
  /** Public lookup id (first 8 body characters), shown in listings. */
  readonly id: string;
  readonly keyHash: string;
  readonly name: string;
  /** The owning user; the key never has more rights than its owner. */
  readonly userId: string;
  readonly kind: ApiKeyKind;
  /** The permissions the key may use (a subset of its owner's). */
  readonly scopes: readonly Permission[];
  /** The one project the key is limited to; null = the owner's projects. */
  readonly projectId: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly useCount: number;
  readonly revokedAt: string | null;
}

/** Failed-login bookkeeping for one key (`user:<name>` or `ip:<address>`). */
export interface ThrottleRecord {
  readonly key: string;
  /** Failures since `windowStart`. */
  readonly failures: number;
  readonly windowStart: string;
  /** Logins for this key are refused until then; null when not locked. */
  readonly lockedUntil: string | null;
  /** Lockouts so far (the lock doubles each time), reset by a successful login. */
  readonly lockouts: number;
  readonly updatedAt: string;
}

/**
 * Persistence of accounts and credentials. Every method is atomic; `rotateRefresh` and
 * `updateThrottle` must be serialised against concurrent callers (one transaction each).
 */
export interface AuthStore {
  /** @throws DevflowError `SECURITY_USER_EXISTS` when the username is taken. */
  createUser(user: UserRecord, bindings: readonly RoleBinding[]): Promise<void>;
  userById(id: string): Promise<UserRecord | null>;
  userByName(username: string): Promise<UserRecord | null>;
  listUsers(): Promise<readonly UserRecord[]>;
  countUsers(): Promise<number>;
  /** @returns false when there is no such user. */
  updateUser(id: string, patch: UserPatch): Promise<boolean>;

  bindingsOf(principalId: string): Promise<readonly RoleBinding[]>;
  /** Sets the role of a principal on a scope (replacing the previous role on that scope). */
  putBinding(binding: RoleBinding, at: string): Promise<void>;
  /** @returns false when there was no binding on that scope. */
  removeBinding(principalId: string, projectId: string | null): Promise<boolean>;

  /** Stores a new session with its first refresh token. */
  createSession(session: SessionRecord, refresh: RefreshTokenRecord): Promise<void>;
  session(id: string): Promise<SessionRecord | null>;
  /** Records activity (at most one write per call). */
  touchSession(id: string, at: string): Promise<void>;
  /** Revokes one session and its refresh tokens; false when unknown or already revoked. */
  revokeSession(id: string, reason: string, at: string): Promise<boolean>;
  /** Revokes every live session (and refresh token) of a user; returns how many sessions. */
  revokeUserSessions(userId: string, reason: string, at: string): Promise<number>;
  listSessions(userId: string): Promise<readonly SessionRecord[]>;

  /**
   * In one transaction: looks `tokenHash` up and, when live (not rotated, revoked or expired
   * at `now`), marks it rotated and inserts its successor `nextHash` with the same family,
   * user and absolute expiry. A token rotated less than `graceMs` ago whose successor is
   * still unused is a lost race; any other use of a rotated token revokes the family and its
   * session.
   */
  rotateRefresh(
    tokenHash: string,
    nextHash: string,
    now: string,
    graceMs: number,
  ): Promise<RotateOutcome>;
  refreshTokensOf(familyId: string): Promise<readonly RefreshTokenRecord[]>;

  /** @throws DevflowError `SECURITY_API_KEY_EXISTS` on an id collision. */
  createApiKey(key: ApiKeyRecord): Promise<void>;
  apiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(userId?: string): Promise<readonly ApiKeyRecord[]>;
  /** @returns false when unknown or already revoked. */
  revokeApiKey(id: string, at: string): Promise<boolean>;
  /** Sets `last_used_at` and adds `uses` to `use_count`. */
  touchApiKey(id: string, at: string, uses: number): Promise<void>;

  /**
   * Reads the record of `key`, applies `update` and writes the result (null deletes), in one
   * transaction; returns what was written. `update` must be synchronous and pure.
   */
  updateThrottle(
    key: string,
    update: (previous: ThrottleRecord | null) => ThrottleRecord | null,
  ): Promise<ThrottleRecord | null>;
  throttle(key: string): Promise<ThrottleRecord | null>;
}

/** A stored, encrypted vault entry. */
export interface VaultRecord {
  readonly name: string;
  /** `v1.<keyVersion>.<nonce>.<ciphertext>.<tag>` from `encryptField`. */
  readonly ciphertext: string;
  readonly keyVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Persistence of the secrets vault (ciphertexts only). */
export interface VaultStore {
  put(record: VaultRecord): Promise<void>;
  get(name: string): Promise<VaultRecord | null>;
  list(): Promise<readonly VaultRecord[]>;
  /** @returns false when there was no such entry. */
  delete(name: string): Promise<boolean>;
  /**
   * Replaces the ciphertext of `name` only if it still equals `expected` (compare-and-set, so
   * a concurrent write is never lost by re-encryption). @returns whether it replaced it.
   */
  replaceCiphertext(
    name: string,
    expected: string,
    ciphertext: string,
    keyVersion: number,
  ): Promise<boolean>;
  /** How many entries each key version encrypts. */
  countByKeyVersion(): Promise<ReadonlyMap<number, number>>;
}
