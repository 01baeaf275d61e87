/**
 * Canary sweep (reliability-security.md §9): ten kinds of secret pass through every security
 * entry point; none may appear in a log line (captured unredacted, so the library itself must
 * never hand a secret to its logger), an audit row, an error message or the JSONL export.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generateApiKey } from "@devflow/security";
import { openStorage } from "@devflow/storage";
import { captureLogger } from "@devflow/test-utils";
import { loadKeyMaterial } from "../../src/key-file.js";
import { bootstrapAdmin, openSecurity } from "../../src/security.js";
import { harness, type Harness, LOCAL, TEST_SCRYPT } from "./harness.js";

let h: Harness;
afterEach(() => h?.close());

describe("canary sweep", () => {
  it("no secret reaches a log line, an audit row, an error message or the export", async () => {
    h = harness();
    // Every log call as JSON, errors at any depth with message and stack.
    const { logger, json: lines } = captureLogger();
    const errors: string[] = [];
    const signingKey = randomBytes(32).toString("base64url");
    const encryptionKey = randomBytes(32).toString("base64url");
    const storage = openStorage({ path: h.dbPath, logger });
    const env = {
      DEVFLOW_JWT_KEYS: signingKey,
      DEVFLOW_ENCRYPTION_KEYS: JSON.stringify([
        { version: 1, key: encryptionKey, state: "active" },
      ]),
    };
    const security = openSecurity({ home: h.home, storage, env, logger, password: TEST_SCRYPT });
    const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        errors.push(
          `${(err as Error).message} ${JSON.stringify((err as { data?: unknown }).data ?? null)}`,
        );
      }
    };
    const canaries: Record<string, string> = {};

    // 1. the bootstrap admin's generated password
    await bootstrapAdmin(h.home, security, logger);
    canaries["bootstrap password"] = /password: (\S+)/.exec(
      readFileSync(join(h.home, "admin-password"), "utf8"),
    )![1]!;
    // 2. a chosen password, 3. a changed password, 4. a mistyped password
    canaries["user password"] = "Canary-UserPassword-7431";
    canaries["new password"] = "Canary-NewPassword-9917";
    canaries["wrong password"] = "Canary-WrongPassword-5521";
    await security.users.createUser(
      { username: "alice", password: canaries["user password"], role: "developer" },
      LOCAL,
    );
    await attempt(() =>
      security.auth.login("alice", canaries["wrong password"]!, { ip: "10.1.1.1" }),
    );
    await attempt(() =>
      security.auth.login(canaries["wrong password"]!, canaries["wrong password"]!),
    );
    const login = await security.auth.login("alice", canaries["user password"]);
    // 5. access token, 6. refresh token
    canaries["access token"] = login.accessToken;
    canaries["refresh token"] = login.refreshToken;
    const principal = await security.auth.authenticate(login.accessToken);
    await attempt(() => security.auth.authenticate(`${login.accessToken}x`));
    await attempt(() => security.auth.authenticate(login.accessToken.replace(/\.[^.]+$/, ".AAAA")));
    const pair = await security.auth.refresh(login.refreshToken);
    await attempt(() => security.auth.refresh(login.refreshToken)); // reuse
    await attempt(() => security.auth.refresh(`${pair.refreshToken}x`));
    // 7. a live API key, 8. a test API key
    const live = await security.apiKeys.create({ username: "alice", name: "ci" }, LOCAL);
    const test = await security.apiKeys.create(
      { username: "alice", name: "t", kind: "test" },
      LOCAL,
    );
    canaries["live api key"] = live.key;
    canaries["test api key"] = test.key;
    await security.auth.authenticateApiKey(live.key);
    await attempt(() => security.auth.authenticateApiKey(`${test.key.slice(0, -1)}0`));
    await attempt(() => security.auth.authenticateApiKey(generateApiKey().key));
    await security.auth.authorize(principal, "security:admin");
    await attempt(() => security.apiKeys.revoke(live.key, LOCAL));
    await attempt(() =>
      security.users.createUser(
        { username: "bob", password: canaries["new password"]!.slice(0, 5) },
        LOCAL,
      ),
    );
    await security.users.setPassword("alice", LOCAL, { password: canaries["new password"] });
    // 9. the signing key, 10. the encryption key (also as weak/invalid configuration)
    canaries["signing key"] = signingKey;
    canaries["encryption key"] = encryptionKey;
    for (const bad of [
      { DEVFLOW_JWT_KEYS: signingKey.slice(0, 20) },
      { DEVFLOW_JWT_KEYS: `[{"kid":"a","secret":"${signingKey}"}]` },
      {
        DEVFLOW_JWT_KEYS: signingKey,
        DEVFLOW_ENCRYPTION_KEYS: `[{"version":1,"key":"${encryptionKey.slice(0, 30)}","state":"active"}]`,
      },
      { DEVFLOW_JWT_KEYS: signingKey, DEVFLOW_ENCRYPTION_KEYS: `{${encryptionKey}` },
    ]) {
      await attempt(() => Promise.resolve().then(() => loadKeyMaterial(h.home, bad)));
    }
    // 11. a vault value
    canaries["vault value"] = "Canary-VaultValue-ghp_0123456789abcdef";
    await security.vault.set("github.token", canaries["vault value"]);
    await attempt(() => security.vault.set("bad name!", canaries["vault value"]!));
    await security.auth.flushApiKeyUse();

    const exportFile = join(h.home, "export.jsonl");
    await storage.exportJsonl(exportFile);
    const audit = JSON.stringify(await storage.audit.query({ limit: 10_000 }));
    const haystacks = {
      logs: lines.join("\n"),
      audit,
      errors: errors.join("\n"),
      export: readFileSync(exportFile, "utf8"),
    };
    expect(lines.length).toBeGreaterThan(10);
    expect(errors.length).toBeGreaterThanOrEqual(12);
    expect(JSON.parse(audit).length).toBeGreaterThan(15);
    expect(Object.keys(canaries)).toHaveLength(11);
    for (const [kind, secret] of Object.entries(canaries)) {
      for (const [where, text] of Object.entries(haystacks)) {
        expect(text.includes(secret), `${kind} in ${where}`).toBe(false);
        // nor a recognisable part of it (16 chars from the middle)
        const middle = secret.slice(
          Math.floor(secret.length / 2) - 8,
          Math.floor(secret.length / 2) + 8,
        );
        expect(text.includes(middle), `${kind} (fragment) in ${where}`).toBe(false);
      }
    }
    storage.close();
  });
});
