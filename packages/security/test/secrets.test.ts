import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  KEY_GENERATION_HINT,
  assertKeyring,
  loadSigningKeys,
  randomToken,
} from "../src/secrets.js";

function thrown(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error("expected a throw");
}

const goodSecret = (): string => randomBytes(32).toString("base64url");

describe("randomToken", () => {
  it("returns base64url of the requested CSPRNG bytes, never a UUID", () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, "base64url")).toHaveLength(32);
    expect(t).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(Buffer.from(randomToken(48), "base64url")).toHaveLength(48);
    const many = new Set(Array.from({ length: 10_000 }, () => randomToken()));
    expect(many.size).toBe(10_000);
  });

  it("refuses fewer than 128 bits", () => {
    expect(thrown(() => randomToken(8)).code).toBe("SECURITY_BAD_ARGUMENT");
    expect(thrown(() => randomToken(15.5)).code).toBe("SECURITY_BAD_ARGUMENT");
  });
});

describe("loadSigningKeys", () => {
  it("parses a JSON keyring with dates", () => {
    const s1 = goodSecret();
    const keys = loadSigningKeys(
      JSON.stringify([
        {
          kid: "k1",
          secret: s1,
          createdAt: "2026-01-01T00:00:00Z",
          retiresAt: "2026-02-01T00:00:00Z",
        },
        { kid: "k2", secret: goodSecret(), createdAt: "2026-01-15T00:00:00.000Z" },
      ]),
    );
    expect(keys.map((k) => k.kid)).toEqual(["k1", "k2"]);
    expect(Buffer.from(keys[0]!.secret).toString("base64url")).toBe(s1);
    expect(keys[0]!.secret).toBeInstanceOf(Uint8Array);
    expect(keys[0]!.retiresAt?.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(keys[1]!.retiresAt).toBeUndefined();
  });

  it("accepts a bare base64url secret as kid 'default'", () => {
    const keys = loadSigningKeys(goodSecret());
    expect(keys).toHaveLength(1);
    expect(keys[0]!.kid).toBe("default");
  });

  it("refuses missing keys with SECURITY_NO_KEY and the fix", () => {
    for (const src of [undefined, "", "   ", "[]"]) {
      const err = thrown(() => loadSigningKeys(src));
      expect(err.code).toBe("SECURITY_NO_KEY");
      expect(err.message).toContain(KEY_GENERATION_HINT);
    }
    expect(thrown(() => assertKeyring([])).code).toBe("SECURITY_NO_KEY");
  });

  it("refuses short and low-entropy keys with SECURITY_WEAK_KEY, the fix, and no secret echo", () => {
    const weak = [
      randomBytes(31).toString("base64url"), // 31 bytes
      Buffer.alloc(32, 7).toString("base64url"), // one byte value
      Buffer.from(Array.from({ length: 64 }, (_, i) => i % 15)).toString("base64url"), // 15 values
      Buffer.from("correct horse battery staple and more words").toString("base64url"), // text
    ];
    for (const secret of weak) {
      for (const src of [
        secret,
        JSON.stringify([{ kid: "k1", secret, createdAt: "2026-01-01T00:00:00Z" }]),
      ]) {
        const err = thrown(() => loadSigningKeys(src));
        expect(err.code).toBe("SECURITY_WEAK_KEY");
        expect(err.message).toContain("randomBytes(32).toString('base64url')");
        expect(err.message).not.toContain(secret);
      }
    }
  });

  it("refuses malformed keyrings", () => {
    const s = goodSecret();
    for (const src of [
      "[not json",
      JSON.stringify([{ kid: "../../etc/passwd", secret: s, createdAt: "2026-01-01T00:00:00Z" }]),
      JSON.stringify([{ kid: "k1", secret: s, createdAt: "yesterday" }]),
      JSON.stringify([{ kid: "k1", secret: "not base64!", createdAt: "2026-01-01T00:00:00Z" }]),
      JSON.stringify([
        { kid: "k1", secret: s, createdAt: "2026-01-01T00:00:00Z" },
        { kid: "k1", secret: goodSecret(), createdAt: "2026-01-02T00:00:00Z" },
      ]),
      "has spaces and !",
    ]) {
      const err = thrown(() => loadSigningKeys(src));
      expect(err.code).toBe("SECURITY_KEYRING_INVALID");
      expect(err.message).not.toContain(s);
    }
  });
});
