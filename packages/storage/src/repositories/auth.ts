/**
 * The SQLite implementation of `@devflow/security`'s {@link AuthStore}: users, role bindings,
 * sessions, refresh-token families, API keys and login throttling. Multi-row changes run in
 * `BEGIN IMMEDIATE` transactions, so concurrent callers on any connection are serialised
 * (refresh rotation and throttle updates never lose a write).
 */
import type Database from "better-sqlite3";
import { DevflowError } from "@devflow/events";
import type {
  ApiKeyRecord,
  AuthStore,
  RefreshTokenRecord,
  Role,
  RoleBinding,
  RotateOutcome,
  SessionRecord,
  ThrottleRecord,
  UserPatch,
  UserRecord,
} from "@devflow/security";
import {
  type ApiKeyRow,
  type RefreshRow,
  type SessionRow,
  type ThrottleRow,
  type UserRow,
  toApiKey,
  toRefresh,
  toSession,
  toThrottle,
  toUser,
} from "./auth-rows.js";

function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

function isUniqueViolation(err: unknown): boolean {
  return (
    err instanceof Error &&
    "code" in err &&
    (err.code === "SQLITE_CONSTRAINT_PRIMARYKEY" || err.code === "SQLITE_CONSTRAINT_UNIQUE")
  );
}

/** Accounts and credentials on SQLite. */
export class SqliteAuthStore implements AuthStore {
  readonly #db: Database.Database;
  readonly #createUser: Database.Transaction<(u: UserRecord, b: readonly RoleBinding[]) => void>;
  readonly #rotate: Database.Transaction<
    (hash: string, next: string, now: string, graceMs: number) => RotateOutcome
  >;
  readonly #revokeUser: Database.Transaction<
    (userId: string, reason: string, at: string) => number
  >;
  readonly #revokeOne: Database.Transaction<(id: string, reason: string, at: string) => boolean>;
  readonly #throttle: Database.Transaction<
    (
      key: string,
      update: (p: ThrottleRecord | null) => ThrottleRecord | null,
    ) => ThrottleRecord | null
  >;

