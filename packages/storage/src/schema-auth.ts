/**
 * @module schema-auth
 * The drizzle-orm tables of accounts and credentials (`@devflow/security`'s `AuthStore` and
 * `VaultStore`). Secrets are never stored in the clear: passwords as scrypt hashes, refresh
 * tokens and API keys as SHA-256 digests, vault values as AES-256-GCM ciphertexts. Like
 * `schema.ts`, this file imports nothing but drizzle-orm so drizzle-kit can load it alone.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Local accounts. `username` is stored normalised (trimmed, lower case) and unique. */
export const usersTable = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  passwordChangedAt: text("password_changed_at").notNull(),
  disabledAt: text("disabled_at"),
});

/**
 * Role bindings: a role for a principal, global (`project_id` = '' ) or on one project. One
 * binding per principal and scope; `''` stands for global so the primary key can cover it.
 */
export const roleBindingsTable = sqliteTable(
  "role_bindings",
  {
    principalId: text("principal_id").notNull(),
    projectId: text("project_id").notNull().default(""),
    role: text("role").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.projectId] })],
);

/** Login sessions; an access token is valid only while its session is. */
export const sessionsTable = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    revokedAt: text("revoked_at"),
    revokeReason: text("revoke_reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("idx_sessions_user").on(t.userId)],
);

/**
 * Refresh tokens by SHA-256 digest; `family_id` is the session. `rotated_at` marks a used
 * token and `replaced_by` its successor; reuse of a rotated token revokes the family.
 */
export const refreshTokensTable = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    rotatedAt: text("rotated_at"),
    replacedBy: text("replaced_by"),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    index("idx_refresh_tokens_family").on(t.familyId),
    index("idx_refresh_tokens_user").on(t.userId),
  ],
);

/** API keys: public lookup id and SHA-256 digest only; scopes are a JSON array. */
export const apiKeysTable = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    keyHash: text("key_hash").notNull(),
    name: text("name").notNull(),
    userId: text("user_id").notNull(),
    kind: text("kind").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    projectId: text("project_id"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at"),
    lastUsedAt: text("last_used_at"),
    useCount: integer("use_count").notNull().default(0),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("idx_api_keys_user").on(t.userId)],
);

/** Login throttling state per key (`user:<name>` or `ip:<address>`). */
export const loginThrottleTable = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: text("window_start").notNull(),
  lockedUntil: text("locked_until"),
  lockouts: integer("lockouts").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/**
 * The secrets vault: AES-256-GCM ciphertexts (`v1.<keyVersion>.<nonce>.<ct>.<tag>`) bound by
 * AAD to `vault_secrets/<name>/value`; `key_version` mirrors the version for re-encryption.
 */
export const vaultSecretsTable = sqliteTable(
  "vault_secrets",
  {
    name: text("name").primaryKey(),
    ciphertext: text("ciphertext").notNull(),
    keyVersion: integer("key_version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("idx_vault_secrets_key_version").on(t.keyVersion)],
);
