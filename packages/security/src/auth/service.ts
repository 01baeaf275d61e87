/**
 * Authentication: password login with throttling and equal timing, sessions, rotating refresh
 * tokens with family revocation, access-token checks against the live session, API-key
 * authentication, and authorisation decisions that audit every denial.
 */
import { createHash, randomBytes } from "node:crypto";
import { DevflowError } from "@devflow/events";
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from "../password.js";
import { type Permission, authorize as decide, type AuthorizationDecision } from "../rbac.js";
import { randomToken } from "../secrets.js";
import { ApiKeyAuth } from "./api-key-auth.js";
import {
  type AuthContext,
  type AuthOptions,
  type AuthPrincipal,
  type ClientInfo,
  authContext,
  normaliseUsername,
  type PublicUser,
  publicUser,
  SESSION_TOUCH_MS,
} from "./context.js";
import type { RefreshTokenRecord, SessionRecord, UserRecord } from "./model.js";
import {
  accountKey,
  addressKey,
  isNewLockout,
  lockRemainingMs,
  recordFailure,
} from "./throttle.js";

/** Prefix of refresh tokens (recognisable to secret scanners and the log redactor). */
export const REFRESH_TOKEN_PREFIX = "dfr_";
const REFRESH_SHAPE = /^dfr_[A-Za-z0-9_-]{43}$/;

/** Tokens handed to a client after login or refresh. */
export interface TokenPair {
  readonly accessToken: string;
  readonly accessExpiresAt: string;
  /** Opaque, single-use: exchange it once at `refresh`. */
  readonly refreshToken: string;
  readonly refreshExpiresAt: string;
  readonly sessionId: string;
}

/** The result of a successful login. */
export interface LoginResult extends TokenPair {
  readonly user: PublicUser;
}

/** An authorisation decision, including API-key scope limits. */
export interface AccessDecision {
  readonly allowed: boolean;
  readonly reason: AuthorizationDecision["reason"] | "outside-key-scope" | "outside-key-project";
}

/** SHA-256 (hex) of a refresh token: the only form stored. */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function loginFailed(): DevflowError {
  return new DevflowError("SECURITY_LOGIN_FAILED", "Invalid username or password.");
}

function refreshInvalid(): DevflowError {
  return new DevflowError("SECURITY_REFRESH_INVALID", "Refresh token is invalid or expired.");
}

/** Login, refresh, logout, request authentication and authorisation. */
export class AuthService {
  readonly #ctx: AuthContext;
  readonly #keys: ApiKeyAuth;

  constructor(options: AuthOptions) {
    this.#ctx = authContext(options);
    this.#keys = new ApiKeyAuth(this.#ctx);
  }

  /**
   * Checks a username and password. Every attempt costs one scrypt verification whether the
   * user exists, is disabled or locked, so timing reveals none of it; the reply is the same
   * `SECURITY_LOGIN_FAILED` for all of them (`SECURITY_LOGIN_LOCKED` with `retryAfterSeconds`
   * while the name or address is locked — which happens for unknown names too).
   */
  async login(username: string, password: string, client: ClientInfo = {}): Promise<LoginResult> {
    const ctx = this.#ctx;
    const now = ctx.clock();
    const name = normaliseUsername(username);
    const userKey = accountKey(name ?? "?invalid");
    const ipKey = client.ip === undefined ? null : addressKey(client.ip);
    const locks = [
      lockRemainingMs(await ctx.store.throttle(userKey), now),
      ipKey === null ? 0 : lockRemainingMs(await ctx.store.throttle(ipKey), now),
    ];
    const lockMs = Math.max(...locks);
    const user = name === null ? null : await ctx.store.userByName(name);
    let ok = false;
    if (lockMs > 0 || user === null || user.disabledAt !== null) {
      await dummyVerify(typeof password === "string" ? password : "x", ctx.password);
    } else {
      try {
        ok = await verifyPassword(password, user.passwordHash);
      } catch {
        await dummyVerify("x", ctx.password);
      }
    }
    const base = {
      subject: name ?? "?invalid",
      ...(client.ip === undefined ? {} : { ip: client.ip }),
    };
    if (lockMs > 0) {
      await ctx.audit({ type: "security.login_failed", ...base, details: { reason: "locked" } });
      throw new DevflowError("SECURITY_LOGIN_LOCKED", "Too many failed logins; try again later.", {
        data: { retryAfterSeconds: Math.ceil(lockMs / 1000) },
      });
    }
    if (!ok || user === null) {
      const reason = user === null ? "unknown_user" : user.disabledAt ? "disabled" : "bad_password";
      await ctx.audit({ type: "security.login_failed", ...base, details: { reason } });
      await this.#countFailure(userKey, now, "account", base);
      if (ipKey !== null) await this.#countFailure(ipKey, now, "address", base);
      throw loginFailed();
    }
    await ctx.store.updateThrottle(userKey, () => null);
    if (needsRehash(user.passwordHash, ctx.password.params)) {
      const passwordHash = await hashPassword(password, ctx.password);
      await ctx.store.updateUser(user.id, { passwordHash, updatedAt: now.toISOString() });
    }
    const pair = await this.#openSession(user, client, now);
    await ctx.audit({
      type: "security.login_succeeded",
      actor: `user:${user.id}`,
      subject: user.username,
      ...(client.ip === undefined ? {} : { ip: client.ip }),
      details: { session: pair.sessionId },
    });
    return { ...pair, user: publicUser(user, await ctx.store.bindingsOf(user.id)) };
  }

