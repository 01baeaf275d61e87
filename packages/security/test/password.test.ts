import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCRYPT_PARAMS,
  dummyVerify,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "../src/password.js";

/** Lower cost for speed; production uses DEFAULT_SCRYPT_PARAMS. */
const fast = { params: { N: 2 ** 12, r: 8, p: 1 } };

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe("password hashing", () => {
  it("uses the documented production parameters and encoding", async () => {
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    const encoded = await hashPassword("correct horse battery staple");
    expect(encoded).toMatch(/^scrypt\$v=1\$N=131072,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword("correct horse battery staple", encoded)).toBe(true);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const encoded = await hashPassword("s3cret-pässword", fast);
    expect(await verifyPassword("s3cret-pässword", encoded)).toBe(true);
    expect(await verifyPassword("s3cret-passwörd", encoded)).toBe(false);
    expect(await verifyPassword("S3cret-pässword", encoded)).toBe(false);
  });

  it("uses a fresh salt each time", async () => {
    const a = await hashPassword("same password", fast);
    const b = await hashPassword("same password", fast);
    expect(a).not.toBe(b);
    expect(a.split("$")[3]).not.toBe(b.split("$")[3]);
  });

  it("rejects tampered encodings", async () => {
    const encoded = await hashPassword("pw-123456", fast);
    const parts = encoded.split("$");
    const hash = parts[4]!;
    const flipped = (hash[0] === "A" ? "B" : "A") + hash.slice(1);
    expect(await verifyPassword("pw-123456", [...parts.slice(0, 4), flipped].join("$"))).toBe(
      false,
    );
    const salt = parts[3]!;
    const saltFlipped = (salt[0] === "A" ? "B" : "A") + salt.slice(1);
    expect(
      await verifyPassword("pw-123456", [...parts.slice(0, 3), saltFlipped, hash].join("$")),
    ).toBe(false);
    const lowered = encoded.replace("N=4096", "N=2048");
    expect(await verifyPassword("pw-123456", lowered)).toBe(false);
    // Structural damage or absurd parameters are refused, not computed.
    for (const bad of [
      encoded.replace("N=4096", "N=4097"),
      encoded.replace("N=4096", "N=1073741824"),
      encoded.replace("v=1", "v=2"),
      encoded.replace("scrypt$", "bcrypt$"),
      encoded.slice(0, -5),
      "",
    ]) {
      expect(await code(verifyPassword("pw-123456", bad))).toBe("SECURITY_PASSWORD_HASH_MALFORMED");
    }
  });

  it("rejects empty and over-long passwords", async () => {
    expect(await code(hashPassword("", fast))).toBe("SECURITY_BAD_PASSWORD");
    expect(await code(hashPassword("x".repeat(1025), fast))).toBe("SECURITY_BAD_PASSWORD");
    expect(await code(hashPassword("x".repeat(1024), fast))).toBeUndefined();
    const encoded = await hashPassword("ok-password", fast);
    expect(await code(verifyPassword("", encoded))).toBe("SECURITY_BAD_PASSWORD");
  });

  it("needsRehash when the stored parameters are lower than the target", async () => {
    const low = await hashPassword("pw-123456", fast);
    expect(needsRehash(low)).toBe(true);
    expect(needsRehash(low, fast.params)).toBe(false);
    expect(needsRehash(low, { N: 2 ** 12, r: 8, p: 2 })).toBe(true);
    const current = await hashPassword("pw-123456");
    expect(needsRehash(current)).toBe(false);
  });

  it("dummyVerify costs about as much as a real verify", { timeout: 60_000 }, async () => {
    // Same scrypt cost for both (N = 2^14 keeps it quick); samples interleaved, medians compared,
    // so a busy machine slows both alike.
    const options = { params: { N: 2 ** 14, r: 8, p: 1 } };
    const encoded = await hashPassword("timing-password", options);
    const time = async (f: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await f();
      return performance.now() - start;
    };
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 9; i++) {
      real.push(await time(() => verifyPassword("wrong-password", encoded)));
      dummy.push(await time(() => dummyVerify("wrong-password", options)));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(await dummyVerify("x", options)).toBe(false);
    expect(median(dummy)).toBeGreaterThan(median(real) / 3);
    expect(median(dummy)).toBeLessThan(median(real) * 3);
  });
});
