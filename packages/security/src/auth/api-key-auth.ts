/**
 * API-key authentication: offline format and checksum check, lookup by public id, constant-time
 * digest comparison (against a dummy digest when the id is unknown, so timing does not reveal
 * which ids exist), expiry, revocation and owner checks, and batched last-used bookkeeping.
 */
import { DevflowError } from "@devflow/events";
import { hashApiKey, parseApiKey, verifyApiKey } from "../api-keys.js";
import type { AuthContext, AuthPrincipal, ClientInfo } from "./context.js";

const DUMMY_HASH = hashApiKey("dfk_live_0000000000000000000000000000000000000000000_000000");

function invalid(): DevflowError {
  return new DevflowError("SECURITY_API_KEY_INVALID", "API key is invalid, expired or revoked.");
}

/** The API-key half of the auth service. */
export class ApiKeyAuth {
  readonly #ctx: AuthContext;
  /** Uses not yet written, per key id, with the first unwritten use time. */
  readonly #pending = new Map<string, { uses: number; lastAt: string }>();

  constructor(ctx: AuthContext) {
    this.#ctx = ctx;
  }

  async authenticate(key: string, client: ClientInfo): Promise<AuthPrincipal> {
    const ctx = this.#ctx;
    const ip = client.ip === undefined ? {} : { ip: client.ip };
    let id: string;
    try {
      id = parseApiKey(key).id;
    } catch (err) {
      const reason = err instanceof DevflowError ? err.code : "malformed";
      await ctx.audit({
        type: "security.login_failed",
        subject: "apikey:?",
        ...ip,
        details: { method: "api_key", reason },
      });
      throw invalid();
    }
    const record = await ctx.store.apiKey(id);
    const matches = verifyApiKey(key, record?.keyHash ?? DUMMY_HASH) && record !== null;
    const now = ctx.clock();
    let reason: string | null = null;
    if (!matches || record === null) reason = "unknown";
    else if (record.revokedAt !== null) reason = "revoked";
    else if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()) {
      reason = "expired";
    }
    const owner =
      record === null || reason !== null ? null : await ctx.store.userById(record.userId);
    if (reason === null && (owner === null || owner.disabledAt !== null)) reason = "owner_disabled";
    if (reason !== null || record === null || owner === null) {
      await ctx.audit({
        type: "security.login_failed",
        subject: `apikey:${id}`,
        ...ip,
        details: { method: "api_key", reason: reason ?? "unknown" },
      });
      throw invalid();
    }
    await this.#noteUse(record.id, record.lastUsedAt, now, record.userId);
    return {
      kind: "api_key",
      id: owner.id,
      userId: owner.id,
      username: owner.username,
      apiKeyId: record.id,
      scopes: record.scopes,
      projectScope: record.projectId,
      bindings: await ctx.store.bindingsOf(owner.id),
    };
  }

  async #noteUse(id: string, lastUsedAt: string | null, now: Date, userId: string): Promise<void> {
    const at = now.toISOString();
    const pending = this.#pending.get(id) ?? { uses: 0, lastAt: at };
    pending.uses += 1;
    pending.lastAt = at;
    this.#pending.set(id, pending);
    const due =
      lastUsedAt === null || now.getTime() - Date.parse(lastUsedAt) >= this.#ctx.apiKeyTouchMs;
    if (due) await this.#write(id, userId);
  }

  async #write(id: string, userId?: string): Promise<void> {
    const pending = this.#pending.get(id);
    if (pending === undefined || pending.uses === 0) return;
    this.#pending.delete(id);
    await this.#ctx.store.touchApiKey(id, pending.lastAt, pending.uses);
    await this.#ctx.audit({
      type: "security.key_used",
      subject: `apikey:${id}`,
      ...(userId === undefined ? {} : { actor: `user:${userId}` }),
      details: { uses: pending.uses, last: pending.lastAt },
    });
  }

  /** Writes every pending use now. */
  async flush(): Promise<void> {
    for (const id of [...this.#pending.keys()]) await this.#write(id);
  }
}
