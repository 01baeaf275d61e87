/** Row shapes of the auth tables and their mapping to `@devflow/security` records. */
import type {
  ApiKeyRecord,
  Permission,
  RefreshTokenRecord,
  SessionRecord,
  ThrottleRecord,
  UserRecord,
} from "@devflow/security";

/** A `users` row. */
export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  must_change_password: number;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
  disabled_at: string | null;
}

/** A `sessions` row. */
export interface SessionRow {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  revoke_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** A `refresh_tokens` row. */
export interface RefreshRow {
  token_hash: string;
  family_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  rotated_at: string | null;
  replaced_by: string | null;
  revoked_at: string | null;
}

/** An `api_keys` row. */
export interface ApiKeyRow {
  id: string;
  key_hash: string;
  name: string;
  user_id: string;
  kind: string;
  scopes: string;
  project_id: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  use_count: number;
  revoked_at: string | null;
}

/** A `login_throttle` row. */
export interface ThrottleRow {
  key: string;
  failures: number;
  window_start: string;
  locked_until: string | null;
  lockouts: number;
  updated_at: string;
}

/** Maps a `users` row. */
export function toUser(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    mustChangePassword: r.must_change_password === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordChangedAt: r.password_changed_at,
    disabledAt: r.disabled_at,
  };
}

/** Maps a `sessions` row. */
export function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

/** Maps a `refresh_tokens` row. */
export function toRefresh(r: RefreshRow): RefreshTokenRecord {
  return {
    tokenHash: r.token_hash,
    familyId: r.family_id,
    userId: r.user_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    rotatedAt: r.rotated_at,
    replacedBy: r.replaced_by,
    revokedAt: r.revoked_at,
  };
}

/** Maps an `api_keys` row. */
export function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: r.id,
    keyHash: r.key_hash,
    name: r.name,
    userId: r.user_id,
    kind: r.kind === "test" ? "test" : "live",
    scopes: JSON.parse(r.scopes) as Permission[],
    projectId: r.project_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    useCount: r.use_count,
    revokedAt: r.revoked_at,
  };
}

/** Maps a `login_throttle` row. */
export function toThrottle(r: ThrottleRow): ThrottleRecord {
  return {
    key: r.key,
    failures: r.failures,
    windowStart: r.window_start,
    lockedUntil: r.locked_until,
    lockouts: r.lockouts,
    updatedAt: r.updated_at,
  };
}
