import { describe, expect, it } from "vitest";
import { crc32, generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from "../src/api-keys.js";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function codeOf(f: () => unknown): string {
  try {
    f();
    return "ACCEPTED";
  } catch (err) {
    return (err as { code?: string }).code ?? "NO_CODE";
  }
}

describe("API keys", () => {
  it("implements CRC-32/IEEE (check value)", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
  });

  it("generates well-formed keys that parse back", () => {
    const { key, id, hash } = generateApiKey();
    expect(key).toMatch(/^dfk_live_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
    expect(key.slice(9, 17)).toBe(id);
    expect(parseApiKey(key)).toMatchObject({ kind: "live", id });
    expect(generateApiKey("test").key.startsWith("dfk_test_")).toBe(true);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key);
    expect(hash).not.toContain(key.slice(9, 52));
  });

  it("100,000 keys: 0 key collisions and 0 id collisions", () => {
    const keys = new Set<string>();
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const { key, id } = generateApiKey();
      keys.add(key);
      ids.add(id);
    }
    expect(keys.size).toBe(100_000);
    expect(ids.size).toBe(100_000);
  });

  it("catches 100% of single-character substitutions (all positions of 200 keys)", () => {
    // Every position of every key, each with 4 different base62 substitutes (a throw per edit is
    // the cost driver; 61 substitutes per position would take ~7 s).
    let edits = 0;
    const accepted: string[] = [];
    for (let n = 0; n < 200; n++) {
      const { key } = generateApiKey(n % 2 ? "live" : "test");
      for (let i = 0; i < key.length; i++) {
        const others = BASE62.replace(key[i]!, "");
        for (let j = 0; j < 4; j++) {
          const c = others[(n * 7 + i * 13 + j * 15) % others.length]!;
          const edited = key.slice(0, i) + c + key.slice(i + 1);
          edits++;
          const got = codeOf(() => parseApiKey(edited));
          if (got !== "SECURITY_API_KEY_CHECKSUM" && got !== "SECURITY_API_KEY_MALFORMED") {
            accepted.push(edited);
          }
        }
      }
    }
    expect(edits).toBe(200 * 59 * 4);
    expect(accepted).toEqual([]);
  });

  it("distinguishes malformed keys from checksum failures", () => {
    const { key } = generateApiKey();
    const body = key.slice(9, 52);
    const check = key.slice(53);
    expect(codeOf(() => parseApiKey(""))).toBe("SECURITY_API_KEY_MALFORMED");
    expect(codeOf(() => parseApiKey(key.replace("dfk_", "dfm_")))).toBe(
      "SECURITY_API_KEY_MALFORMED",
    );
    expect(codeOf(() => parseApiKey(key.replace("_live_", "_prod_")))).toBe(
      "SECURITY_API_KEY_MALFORMED",
    );
    expect(codeOf(() => parseApiKey(`${key}0`))).toBe("SECURITY_API_KEY_MALFORMED");
    expect(codeOf(() => parseApiKey(`dfk_live_${body.slice(0, -1)}-_${check}`))).toBe(
      "SECURITY_API_KEY_MALFORMED",
    );
    const swapped = `dfk_live_${body.slice(1)}${body[0]}_${check}`;
    if (swapped !== key) {
      expect(codeOf(() => parseApiKey(swapped))).toBe("SECURITY_API_KEY_CHECKSUM");
    }
    expect(codeOf(() => parseApiKey(key.replace("_live_", "_test_")))).toBe(
      "SECURITY_API_KEY_CHECKSUM",
    );
  });

  it("verifies only the key whose hash is stored", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(verifyApiKey(a.key, a.hash)).toBe(true);
    expect(verifyApiKey(a.key, a.hash.toUpperCase())).toBe(true);
    expect(verifyApiKey(b.key, a.hash)).toBe(false);
    expect(verifyApiKey(a.key, b.hash)).toBe(false);
    expect(verifyApiKey(a.key, a.hash.slice(0, 63))).toBe(false);
    expect(verifyApiKey(a.key, "")).toBe(false);
    expect(verifyApiKey(`${a.key.slice(0, -1)}x`, a.hash)).toBe(false);
  });
});
