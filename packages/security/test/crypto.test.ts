import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  KeyRing,
  decryptField,
  decryptFieldToBuffer,
  encryptField,
  loadEncryptionKeys,
  needsReencrypt,
  reencryptField,
  type FieldAad,
} from "../src/index.js";

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring1 = new KeyRing([{ version: 1, key: k1, state: "active" }]);
const ringRotated = new KeyRing([
  { version: 1, key: k1, state: "decrypt-only" },
  { version: 2, key: k2, state: "active" },
]);
const ringRetired = new KeyRing([
  { version: 1, key: k1, state: "retired" },
  { version: 2, key: k2, state: "active" },
]);
const AAD: FieldAad = { table: "settings", rowId: "row-1", column: "github_token" };
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

function flipBit(b64: string): string {
  const buf = Buffer.from(b64, "base64url");
  const i = randomInt(buf.length);
  buf[i]! ^= 1 << randomInt(8);
  return buf.toString("base64url");
}
function flipStringBit(s: string): string {
  const i = randomInt(s.length);
  return (
    s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << randomInt(7))) + s.slice(i + 1)
  );
}

describe("AES-256-GCM field encryption", () => {
  it("round-trips strings, buffers and empty values", () => {
    const v = encryptField(ring1, "ghp_canary_ÿ✓", AAD);
    expect(v).toMatch(/^v1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(v).not.toContain("canary");
    expect(decryptField(ring1, v, AAD)).toBe("ghp_canary_ÿ✓");
    const bytes = randomBytes(100);
    expect(decryptFieldToBuffer(ring1, encryptField(ring1, bytes, AAD), AAD).equals(bytes)).toBe(
      true,
    );
    expect(decryptField(ring1, encryptField(ring1, "", AAD), AAD)).toBe("");
  });

  it("rejects 100 % of 10,000 single-bit flips over nonce, ciphertext, tag and AAD", () => {
    const values = Array.from({ length: 50 }, (_, i) =>
      encryptField(ring1, `secret value ${i}`, AAD),
    );
    let rejected = 0;
    const N = 10_000;
    for (let n = 0; n < N; n++) {
      const value = values[n % values.length]!;
      const parts = value.split(".");
      const target = n % 6;
      let aad = AAD;
      let tampered = value;
      if (target <= 2) {
        const idx = 2 + target; // nonce, ciphertext, tag
        parts[idx] = flipBit(parts[idx]!);
        tampered = parts.join(".");
      } else if (target === 3) {
        tampered = flipStringBit(value); // any character of the compact string
      } else {
        const field = (["table", "rowId", "column"] as const)[n % 3]!;
        aad = { ...AAD, [field]: flipStringBit(AAD[field]) };
      }
      if (tampered === value && aad === AAD) continue;
      const c = code(() => decryptField(ring1, tampered, aad));
      if (c === "SECURITY_DECRYPT_FAILED" || c === "SECURITY_INVALID_AAD") rejected++;
    }
    expect(rejected).toBe(N);
  });

  it("rejects values swapped between rows or columns and truncated tags", () => {
    const a = encryptField(ring1, "A", { ...AAD, rowId: "a" });
    const b = encryptField(ring1, "B", { ...AAD, rowId: "b" });
    expect(code(() => decryptField(ring1, a, { ...AAD, rowId: "b" }))).toBe(
      "SECURITY_DECRYPT_FAILED",
    );
    expect(code(() => decryptField(ring1, b, { ...AAD, rowId: "a" }))).toBe(
      "SECURITY_DECRYPT_FAILED",
    );
    expect(code(() => decryptField(ring1, a, { ...AAD, rowId: "a", column: "jira_token" }))).toBe(
      "SECURITY_DECRYPT_FAILED",
    );
    // AAD components are not ambiguous when concatenated.
    const c = encryptField(ring1, "C", { table: "t", rowId: "ab", column: "c" });
    expect(code(() => decryptField(ring1, c, { table: "ta", rowId: "b", column: "c" }))).toBe(
      "SECURITY_DECRYPT_FAILED",
    );
    const parts = a.split(".");
    for (const len of [12, 4, 0]) {
      const short = [
        ...parts.slice(0, 4),
        Buffer.from(parts[4]!, "base64url").subarray(0, len).toString("base64url"),
      ];
      expect(code(() => decryptField(ring1, short.join("."), { ...AAD, rowId: "a" }))).toBe(
        "SECURITY_DECRYPT_FAILED",
      );
    }
    for (const junk of [
      "",
      "v1",
      "v2" + a.slice(2),
      a + ".x",
      a.replace("v1.1.", "v1.01."),
      a.replace("v1.1.", "v1.9."),
    ]) {
      expect(code(() => decryptField(ring1, junk, { ...AAD, rowId: "a" }))).toBe(
        "SECURITY_DECRYPT_FAILED",
      );
    }
  });

  it("uses unique nonces over 10,000 encryptions", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) nonces.add(encryptField(ring1, "x", AAD).split(".")[2]!);
    expect(nonces.size).toBe(10_000);
  });

  it("decrypts with a decrypt-only key, fails once retired, and re-encrypts to the active key", () => {
    const old = encryptField(ring1, "rotate me", AAD);
    expect(decryptField(ringRotated, old, AAD)).toBe("rotate me");
    expect(needsReencrypt(ringRotated, old)).toBe(true);
    const fresh = reencryptField(ringRotated, old, AAD);
    expect(fresh.startsWith("v1.2.")).toBe(true);
    expect(needsReencrypt(ringRotated, fresh)).toBe(false);
    expect(reencryptField(ringRotated, fresh, AAD)).toBe(fresh);
    expect(decryptField(ringRetired, fresh, AAD)).toBe("rotate me");
    expect(code(() => decryptField(ringRetired, old, AAD))).toBe("SECURITY_DECRYPT_FAILED");
    expect(code(() => reencryptField(ringRotated, old, { ...AAD, rowId: "other" }))).toBe(
      "SECURITY_DECRYPT_FAILED",
    );
  });

  it("refuses keys that are not 32 bytes and invalid key rings", () => {
    for (const len of [0, 16, 31, 33, 64]) {
      expect(
        code(() => new KeyRing([{ version: 1, key: randomBytes(len), state: "active" }])),
      ).toBe("SECURITY_WEAK_KEY");
    }
    expect(code(() => new KeyRing([{ version: 1, key: k1, state: "decrypt-only" }]))).toBe(
      "SECURITY_KEYRING_INVALID",
    );
    expect(
      code(
        () =>
          new KeyRing([
            { version: 1, key: k1, state: "active" },
            { version: 2, key: k2, state: "active" },
          ]),
      ),
    ).toBe("SECURITY_KEYRING_INVALID");
    expect(
      code(() =>
        loadEncryptionKeys({
          json: JSON.stringify([
            { version: 1, key: randomBytes(16).toString("base64"), state: "active" },
          ]),
        }),
      ),
    ).toBe("SECURITY_WEAK_KEY");
  });

  it("loads keys from JSON, env and file without echoing key material", () => {
    const json = JSON.stringify({
      keys: [
        { version: 1, key: k1.toString("base64"), state: "decrypt-only" },
        { version: 2, key: k2.toString("hex"), state: "active" },
      ],
    });
    const fromJson = loadEncryptionKeys({ json });
    expect(fromJson.active.version).toBe(2);
    expect(fromJson.get(1)!.key.equals(k1)).toBe(true);
    expect(JSON.stringify(fromJson)).not.toContain(k1.toString("base64"));
    const fromEnv = loadEncryptionKeys({
      env: "DEVFLOW_KEYS",
      environment: { DEVFLOW_KEYS: json },
    });
    expect(decryptField(fromEnv, encryptField(fromJson, "x", AAD), AAD)).toBe("x");
    const file = join(mkdtempSync(join(tmpdir(), "devflow-keys-")), "keys.json");
    writeFileSync(file, json);
    expect(loadEncryptionKeys({ file }).active.key.equals(k2)).toBe(true);
    expect(code(() => loadEncryptionKeys({ env: "NOPE", environment: {} }))).toBe(
      "SECURITY_KEYS_MISSING",
    );
    expect(code(() => loadEncryptionKeys({ file: `${file}.missing` }))).toBe(
      "SECURITY_KEYS_MISSING",
    );
    expect(code(() => loadEncryptionKeys({ json: "{not json" }))).toBe("SECURITY_KEYRING_INVALID");
  });
});
