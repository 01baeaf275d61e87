/**
 * Account administration: users (create, list, disable, enable, password), role bindings and
 * the first-run admin bootstrap. Every change is audited, and any change to a user's password,
 * roles or status revokes that user's sessions, so old access tokens fail at the next request.
 */
import { randomUUID } from "node:crypto";
import { DevflowError } from "@devflow/events";
import { hashPassword, verifyPassword } from "../password.js";
import { type Role, type RoleBinding, parseRole } from "../rbac.js";
import {
  type Actor,
  type AuthContext,
  type AuthOptions,
  actorName,
  authContext,
  checkPasswordPolicy,
  generatePassword,
  type PublicUser,
  publicUser,
  requireUsername,
} from "./context.js";
import type { UserRecord } from "./model.js";
import { requireAdmin } from "./require-admin.js";

/** Input of {@link AccountAdmin.createUser}. */
export interface NewUser {
  readonly username: string;
  /** Omit to generate one (returned once). */
  readonly password?: string;
  /** Default `viewer`. */
  readonly role?: Role;
  /** Bind the role on this project only; default global. */
  readonly projectId?: string | null;
  readonly mustChangePassword?: boolean;
}

/** A created user and, when generated, its password (show once, never log). */
export interface CreatedUser {
  readonly user: PublicUser;
  readonly generatedPassword?: string;
}

function notFound(): DevflowError {
  return new DevflowError("SECURITY_USER_NOT_FOUND", "No such user.");
}

/** Users, roles and bootstrap. */
export class AccountAdmin {
  readonly #ctx: AuthContext;

  constructor(options: AuthOptions) {
    this.#ctx = authContext(options);
  }

