import { randomBytes } from "node:crypto";
import { SignJWT, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import type { SigningKey } from "../src/secrets.js";
import { createTokenService, type TokenServiceOptions } from "../src/tokens.js";

const ISS = "devflow";
const AUD = "devflow-api";
const T0 = new Date("2026-03-01T00:00:00Z");
const sec = (d: Date): number => Math.floor(d.getTime() / 1000);
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");

const k1: SigningKey = {
  kid: "k1",
  secret: new Uint8Array(randomBytes(32)),
  createdAt: new Date("2026-01-01T00:00:00Z"),
};

function setup(extra: Partial<TokenServiceOptions> = {}) {
  const clock = { now: T0 };
  const svc = createTokenService({
    keys: [k1],
    issuer: ISS,
    audience: AUD,
    clock: () => clock.now,
    ...extra,
  });
  return { svc, clock };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ACCEPTED";
  } catch (err) {
    return (err as { code?: string }).code ?? "NO_CODE";
  }
}

function claims(over: Record<string, unknown> = {}): JWTPayload {
  const now = sec(T0);
  const base: Record<string, unknown> = {
    sub: "u1",
    sid: "s1",
    jti: "j-1234567890abcdef",
    iat: now,
    nbf: now,
    exp: now + 600,
    iss: ISS,
    aud: AUD,
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** Signs by hand with jose, so any header/claim combination can be produced. */
function handSign(
  payload: JWTPayload,
  header: Record<string, unknown> = { alg: "HS256", kid: "k1", typ: "at+jwt" },
  secret: Uint8Array = k1.secret,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(secret);
}

describe("access tokens", () => {
  it("signs with the documented header and claims and verifies them", async () => {
    const { svc } = setup();
    const signed = await svc.signAccess({ sub: "u1", sid: "s1", roles: ["viewer"], scope: "p1" });
    expect(decodeProtectedHeader(signed.token)).toEqual({ alg: "HS256", kid: "k1", typ: "at+jwt" });
    const p = decodeJwt(signed.token);
    expect(p).toMatchObject({ sub: "u1", sid: "s1", iss: ISS, aud: AUD, roles: ["viewer"] });
    expect(p.exp! - p.iat!).toBe(900);
    expect(p.nbf).toBe(p.iat);
    expect(Buffer.from(p.jti!, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(signed.expiresAt.getTime()).toBe(T0.getTime() + 900_000);
    const verified = await svc.verifyAccess(signed.token);
    expect(verified).toMatchObject({
      sub: "u1",
      sid: "s1",
      kid: "k1",
      roles: ["viewer"],
      scope: "p1",
    });
    const other = await svc.signAccess({ sub: "u1", sid: "s1" });
    expect(other.jti).not.toBe(signed.jti);
  });

  it("rejects every bad token with one distinct code per failure class (0 accepted)", async () => {
    const { svc } = setup();
    const good = (await svc.signAccess({ sub: "u1", sid: "s1" })).token;
    const [h, , s] = good.split(".");
    const now = sec(T0);
    const cases: [string, string, Promise<string> | string][] = [
      ["SECURITY_TOKEN_MALFORMED", "garbage", "not-a-jwt"],
      ["SECURITY_TOKEN_MALFORMED", "two parts", `${h}.${b64(claims())}`],
      [
        "SECURITY_TOKEN_MALFORMED",
        "header not JSON",
        `${Buffer.from("{x").toString("base64url")}.${b64(claims())}.${s}`,
      ],
      ["SECURITY_TOKEN_ALG", "alg none", `${b64({ alg: "none" })}.${b64(claims())}.`],
      [
        "SECURITY_TOKEN_ALG",
        "alg none + kid/typ",
        `${b64({ alg: "none", kid: "k1", typ: "at+jwt" })}.${b64(claims())}.`,
      ],
      [
        "SECURITY_TOKEN_ALG",
        "HS512 same secret",
        handSign(claims(), { alg: "HS512", kid: "k1", typ: "at+jwt" }),
      ],
      [
        "SECURITY_TOKEN_ALG",
        "HS384 same secret",
        handSign(claims(), { alg: "HS384", kid: "k1", typ: "at+jwt" }),
      ],
      [
        "SECURITY_TOKEN_ALG",
        "RS256 header",
        `${b64({ alg: "RS256", kid: "k1", typ: "at+jwt" })}.${b64(claims())}.${s}`,
      ],
      [
        "SECURITY_TOKEN_ALG",
        "lower-case hs256",
        `${b64({ alg: "hs256", kid: "k1", typ: "at+jwt" })}.${b64(claims())}.${s}`,
      ],
      [
        "SECURITY_TOKEN_SIGNATURE",
        "wrong key",
        handSign(claims(), undefined, new Uint8Array(randomBytes(32))),
      ],
      [
        "SECURITY_TOKEN_SIGNATURE",
        "tampered payload",
        `${h}.${b64({ ...decodeJwt(good), sub: "admin" })}.${s}`,
      ],
      ["SECURITY_TOKEN_SIGNATURE", "empty signature", `${h}.${good.split(".")[1]}.`],
      ["SECURITY_TOKEN_CLAIM", "missing exp", handSign(claims({ exp: undefined }))],
      ["SECURITY_TOKEN_CLAIM", "missing iat", handSign(claims({ iat: undefined }))],
      ["SECURITY_TOKEN_CLAIM", "missing sub", handSign(claims({ sub: undefined }))],
      ["SECURITY_TOKEN_CLAIM", "missing jti", handSign(claims({ jti: undefined }))],
      ["SECURITY_TOKEN_CLAIM", "missing sid", handSign(claims({ sid: undefined }))],
      ["SECURITY_TOKEN_CLAIM", "wrong iss", handSign(claims({ iss: "evil" }))],
      ["SECURITY_TOKEN_CLAIM", "wrong aud", handSign(claims({ aud: "devflow-mcp" }))],
      ["SECURITY_TOKEN_CLAIM", "missing aud", handSign(claims({ aud: undefined }))],
      [
        "SECURITY_TOKEN_CLAIM",
        "iat in the future",
        handSign(claims({ iat: now + 120, nbf: undefined })),
      ],
      ["SECURITY_TOKEN_CLAIM", "far-future exp", handSign(claims({ exp: 2 ** 52 }))],
      ["SECURITY_TOKEN_CLAIM", "sid not a string", handSign(claims({ sid: 42 }))],
      [
        "SECURITY_TOKEN_EXPIRED",
        "expired",
        handSign(claims({ iat: now - 120, nbf: now - 120, exp: now - 60 })),
      ],
      ["SECURITY_TOKEN_NOT_YET_VALID", "nbf in the future", handSign(claims({ nbf: now + 120 }))],
      [
        "SECURITY_TOKEN_TYPE",
        "typ JWT",
        handSign(claims(), { alg: "HS256", kid: "k1", typ: "JWT" }),
      ],
      ["SECURITY_TOKEN_TYPE", "no typ", handSign(claims(), { alg: "HS256", kid: "k1" })],
      [
        "SECURITY_TOKEN_KID",
        "unknown kid",
        handSign(claims(), { alg: "HS256", kid: "k9", typ: "at+jwt" }),
      ],
      [
        "SECURITY_TOKEN_KID",
        "path kid",
        handSign(claims(), { alg: "HS256", kid: "../../dev/null", typ: "at+jwt" }),
      ],
      ["SECURITY_TOKEN_KID", "no kid", handSign(claims(), { alg: "HS256", typ: "at+jwt" })],
      [
        "SECURITY_TOKEN_KID",
        "jku header",
        handSign(claims(), { alg: "HS256", kid: "k1", typ: "at+jwt", jku: "https://evil/jwks" }),
      ],
    ];
    const results: { expected: string; name: string; got: string }[] = [];
    for (const [expected, name, token] of cases) {
      results.push({ expected, name, got: await codeOf(svc.verifyAccess(await token)) });
    }
    expect(results.filter((r) => r.got === "ACCEPTED")).toEqual([]);
    expect(results.map((r) => `${r.name}: ${r.got}`)).toEqual(
      results.map((r) => `${r.name}: ${r.expected}`),
    );
    const codes = new Set(results.map((r) => r.got));
    expect(codes.size).toBe(8);
    // Sanity: the hand-signing helper produces an accepted token when nothing is wrong.
    await expect(svc.verifyAccess(await handSign(claims()))).resolves.toMatchObject({ sub: "u1" });
  });

  it("honours clock tolerance and expiry with the injected clock", async () => {
    const { svc, clock } = setup();
    const { token } = await svc.signAccess({ sub: "u1", sid: "s1" });
    clock.now = new Date(T0.getTime() + (900 + 29) * 1000);
    await expect(svc.verifyAccess(token)).resolves.toBeDefined();
    clock.now = new Date(T0.getTime() + (900 + 31) * 1000);
    expect(await codeOf(svc.verifyAccess(token))).toBe("SECURITY_TOKEN_EXPIRED");
  });

  it("rotates kid with a grace period for the previous key", async () => {
    const old: SigningKey = { ...k1, retiresAt: new Date("2026-03-01T00:20:00Z") };
    const next: SigningKey = {
      kid: "k2",
      secret: new Uint8Array(randomBytes(32)),
      createdAt: new Date("2026-03-01T00:00:00Z"),
    };
    const { svc, clock } = setup({ keys: [next, old], accessTtlSeconds: 3600 });
    clock.now = new Date("2026-02-28T23:59:00Z");
    const before = await svc.signAccess({ sub: "u1", sid: "s1" });
    expect(before.kid).toBe("k1");
    clock.now = new Date("2026-03-01T00:05:00Z");
    const after = await svc.signAccess({ sub: "u1", sid: "s1" });
    expect(after.kid).toBe("k2");
    expect((await svc.verifyAccess(before.token)).kid).toBe("k1");
    clock.now = new Date("2026-03-01T00:19:59Z");
    expect((await svc.verifyAccess(before.token)).kid).toBe("k1");
    clock.now = new Date("2026-03-01T00:20:00Z");
    expect(await codeOf(svc.verifyAccess(before.token))).toBe("SECURITY_TOKEN_KID");
    expect((await svc.verifyAccess(after.token)).kid).toBe("k2");
  });

  it("rejects a revoked session through the SessionChecker", async () => {
    const { svc } = setup();
    const { token } = await svc.signAccess({ sub: "u1", sid: "s1" });
    const seen: [string, string][] = [];
    const revoked = (sid: string, sub: string): boolean => {
      seen.push([sid, sub]);
      return false;
    };
    expect(await codeOf(svc.verifyAccess(token, { sessionChecker: revoked }))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
    expect(seen).toEqual([["s1", "u1"]]);
    expect(
      await codeOf(svc.verifyAccess(token, { sessionChecker: () => Promise.resolve(false) })),
    ).toBe("SECURITY_SESSION_REVOKED");
    await expect(
      svc.verifyAccess(token, { sessionChecker: () => Promise.resolve(true) }),
    ).resolves.toMatchObject({ sid: "s1" });
  });

  it("refuses weak or missing keys and bad options", () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };
    const base = { issuer: ISS, audience: AUD };
    const short = { ...k1, secret: new Uint8Array(randomBytes(16)) };
    const flat = { ...k1, secret: new Uint8Array(32).fill(1) };
    expect(code(() => createTokenService({ ...base, keys: [short] }))).toBe("SECURITY_WEAK_KEY");
    expect(code(() => createTokenService({ ...base, keys: [flat] }))).toBe("SECURITY_WEAK_KEY");
    expect(code(() => createTokenService({ ...base, keys: [] }))).toBe("SECURITY_NO_KEY");
    expect(code(() => createTokenService({ ...base, keys: [k1], accessTtlSeconds: 86_401 }))).toBe(
      "SECURITY_BAD_ARGUMENT",
    );
    expect(code(() => createTokenService({ ...base, keys: [k1], accessTtlSeconds: 86_400 }))).toBe(
      undefined,
    );
  });

  it("fails to sign when no key is active", async () => {
    const retired = { ...k1, retiresAt: new Date("2026-02-01T00:00:00Z") };
    const { svc } = setup({ keys: [retired] });
    expect(await codeOf(svc.signAccess({ sub: "u1", sid: "s1" }))).toBe("SECURITY_NO_KEY");
  });
});