  constructor(db: Database.Database) {
    this.#db = db;
    const insertUser = db.prepare(
      `INSERT INTO users (id, username, password_hash, must_change_password, created_at,
        updated_at, password_changed_at, disabled_at)
       VALUES (@id, @username, @passwordHash, @mustChangePassword, @createdAt, @updatedAt,
        @passwordChangedAt, @disabledAt)`,
    );
    const insertBinding = db.prepare(
      `INSERT INTO role_bindings (principal_id, project_id, role, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (principal_id, project_id) DO UPDATE SET role = excluded.role`,
    );
    this.#createUser = db.transaction((u: UserRecord, bindings: readonly RoleBinding[]) => {
      insertUser.run({ ...u, mustChangePassword: u.mustChangePassword ? 1 : 0 });
      for (const b of bindings) insertBinding.run(u.id, b.projectId ?? "", b.role, u.createdAt);
    });
    const revokeSessions = db.prepare(
      `UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL`,
    );
    const revokeUserTokens = db.prepare(
      `UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
    );
    this.#revokeUser = db.transaction((userId: string, reason: string, at: string) => {
      const n = revokeSessions.run(at, reason, userId).changes;
      revokeUserTokens.run(at, userId);
      return n;
    });
    const revokeSession = db.prepare(
      `UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL`,
    );
    const revokeFamily = db.prepare(
      `UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL`,
    );
    this.#revokeOne = db.transaction((id: string, reason: string, at: string) => {
      const n = revokeSession.run(at, reason, id).changes;
      revokeFamily.run(at, id);
      return n > 0;
    });
    const byHash = db.prepare<[string], RefreshRow>(
      "SELECT * FROM refresh_tokens WHERE token_hash = ?",
    );
    const markRotated = db.prepare(
      "UPDATE refresh_tokens SET rotated_at = ?, replaced_by = ? WHERE token_hash = ?",
    );
    const insertRefresh = db.prepare(
      `INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.#rotate = db.transaction((hash: string, next: string, now: string, graceMs: number) => {
      const row = byHash.get(hash);
      if (row === undefined) return { status: "unknown" } as const;
      const previous = toRefresh(row);
      if (previous.rotatedAt !== null) {
        const successor =
          previous.replacedBy === null ? undefined : byHash.get(previous.replacedBy);
        const recent = Date.parse(now) - Date.parse(previous.rotatedAt) < graceMs;
        const successorUnused = successor !== undefined && successor.rotated_at === null;
        if (recent && successorUnused && successor.revoked_at === null) {
          return { status: "race", previous } as const;
        }
        const revoked = revokeFamily.run(now, previous.familyId).changes;
        revokeSession.run(now, "refresh_reuse", previous.familyId);
        return { status: "reuse", previous, revoked } as const;
      }
      if (previous.revokedAt !== null) return { status: "revoked", previous } as const;
      if (Date.parse(previous.expiresAt) <= Date.parse(now)) {
        return { status: "expired", previous } as const;
      }
      markRotated.run(now, next, hash);
      insertRefresh.run(next, previous.familyId, previous.userId, now, previous.expiresAt);
      return { status: "rotated", previous } as const;
    });
    const getThrottle = db.prepare<[string], ThrottleRow>(
      "SELECT * FROM login_throttle WHERE key = ?",
    );
    const putThrottle = db.prepare(
      `INSERT INTO login_throttle (key, failures, window_start, locked_until, lockouts, updated_at)
       VALUES (@key, @failures, @windowStart, @lockedUntil, @lockouts, @updatedAt)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
         window_start = excluded.window_start, locked_until = excluded.locked_until,
         lockouts = excluded.lockouts, updated_at = excluded.updated_at`,
    );
    const deleteThrottle = db.prepare("DELETE FROM login_throttle WHERE key = ?");
    this.#throttle = db.transaction(
      (key: string, update: (p: ThrottleRecord | null) => ThrottleRecord | null) => {
        const row = getThrottle.get(key);
        const next = update(row === undefined ? null : toThrottle(row));
        if (next === null) deleteThrottle.run(key);
        else putThrottle.run({ ...next, key });
        return next;
      },
    );
  }

  createUser(user: UserRecord, bindings: readonly RoleBinding[]): Promise<void> {
    return settle(() => {
      try {
        this.#createUser.immediate(user, bindings);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DevflowError("SECURITY_USER_EXISTS", "A user with that name already exists.", {
            data: { username: user.username },
          });
        }
        throw err;
      }
    });
  }

  userById(id: string): Promise<UserRecord | null> {
    return settle(() => {
      const row = this.#db.prepare<[string], UserRow>("SELECT * FROM users WHERE id = ?").get(id);
      return row === undefined ? null : toUser(row);
    });
  }

  userByName(username: string): Promise<UserRecord | null> {
    return settle(() => {
      const row = this.#db
        .prepare<[string], UserRow>("SELECT * FROM users WHERE username = ?")
        .get(username);
      return row === undefined ? null : toUser(row);
    });
  }

  listUsers(): Promise<readonly UserRecord[]> {
    return settle(() =>
      this.#db.prepare<[], UserRow>("SELECT * FROM users ORDER BY username").all().map(toUser),
    );
  }

  countUsers(): Promise<number> {
    return settle(
      () => this.#db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users").get()?.n ?? 0,
    );
  }

  updateUser(id: string, patch: UserPatch): Promise<boolean> {
    return settle(() => {
      const sets: string[] = ["updated_at = @updatedAt"];
      const params: Record<string, unknown> = { id, updatedAt: patch.updatedAt };
      if (patch.passwordHash !== undefined) {
        sets.push("password_hash = @passwordHash");
        params["passwordHash"] = patch.passwordHash;
      }
      if (patch.passwordChangedAt !== undefined) {
        sets.push("password_changed_at = @passwordChangedAt");
        params["passwordChangedAt"] = patch.passwordChangedAt;
      }
      if (patch.mustChangePassword !== undefined) {
        sets.push("must_change_password = @mustChangePassword");
        params["mustChangePassword"] = patch.mustChangePassword ? 1 : 0;
      }
      if (patch.disabledAt !== undefined) {
        sets.push("disabled_at = @disabledAt");
        params["disabledAt"] = patch.disabledAt;
      }
      return (
        this.#db.prepare(`UPDATE users SET ${sets.join(", ")} WHERE id = @id`).run(params).changes >
        0
      );
    });
  }

  bindingsOf(principalId: string): Promise<readonly RoleBinding[]> {
    return settle(() =>
      this.#db
        .prepare<[string], { principal_id: string; project_id: string; role: string }>(
          "SELECT principal_id, project_id, role FROM role_bindings WHERE principal_id = ? ORDER BY project_id",
        )
        .all(principalId)
        .map((r) => ({
          principalId: r.principal_id,
          role: r.role as Role,
          projectId: r.project_id === "" ? null : r.project_id,
        })),
    );
  }

  putBinding(binding: RoleBinding, at: string): Promise<void> {
    return settle(() => {
      this.#db
        .prepare(
          `INSERT INTO role_bindings (principal_id, project_id, role, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (principal_id, project_id) DO UPDATE SET role = excluded.role`,
        )
        .run(binding.principalId, binding.projectId ?? "", binding.role, at);
    });
  }

  removeBinding(principalId: string, projectId: string | null): Promise<boolean> {
    return settle(
      () =>
        this.#db
          .prepare("DELETE FROM role_bindings WHERE principal_id = ? AND project_id = ?")
          .run(principalId, projectId ?? "").changes > 0,
    );
  }

  createSession(session: SessionRecord, refresh: RefreshTokenRecord): Promise<void> {
    return settle(() => {
      this.#db
        .transaction(() => {
          this.#db
            .prepare(
              `INSERT INTO sessions (id, user_id, created_at, expires_at, last_seen_at, revoked_at,
              revoke_reason, ip, user_agent)
             VALUES (@id, @userId, @createdAt, @expiresAt, @lastSeenAt, @revokedAt, @revokeReason,
              @ip, @userAgent)`,
            )
            .run(session);
          this.#db
            .prepare(
              `INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at,
              rotated_at, replaced_by, revoked_at)
             VALUES (@tokenHash, @familyId, @userId, @createdAt, @expiresAt, @rotatedAt,
              @replacedBy, @revokedAt)`,
            )
            .run(refresh);
        })
        .immediate();
    });
  }

  session(id: string): Promise<SessionRecord | null> {
    return settle(() => {
      const row = this.#db
        .prepare<[string], SessionRow>("SELECT * FROM sessions WHERE id = ?")
        .get(id);
      return row === undefined ? null : toSession(row);
    });
  }

  touchSession(id: string, at: string): Promise<void> {
    return settle(() => {
      this.#db.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?").run(at, id);
    });
  }

  revokeSession(id: string, reason: string, at: string): Promise<boolean> {
    return settle(() => this.#revokeOne.immediate(id, reason, at));
  }

  revokeUserSessions(userId: string, reason: string, at: string): Promise<number> {
    return settle(() => this.#revokeUser.immediate(userId, reason, at));
  }

  listSessions(userId: string): Promise<readonly SessionRecord[]> {
    return settle(() =>
      this.#db
        .prepare<[string], SessionRow>(
          "SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at",
        )
        .all(userId)
        .map(toSession),
    );
  }

  rotateRefresh(
    tokenHash: string,
    nextHash: string,
    now: string,
    graceMs: number,
  ): Promise<RotateOutcome> {
    return settle(() => this.#rotate.immediate(tokenHash, nextHash, now, graceMs));
  }

  refreshTokensOf(familyId: string): Promise<readonly RefreshTokenRecord[]> {
    return settle(() =>
      this.#db
        .prepare<[string], RefreshRow>(
          "SELECT * FROM refresh_tokens WHERE family_id = ? ORDER BY created_at, rowid",
        )
        .all(familyId)
        .map(toRefresh),
    );
  }

  createApiKey(key: ApiKeyRecord): Promise<void> {
    return settle(() => {
      try {
        this.#db
          .prepare(
            `INSERT INTO api_keys (id, key_hash, name, user_id, kind, scopes, project_id,
              created_at, expires_at, last_used_at, use_count, revoked_at)
             VALUES (@id, @keyHash, @name, @userId, @kind, @scopes, @projectId, @createdAt,
              @expiresAt, @lastUsedAt, @useCount, @revokedAt)`,
          )
          .run({ ...key, scopes: JSON.stringify(key.scopes) });
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DevflowError("SECURITY_API_KEY_EXISTS", "API key id collision.");
        }
        throw err;
      }
    });
  }

  apiKey(id: string): Promise<ApiKeyRecord | null> {
    return settle(() => {
      const row = this.#db
        .prepare<[string], ApiKeyRow>("SELECT * FROM api_keys WHERE id = ?")
        .get(id);
      return row === undefined ? null : toApiKey(row);
    });
  }

  listApiKeys(userId?: string): Promise<readonly ApiKeyRecord[]> {
    return settle(() => {
      const rows =
        userId === undefined
          ? this.#db.prepare<[], ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at").all()
          : this.#db
              .prepare<[string], ApiKeyRow>(
                "SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at",
              )
              .all(userId);
      return rows.map(toApiKey);
    });
  }

  revokeApiKey(id: string, at: string): Promise<boolean> {
    return settle(
      () =>
        this.#db
          .prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
          .run(at, id).changes > 0,
    );
  }

  touchApiKey(id: string, at: string, uses: number): Promise<void> {
    return settle(() => {
      this.#db
        .prepare(
          `UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, ''), ?),
            use_count = use_count + ? WHERE id = ?`,
        )
        .run(at, uses, id);
    });
  }

  updateThrottle(
    key: string,
    update: (previous: ThrottleRecord | null) => ThrottleRecord | null,
  ): Promise<ThrottleRecord | null> {
    return settle(() => this.#throttle.immediate(key, update));
  }

  throttle(key: string): Promise<ThrottleRecord | null> {
    return settle(() => {
      const row = this.#db
        .prepare<[string], ThrottleRow>("SELECT * FROM login_throttle WHERE key = ?")
        .get(key);
      return row === undefined ? null : toThrottle(row);
    });
  }
}
