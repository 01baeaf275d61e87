/**
 * API-key administration: create (the key is returned once; only its digest is stored),
 * list (metadata only) and revoke. A key's scopes must be permissions its owner holds at
 * creation (globally, or on the key's project), and at use the owner's current roles still
 * apply, so a key never grants more than its owner has.
 */
import { DevflowError } from "@devflow/events";
import { type ApiKeyKind, generateApiKey } from "../api-keys.js";
import { authorize, type Permission, PERMISSIONS, PermissionSchema } from "../rbac.js";
import {
  type Actor,
  type AuthContext,
  type AuthOptions,
  actorName,
  authContext,
  requireUsername,
} from "./context.js";
import type { ApiKeyRecord } from "./model.js";
import { requireAdmin } from "./require-admin.js";

/** Input of {@link ApiKeyAdmin.create}. */
export interface NewApiKey {
  /** The owning user. */
  readonly username: string;
  /** A label for people, 1–100 characters. */
  readonly name: string;
  /** Default: `project:read`, `metrics:read`. */
  readonly scopes?: readonly Permission[];
  readonly projectId?: string | null;
  /** When the key stops working; omit for no expiry. */
  readonly expiresAt?: Date | null;
  readonly kind?: ApiKeyKind;
}

/** A created key: `key` is shown once and never stored. */
export interface CreatedApiKey {
  readonly key: string;
  readonly record: Omit<ApiKeyRecord, "keyHash">;
}

/** Default scopes of a new key: read-only. */
export const DEFAULT_API_KEY_SCOPES: readonly Permission[] = Object.freeze([
  "project:read",
  "metrics:read",
]);

function withoutHash(record: ApiKeyRecord): Omit<ApiKeyRecord, "keyHash"> {
  const { keyHash: _hash, ...rest } = record;
  return rest;
}

/** Create, list and revoke API keys. */
export class ApiKeyAdmin {
  readonly #ctx: AuthContext;

  constructor(options: AuthOptions) {
    this.#ctx = authContext(options);
  }

  /**
   * Creates a key for `username`. Owners may create their own keys; others need
   * `security:admin`.
   * @throws DevflowError `SECURITY_INVALID_PERMISSION` (unknown scope), `SECURITY_FORBIDDEN`
   *   (a scope the owner does not hold), `SECURITY_BAD_ARGUMENT` (name, expiry).
   */
  async create(input: NewApiKey, actor: Actor): Promise<CreatedApiKey> {
    const ctx = this.#ctx;
    const owner = await ctx.store.userByName(requireUsername(input.username));
    if (owner === null) throw new DevflowError("SECURITY_USER_NOT_FOUND", "No such user.");
    if (!(actor.kind === "user" && actor.userId === owner.id)) await requireAdmin(ctx, actor);
    const name = typeof input.name === "string" ? input.name.trim() : "";
    if (name.length < 1 || name.length > 100) {
      throw new DevflowError("SECURITY_BAD_ARGUMENT", "API key name must be 1-100 characters.");
    }
    const scopes = [...new Set(input.scopes ?? DEFAULT_API_KEY_SCOPES)];
    if (scopes.length === 0) {
      throw new DevflowError("SECURITY_BAD_ARGUMENT", "An API key needs at least one scope.");
    }
    const projectId = input.projectId ?? null;
    const bindings = await ctx.store.bindingsOf(owner.id);
    for (const scope of scopes) {
      if (!PermissionSchema.safeParse(scope).success) {
        throw new DevflowError(
          "SECURITY_INVALID_PERMISSION",
          `Unknown scope; use one of ${PERMISSIONS.join(", ")}.`,
          { data: { scope } },
        );
      }
      if (!authorize({ id: owner.id, bindings }, scope, projectId).allowed) {
        throw new DevflowError(
          "SECURITY_FORBIDDEN",
          `The owner does not hold ${scope}${projectId === null ? " globally" : " on that project"}.`,
          { data: { scope } },
        );
      }
    }
    const now = ctx.clock();
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && !(expiresAt.getTime() > now.getTime())) {
      throw new DevflowError("SECURITY_BAD_ARGUMENT", "API key expiry must be in the future.");
    }
    for (let attempt = 0; ; attempt++) {
      const generated = generateApiKey(input.kind ?? "live");
      const record: ApiKeyRecord = {
        id: generated.id,
        keyHash: generated.hash,
        name,
        userId: owner.id,
        kind: input.kind ?? "live",
        scopes,
        projectId,
        createdAt: now.toISOString(),
        expiresAt: expiresAt?.toISOString() ?? null,
        lastUsedAt: null,
        useCount: 0,
        revokedAt: null,
      };
      try {
        await ctx.store.createApiKey(record);
      } catch (err) {
        const collision = err instanceof DevflowError && err.code === "SECURITY_API_KEY_EXISTS";
        if (collision && attempt < 3) continue;
        throw err;
      }
      await ctx.audit({
        type: "security.key_created",
        actor: actorName(actor),
        subject: `apikey:${record.id}`,
        ...(projectId === null ? {} : { projectId }),
        details: { owner: owner.username, scopes: scopes.join(" "), expires: record.expiresAt },
      });
      return { key: generated.key, record: withoutHash(record) };
    }
  }

  /** Keys (metadata, never digests), of one user or all. */
  async list(username?: string): Promise<readonly Omit<ApiKeyRecord, "keyHash">[]> {
    let userId: string | undefined;
    if (username !== undefined) {
      const owner = await this.#ctx.store.userByName(requireUsername(username));
      if (owner === null) throw new DevflowError("SECURITY_USER_NOT_FOUND", "No such user.");
      userId = owner.id;
    }
    return (await this.#ctx.store.listApiKeys(userId)).map(withoutHash);
  }

  /**
   * Revokes a key by id; its owner or an admin may. @returns false when it was already revoked.
   * @throws DevflowError `SECURITY_API_KEY_NOT_FOUND`.
   */
  async revoke(id: string, actor: Actor): Promise<boolean> {
    const ctx = this.#ctx;
    const record = await ctx.store.apiKey(id);
    if (record === null) {
      throw new DevflowError("SECURITY_API_KEY_NOT_FOUND", "No API key with that id.");
    }
    if (!(actor.kind === "user" && actor.userId === record.userId)) await requireAdmin(ctx, actor);
    const revoked = await ctx.store.revokeApiKey(id, ctx.clock().toISOString());
    if (revoked) {
      await ctx.audit({
        type: "security.key_revoked",
        actor: actorName(actor),
        subject: `apikey:${id}`,
      });
    }
    return revoked;
  }
}
