import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { codeOf, harness, type Harness, LOCAL, PASSWORD, userWithLogin } from "./harness.js";
import { sqliteOf } from "@devflow/storage/testing";

let h: Harness;
afterEach(() => h?.close());

describe("API keys with storage", () => {
  it("authenticates a key for its owner, within its scopes and project", async () => {
    h = harness();
    await h.security.users.createUser(
      { username: "alice", password: PASSWORD, role: "developer" },
      LOCAL,
    );
    const created = await h.security.apiKeys.create(
      { username: "alice", name: "ci", scopes: ["project:read", "project:write"], projectId: "p1" },
      LOCAL,
    );
    expect(created.key).toMatch(/^dfk_live_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
    expect(created.record).not.toHaveProperty("keyHash");
    const p = await h.security.auth.authenticateApiKey(created.key, { ip: "127.0.0.1" });
    expect(p).toMatchObject({
      kind: "api_key",
      username: "alice",
      apiKeyId: created.record.id,
      projectScope: "p1",
    });
    const auth = h.security.auth;
    expect(await auth.authorize(p, "project:write", "p1")).toEqual({
      allowed: true,
      reason: "granted-global",
    });
    // outside its scopes, even though alice holds metrics:read
    expect(await auth.authorize(p, "metrics:read", "p1")).toEqual({
      allowed: false,
      reason: "outside-key-scope",
    });
    // outside its project
    expect(await auth.authorize(p, "project:read", "p2")).toEqual({
      allowed: false,
      reason: "outside-key-project",
    });
    // beyond the owner's role
    expect((await auth.authorize(p, "security:admin", "p1")).allowed).toBe(false);
    const denied = await h.storage.audit.query({ types: ["security.permission_denied"] });
    expect(denied.map((e) => e.details["reason"])).toEqual([
      "outside-key-scope",
      "outside-key-project",
      "not-permitted",
    ]);
  });

  it("refuses scopes the owner does not hold", async () => {
    h = harness();
    await h.security.users.createUser(
      { username: "vic", password: PASSWORD, role: "viewer" },
      LOCAL,
    );
    expect(
      await codeOf(
        h.security.apiKeys.create({ username: "vic", name: "x", scopes: ["project:write"] }, LOCAL),
      ),
    ).toBe("SECURITY_FORBIDDEN");
    expect(
      await codeOf(
        h.security.apiKeys.create(
          { username: "vic", name: "x", scopes: ["nope:read" as never] },
          LOCAL,
        ),
      ),
    ).toBe("SECURITY_INVALID_PERMISSION");
  });

  it("rejects revoked, expired, tampered and unknown keys and keys of disabled owners", async () => {
    h = harness();
    await h.security.users.createUser({ username: "alice", password: PASSWORD }, LOCAL);
    await h.security.users.createUser({ username: "bob", password: PASSWORD }, LOCAL);
    const mk = (username: string, expiresAt: Date | null = null) =>
      h.security.apiKeys.create({ username, name: "k", expiresAt }, LOCAL);
    const revoked = await mk("alice");
    await h.security.apiKeys.revoke(revoked.record.id, LOCAL);
    const expiring = await mk("alice", new Date(h.now().getTime() + 3_600_000));
    const ofBob = await mk("bob");
    await h.security.users.disableUser("bob", LOCAL);
    const good = await mk("alice");
    h.advance(3_600_000);
    const tampered =
      good.key.slice(0, 20) + (good.key[20] === "a" ? "b" : "a") + good.key.slice(21);
    const unknown = (await mk("alice")).key;
    sqliteOf(h.storage).prepare("DELETE FROM api_keys WHERE id = ?").run(unknown.slice(9, 17));
    for (const key of [revoked.key, expiring.key, ofBob.key, tampered, unknown, "dfk_live_nope"]) {
      expect(await codeOf(h.security.auth.authenticateApiKey(key))).toBe(
        "SECURITY_API_KEY_INVALID",
      );
    }
    await expect(h.security.auth.authenticateApiKey(good.key)).resolves.toBeTruthy();
    const reasons = (await h.storage.audit.query({ types: ["security.login_failed"] })).map(
      (e) => e.details["reason"],
    );
    expect(reasons).toEqual([
      "revoked",
      "expired",
      "owner_disabled",
      "SECURITY_API_KEY_CHECKSUM",
      "unknown",
      "SECURITY_API_KEY_MALFORMED",
    ]);
  });

  it("records last use and use counts, batched at most once a minute per key", async () => {
    h = harness();
    await h.security.users.createUser({ username: "alice", password: PASSWORD }, LOCAL);
    const { key, record } = await h.security.apiKeys.create(
      { username: "alice", name: "k" },
      LOCAL,
    );
    for (let i = 0; i < 10; i++) await h.security.auth.authenticateApiKey(key);
    let stored = await h.storage.auth.apiKey(record.id);
    expect(stored?.useCount).toBe(1); // first use written, 9 pending
    h.advance(61_000);
    await h.security.auth.authenticateApiKey(key);
    stored = await h.storage.auth.apiKey(record.id);
    expect(stored?.useCount).toBe(11);
    expect(stored?.lastUsedAt).toBe(h.now().toISOString());
    await h.security.auth.authenticateApiKey(key);
    await h.security.auth.flushApiKeyUse();
    expect((await h.storage.auth.apiKey(record.id))?.useCount).toBe(12);
    const used = await h.storage.audit.query({ types: ["security.key_used"] });
    expect(used.map((e) => e.details["uses"])).toEqual([1, 10, 1]);
  });

  it("keeps no plaintext key, refresh token or password in the database file", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    const pair = await h.security.auth.refresh(login.refreshToken);
    const keys = [];
    for (let i = 0; i < 20; i++) {
      keys.push((await h.security.apiKeys.create({ username: "alice", name: `k${i}` }, LOCAL)).key);
    }
    await h.security.vault.set("github.token", "ghp_canaryVaultValue1234567890");
    sqliteOf(h.storage).pragma("wal_checkpoint(TRUNCATE)");
    const bytes = Buffer.concat(
      [h.dbPath, `${h.dbPath}-wal`].flatMap((p) => {
        try {
          return [readFileSync(p)];
        } catch {
          return [];
        }
      }),
    ).toString("latin1");
    for (const secret of [
      ...keys,
      ...keys.map((k) => k.slice(9, 52)), // the random body alone
      login.refreshToken,
      pair.refreshToken,
      PASSWORD,
      "ghp_canaryVaultValue1234567890",
      login.accessToken,
    ]) {
      expect(bytes.includes(secret), secret.slice(0, 12)).toBe(false);
    }
  });
});