  async #user(username: string): Promise<UserRecord> {
    const user = await this.#ctx.store.userByName(requireUsername(username));
    if (user === null) throw notFound();
    return user;
  }

  async #public(user: UserRecord): Promise<PublicUser> {
    return publicUser(user, await this.#ctx.store.bindingsOf(user.id));
  }

  /**
   * Creates a user with a role (global unless `projectId`).
   * @throws DevflowError `SECURITY_USER_EXISTS`, `SECURITY_INVALID_USERNAME`,
   *   `SECURITY_WEAK_PASSWORD`, `SECURITY_INVALID_ROLE`, `SECURITY_FORBIDDEN`.
   */
  async createUser(input: NewUser, actor: Actor): Promise<CreatedUser> {
    const ctx = this.#ctx;
    await requireAdmin(ctx, actor);
    const username = requireUsername(input.username);
    const role = parseRole(input.role ?? "viewer");
    const generated = input.password === undefined ? generatePassword() : undefined;
    const password = checkPasswordPolicy(
      input.password ?? generated,
      username,
      ctx.minPasswordLength,
    );
    const at = ctx.clock().toISOString();
    const user: UserRecord = {
      id: randomUUID(),
      username,
      passwordHash: await hashPassword(password, ctx.password),
      mustChangePassword: input.mustChangePassword ?? false,
      createdAt: at,
      updatedAt: at,
      passwordChangedAt: at,
      disabledAt: null,
    };
    const binding: RoleBinding = { principalId: user.id, role, projectId: input.projectId ?? null };
    await ctx.store.createUser(user, [binding]);
    const by = actorName(actor);
    await ctx.audit({ type: "security.user_created", actor: by, subject: username });
    await ctx.audit({
      type: "security.role_assigned",
      actor: by,
      subject: username,
      ...(binding.projectId === null ? {} : { projectId: binding.projectId }),
      details: { role },
    });
    return {
      user: publicUser(user, [binding]),
      ...(generated === undefined ? {} : { generatedPassword: generated }),
    };
  }

  /**
   * First run: when there are no users, creates `admin` (global admin, must change its
   * password) with a generated password and returns it once; null when users already exist
   * (also when another process bootstrapped concurrently).
   */
  async bootstrapAdmin(): Promise<{ username: string; password: string } | null> {
    if ((await this.#ctx.store.countUsers()) > 0) return null;
    try {
      const created = await this.createUser(
        { username: "admin", role: "admin", mustChangePassword: true },
        { kind: "local", name: "bootstrap" },
      );
      return { username: created.user.username, password: created.generatedPassword ?? "" };
    } catch (err) {
      if (err instanceof DevflowError && err.code === "SECURITY_USER_EXISTS") return null;
      throw err;
    }
  }

  /** Every user with its bindings, by name. */
  async listUsers(): Promise<readonly PublicUser[]> {
    const users = await this.#ctx.store.listUsers();
    return Promise.all(users.map((u) => this.#public(u)));
  }

  /** One user, or throws `SECURITY_USER_NOT_FOUND`. */
  async getUser(username: string): Promise<PublicUser> {
    return this.#public(await this.#user(username));
  }

  async #revokeAll(user: UserRecord, reason: string, by: string, at: string): Promise<number> {
    const revoked = await this.#ctx.store.revokeUserSessions(user.id, reason, at);
    if (revoked > 0) {
      await this.#ctx.audit({
        type: "security.token_revoked",
        actor: by,
        subject: user.username,
        details: { sessions: revoked, reason },
      });
    }
    return revoked;
  }

  /** Disables a user and revokes its sessions; refuses the last enabled global admin. */
  async disableUser(username: string, actor: Actor): Promise<PublicUser> {
    const ctx = this.#ctx;
    await requireAdmin(ctx, actor);
    const user = await this.#user(username);
    if (user.disabledAt !== null) return this.#public(user);
    await this.#refuseLastAdmin(user.id);
    const at = ctx.clock().toISOString();
    await ctx.store.updateUser(user.id, { disabledAt: at, updatedAt: at });
    const by = actorName(actor);
    await ctx.audit({ type: "security.user_disabled", actor: by, subject: user.username });
    await this.#revokeAll(user, "user_disabled", by, at);
    return this.#public({ ...user, disabledAt: at, updatedAt: at });
  }

  /** Re-enables a disabled user (old sessions stay revoked). */
  async enableUser(username: string, actor: Actor): Promise<PublicUser> {
    const ctx = this.#ctx;
    await requireAdmin(ctx, actor);
    const user = await this.#user(username);
    if (user.disabledAt === null) return this.#public(user);
    const at = ctx.clock().toISOString();
    await ctx.store.updateUser(user.id, { disabledAt: null, updatedAt: at });
    await ctx.audit({
      type: "security.user_enabled",
      actor: actorName(actor),
      subject: user.username,
    });
    return this.#public({ ...user, disabledAt: null, updatedAt: at });
  }

  /**
   * Sets a user's password (generated when omitted, returned once) and revokes its sessions.
   * An administrator may set anyone's; a user changing its own must give `currentPassword`.
   */
  async setPassword(
    username: string,
    actor: Actor,
    options: { password?: string; currentPassword?: string } = {},
  ): Promise<{ user: PublicUser; generatedPassword?: string }> {
    const ctx = this.#ctx;
    const user = await this.#user(username);
    const self = actor.kind === "user" && actor.userId === user.id;
    if (self) {
      const ok =
        typeof options.currentPassword === "string" &&
        (await verifyPassword(options.currentPassword, user.passwordHash).catch(() => false));
      if (!ok) {
        throw new DevflowError("SECURITY_LOGIN_FAILED", "The current password is wrong.");
      }
    } else {
      await requireAdmin(ctx, actor);
    }
    const generated = options.password === undefined ? generatePassword() : undefined;
    const password = checkPasswordPolicy(
      options.password ?? generated,
      user.username,
      ctx.minPasswordLength,
    );
    const at = ctx.clock().toISOString();
    await ctx.store.updateUser(user.id, {
      passwordHash: await hashPassword(password, ctx.password),
      passwordChangedAt: at,
      mustChangePassword: false,
      updatedAt: at,
    });
    const by = actorName(actor);
    await ctx.audit({ type: "security.password_changed", actor: by, subject: user.username });
    await this.#revokeAll(user, "password_changed", by, at);
    const updated = await this.#user(user.username);
    return {
      user: await this.#public(updated),
      ...(generated === undefined ? {} : { generatedPassword: generated }),
    };
  }

  /** Gives `role` to a user on a scope (global when `projectId` is null) and revokes its sessions. */
  async setRole(
    username: string,
    role: Role,
    actor: Actor,
    projectId: string | null = null,
  ): Promise<PublicUser> {
    const ctx = this.#ctx;
    await requireAdmin(ctx, actor);
    const user = await this.#user(username);
    const parsed = parseRole(role);
    if (projectId === null && parsed !== "admin") await this.#refuseLastAdmin(user.id);
    const at = ctx.clock().toISOString();
    await ctx.store.putBinding({ principalId: user.id, role: parsed, projectId }, at);
    const by = actorName(actor);
    await ctx.audit({
      type: "security.role_assigned",
      actor: by,
      subject: user.username,
      ...(projectId === null ? {} : { projectId }),
      details: { role: parsed },
    });
    await this.#revokeAll(user, "role_changed", by, at);
    return this.#public(user);
  }

  /** Removes a user's binding on a scope and revokes its sessions. */
  async removeRole(
    username: string,
    actor: Actor,
    projectId: string | null = null,
  ): Promise<PublicUser> {
    const ctx = this.#ctx;
    await requireAdmin(ctx, actor);
    const user = await this.#user(username);
    if (projectId === null) await this.#refuseLastAdmin(user.id);
    const at = ctx.clock().toISOString();
    if (await ctx.store.removeBinding(user.id, projectId)) {
      const by = actorName(actor);
      await ctx.audit({
        type: "security.role_revoked",
        actor: by,
        subject: user.username,
        ...(projectId === null ? {} : { projectId }),
      });
      await this.#revokeAll(user, "role_changed", by, at);
    }
    return this.#public(user);
  }

  /** Throws `SECURITY_LAST_ADMIN` when `userId` is the only enabled global admin. */
  async #refuseLastAdmin(userId: string): Promise<void> {
    const users = await this.#ctx.store.listUsers();
    let others = 0;
    let isAdmin = false;
    for (const u of users) {
      if (u.disabledAt !== null) continue;
      const admin = (await this.#ctx.store.bindingsOf(u.id)).some(
        (b) => b.role === "admin" && b.projectId === null,
      );
      if (!admin) continue;
      if (u.id === userId) isAdmin = true;
      else others++;
    }
    if (isAdmin && others === 0) {
      throw new DevflowError(
        "SECURITY_LAST_ADMIN",
        "This is the last enabled global admin; make another user admin first.",
      );
    }
  }

  /** Revokes every session of a user (e.g. "log out everywhere"). */
  async revokeSessions(username: string, actor: Actor): Promise<number> {
    const ctx = this.#ctx;
    const user = await this.#user(username);
    if (!(actor.kind === "user" && actor.userId === user.id)) await requireAdmin(ctx, actor);
    return this.#revokeAll(user, "revoked", actorName(actor), ctx.clock().toISOString());
  }
}