  async #countFailure(
    key: string,
    now: Date,
    kind: "account" | "address",
    base: { subject: string; ip?: string },
  ): Promise<void> {
    const ctx = this.#ctx;
    const limits = ctx.throttle[kind];
    let previous = null as Awaited<ReturnType<typeof ctx.store.throttle>>;
    const next = await ctx.store.updateThrottle(key, (prev) => {
      previous = prev;
      return recordFailure(prev, key, now, limits);
    });
    if (next !== null && isNewLockout(previous, next)) {
      await ctx.audit({
        type: "security.lockout",
        ...base,
        details: { scope: kind, until: next.lockedUntil, lockouts: next.lockouts },
      });
      ctx.logger.warn({ scope: kind, subject: base.subject }, "login locked");
    }
  }

  async #openSession(user: UserRecord, client: ClientInfo, now: Date): Promise<TokenPair> {
    const ctx = this.#ctx;
    const sessionId = randomBytes(16).toString("base64url");
    const refreshToken = `${REFRESH_TOKEN_PREFIX}${randomToken(32)}`;
    const at = now.toISOString();
    const expiresAt = new Date(now.getTime() + ctx.refreshTtlMs).toISOString();
    const session: SessionRecord = {
      id: sessionId,
      userId: user.id,
      createdAt: at,
      expiresAt,
      lastSeenAt: at,
      revokedAt: null,
      revokeReason: null,
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    };
    await ctx.store.createSession(session, this.#refreshRecord(refreshToken, session, at));
    return this.#issue(user, session, refreshToken, "security.token_issued");
  }

  #refreshRecord(token: string, session: SessionRecord, at: string): RefreshTokenRecord {
    return {
      tokenHash: hashRefreshToken(token),
      familyId: session.id,
      userId: session.userId,
      createdAt: at,
      expiresAt: session.expiresAt,
      rotatedAt: null,
      replacedBy: null,
      revokedAt: null,
    };
  }

  async #issue(
    user: UserRecord,
    session: SessionRecord,
    refreshToken: string,
    type: "security.token_issued" | "security.token_refreshed",
  ): Promise<TokenPair> {
    const access = await this.#ctx.tokens.signAccess({ sub: user.id, sid: session.id });
    await this.#ctx.audit({
      type,
      actor: `user:${user.id}`,
      subject: `session:${session.id}`,
      details: { jti: access.jti, kid: access.kid },
    });
    return {
      accessToken: access.token,
      accessExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshExpiresAt: session.expiresAt,
      sessionId: session.id,
    };
  }

  /**
   * Exchanges a refresh token for a new pair; the old token is spent. Replaying a spent token
   * revokes its whole family and session (`SECURITY_REFRESH_REUSED`); a concurrent use within
   * the grace period only fails (`SECURITY_REFRESH_RACE`), so parallel refreshes leave exactly
   * one live token.
   */
  async refresh(refreshToken: string, client: ClientInfo = {}): Promise<TokenPair> {
    const ctx = this.#ctx;
    if (typeof refreshToken !== "string" || !REFRESH_SHAPE.test(refreshToken)) {
      throw refreshInvalid();
    }
    const now = ctx.clock();
    const at = now.toISOString();
    const nextToken = `${REFRESH_TOKEN_PREFIX}${randomToken(32)}`;
    const tokenHash = hashRefreshToken(refreshToken);
    const ip = client.ip === undefined ? {} : { ip: client.ip };
    const outcome = await ctx.store.rotateRefresh(
      tokenHash,
      hashRefreshToken(nextToken),
      at,
      ctx.refreshGraceMs,
    );
    if (outcome.status === "unknown") throw refreshInvalid();
    const prev = outcome.previous;
    if (outcome.status === "reuse") {
      await ctx.audit({
        type: "security.token_reuse_detected",
        actor: `user:${prev.userId}`,
        subject: `session:${prev.familyId}`,
        ...ip,
        details: { revoked: outcome.revoked },
      });
      ctx.logger.warn({ session: prev.familyId }, "refresh token reuse: family revoked");
      throw new DevflowError(
        "SECURITY_REFRESH_REUSED",
        "Refresh token was already used; the session has been revoked. Log in again.",
      );
    }
    if (outcome.status === "race") {
      throw new DevflowError(
        "SECURITY_REFRESH_RACE",
        "Refresh token was just used by a concurrent request; use the newest token.",
      );
    }
    if (outcome.status !== "rotated") throw refreshInvalid();
    const session = await ctx.store.session(prev.familyId);
    const user = await ctx.store.userById(prev.userId);
    if (session === null || user === null || user.disabledAt !== null || session.revokedAt) {
      await ctx.store.revokeSession(prev.familyId, "user_disabled", at);
      throw refreshInvalid();
    }
    return this.#issue(user, session, nextToken, "security.token_refreshed");
  }

  /** Ends a session: its access tokens fail at the next check and its refresh tokens die. */
  async logout(principal: AuthPrincipal): Promise<void> {
    if (principal.sessionId === undefined) return;
    const at = this.#ctx.clock().toISOString();
    if (await this.#ctx.store.revokeSession(principal.sessionId, "logout", at)) {
      await this.#ctx.audit({
        type: "security.logout",
        actor: `user:${principal.userId}`,
        subject: `session:${principal.sessionId}`,
      });
    }
  }

  /**
   * Verifies an access token (see `TokenService.verifyAccess`) and that its session is live and
   * its user enabled, then loads the user's current role bindings.
   * @throws DevflowError `SECURITY_TOKEN_*` or `SECURITY_SESSION_REVOKED`.
   */
  async authenticate(accessToken: string): Promise<AuthPrincipal> {
    const ctx = this.#ctx;
    let live: { session: SessionRecord; user: UserRecord } | undefined;
    const claims = await ctx.tokens.verifyAccess(accessToken, {
      sessionChecker: async (sid, sub) => {
        const session = await ctx.store.session(sid);
        if (session === null || session.userId !== sub || session.revokedAt !== null) return false;
        if (Date.parse(session.expiresAt) <= ctx.clock().getTime()) return false;
        const user = await ctx.store.userById(sub);
        if (user === null || user.disabledAt !== null) return false;
        live = { session, user };
        return true;
      },
    });
    if (live === undefined)
      throw new DevflowError("SECURITY_SESSION_REVOKED", "Session was revoked.");
    const { session, user } = live;
    const now = ctx.clock();
    if (now.getTime() - Date.parse(session.lastSeenAt) >= SESSION_TOUCH_MS) {
      await ctx.store.touchSession(session.id, now.toISOString());
    }
    return {
      kind: "user",
      id: user.id,
      userId: user.id,
      username: user.username,
      sessionId: claims.sid,
      bindings: await ctx.store.bindingsOf(user.id),
    };
  }

  /**
   * Authenticates an API key (format and checksum offline, then a constant-time digest
   * comparison); unknown, revoked and expired keys and disabled owners all give
   * `SECURITY_API_KEY_INVALID`.
   */
  authenticateApiKey(key: string, client: ClientInfo = {}): Promise<AuthPrincipal> {
    return this.#keys.authenticate(key, client);
  }

  /** Writes pending API-key last-used times (call on shutdown). */
  flushApiKeyUse(): Promise<void> {
    return this.#keys.flush();
  }

  /**
   * Decides whether `principal` may use `permission` (on `projectId`): the role bindings must
   * grant it and, for API keys, the key's scopes and project must allow it. Denials are audited.
   */
  async authorize(
    principal: AuthPrincipal,
    permission: Permission,
    projectId?: string | null,
  ): Promise<AccessDecision> {
    const rbac = decide(principal, permission, projectId);
    let decision: AccessDecision = rbac;
    if (rbac.allowed && principal.scopes && !principal.scopes.includes(permission)) {
      decision = { allowed: false, reason: "outside-key-scope" };
    } else if (
      rbac.allowed &&
      principal.projectScope != null &&
      principal.projectScope !== projectId
    ) {
      decision = { allowed: false, reason: "outside-key-project" };
    }
    if (!decision.allowed) {
      await this.#ctx.audit({
        type: "security.permission_denied",
        actor:
          principal.kind === "api_key"
            ? `apikey:${principal.apiKeyId ?? "?"}`
            : `user:${principal.userId}`,
        ...(projectId == null ? {} : { projectId }),
        details: { permission, reason: decision.reason },
      });
    }
    return { allowed: decision.allowed, reason: decision.reason };
  }

  /** Like {@link authorize}, but throws `SECURITY_FORBIDDEN` naming the permission. */
  async require(
    principal: AuthPrincipal,
    permission: Permission,
    projectId?: string | null,
  ): Promise<void> {
    const decision = await this.authorize(principal, permission, projectId);
    if (!decision.allowed) {
      throw new DevflowError("SECURITY_FORBIDDEN", `Forbidden: missing permission ${permission}.`, {
        data: { permission },
      });
    }
  }
}
