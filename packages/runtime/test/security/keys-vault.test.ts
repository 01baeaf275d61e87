import { chmodSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  keyFilePath,
  loadKeyMaterial,
  retireEncryptionKey,
  rotateEncryptionKey,
  rotateSigningKey,
} from "../../src/key-file.js";
import { openSecurity } from "../../src/security.js";
import { codeOf, harness, type Harness, TEST_SCRYPT, userWithLogin } from "./harness.js";
import { sqliteOf } from "@devflow/storage/testing";

let h: Harness;
afterEach(() => h?.close());

function errorOf(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error("expected an error");
}

describe("key material", () => {
  it("refuses a key file readable by others, with the fix", () => {
    h = harness();
    chmodSync(keyFilePath(h.home), 0o644);
    const err = errorOf(() => loadKeyMaterial(h.home, {}));
    expect(err.code).toBe("SECURITY_KEY_FILE_PERMISSIONS");
    expect(err.message).toContain(`chmod 600 ${keyFilePath(h.home)}`);
  });

  it("refuses weak or missing keys from the environment and says how to make one", () => {
    h = harness();
    for (const [value, code] of [
      ["short", "SECURITY_WEAK_KEY"],
      [
        Buffer.from("a passphrase that is long enough!!").toString("base64url"),
        "SECURITY_WEAK_KEY",
      ],
      ["[]", "SECURITY_NO_KEY"],
    ] as const) {
      const err = errorOf(() => loadKeyMaterial(h.home, { DEVFLOW_JWT_KEYS: value }));
      expect(err.code, value).toBe(code);
      expect(err.message).toContain("randomBytes(32)");
      expect(err.message).not.toContain(value === "[]" ? "\u0000" : value);
    }
    const enc = errorOf(() =>
      loadKeyMaterial(h.home, {
        DEVFLOW_ENCRYPTION_KEYS: '[{"version":1,"key":"abc","state":"active"}]',
      }),
    );
    expect(enc.code).toBe("SECURITY_WEAK_KEY");
  });

  it("never stores keys in the database", () => {
    h = harness();
    const file = JSON.parse(readFileSync(keyFilePath(h.home), "utf8")) as {
      signing: { secret: string }[];
      encryption: { key: string }[];
    };
    sqliteOf(h.storage).pragma("wal_checkpoint(TRUNCATE)");
    const db = readFileSync(h.dbPath).toString("latin1");
    for (const s of [...file.signing.map((k) => k.secret), ...file.encryption.map((k) => k.key)]) {
      expect(db.includes(s)).toBe(false);
    }
  });
});

describe("signing-key rotation", () => {
  it("old tokens verify during the grace period and fail after it", async () => {
    h = harness();
    const before = await userWithLogin(h, "alice");
    const rotation = rotateSigningKey(h.home, 1800, {}, h.now());
    const { security } = h.reopen(); // a restarted process reads the new key file
    expect(security.keys.signing.map((k) => k.kid)).toContain(rotation.newKid);
    const after = await security.auth.login("alice", "correct horse battery staple");
    expect(
      JSON.parse(Buffer.from(after.accessToken.split(".")[0]!, "base64url").toString()).kid,
    ).toBe(rotation.newKid);
    await expect(security.auth.authenticate(before.accessToken)).resolves.toBeTruthy();
    h.advance(1801_000);
    expect(await codeOf(security.auth.authenticate(before.accessToken))).toMatch(
      /SECURITY_TOKEN_(KID|EXPIRED)/,
    );
  });
});

describe("vault encryption and re-encryption", () => {
  it("rotates, re-encrypts every value, decrypts with a decrypt-only key until it is retired", async () => {
    h = harness();
    for (let i = 0; i < 25; i++)
      await h.security.vault.set(`svc.${i}`, `value-${i}-${"x".repeat(i)}`);
    expect(await h.security.vault.countByKeyVersion()).toEqual(new Map([[1, 25]]));
    rotateEncryptionKey(h.home, {});
    const { security } = h.reopen();
    // v1 is decrypt-only: old values still read
    expect(await security.vault.get("svc.3")).toBe("value-3-xxx");
    await security.vault.set("svc.new", "fresh");
    expect(await security.vault.countByKeyVersion()).toEqual(
      new Map([
        [1, 25],
        [2, 1],
      ]),
    );
    expect(errorOf(() => retireEncryptionKey(h.home, 1, 25, {})).code).toBe("SECURITY_KEY_IN_USE");
    const report = await security.vault.reencryptAll();
    expect(report).toEqual({ reencrypted: 25, current: 1, skipped: 0, activeVersion: 2 });
    expect(await security.vault.countByKeyVersion()).toEqual(new Map([[2, 26]]));
    retireEncryptionKey(h.home, 1, 0, {});
    const third = h.reopen().security;
    for (let i = 0; i < 25; i++)
      expect(await third.vault.get(`svc.${i}`)).toBe(`value-${i}-${"x".repeat(i)}`);
    expect(errorOf(() => retireEncryptionKey(h.home, 2, 0, {})).code).toBe("SECURITY_BAD_ARGUMENT");
  });

  it("a value swapped into another row, or edited, fails to decrypt", async () => {
    h = harness();
    await h.security.vault.set("a", "alpha");
    await h.security.vault.set("b", "bravo");
    const db = sqliteOf(h.storage);
    const a = db
      .prepare<[], { ciphertext: string }>("SELECT ciphertext FROM vault_secrets WHERE name = 'a'")
      .get()!;
    db.prepare("UPDATE vault_secrets SET ciphertext = ? WHERE name = 'b'").run(a.ciphertext);
    expect(await codeOf(h.security.vault.get("b"))).toBe("SECURITY_DECRYPT_FAILED");
    const flipped =
      a.ciphertext.slice(0, -3) +
      (a.ciphertext.at(-3) === "A" ? "B" : "A") +
      a.ciphertext.slice(-2);
    db.prepare("UPDATE vault_secrets SET ciphertext = ? WHERE name = 'a'").run(flipped);
    expect(await codeOf(h.security.vault.get("a"))).toBe("SECURITY_DECRYPT_FAILED");
  });

  it("the keys of one home do not open another home's vault", async () => {
    h = harness();
    await h.security.vault.set("a", "alpha");
    const other = harness();
    try {
      const foreign = openSecurity({
        home: other.home,
        storage: h.storage,
        env: {},
        password: TEST_SCRYPT,
      });
      expect(await codeOf(foreign.vault.get("a"))).toBe("SECURITY_DECRYPT_FAILED");
    } finally {
      other.close();
    }
  });
});
