/**
 * Short-lived HS256 JWT access tokens (RFC 9068 `typ: at+jwt`) with jose, hardened per RFC 8725
 * and the findings F1/F2/F12 of the reliability-security reference: the algorithm is pinned,
 * `exp`/`iat`/`sub`/`jti`/`sid` are required (jose checks `exp` only when present), `iss`, `aud`
 * and `typ` are checked, keys come only from the in-memory keyring by `kid`, and an optional
 * {@link SessionChecker} makes tokens revocable per request.
 */
import { randomBytes } from "node:crypto";
import { DevflowError, type DevflowErrorCode } from "@devflow/events";
import { SignJWT, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { assertKeyring, type SigningKeyring, type SigningKey } from "./secrets.js";

/** Returns false when session `sid` of user `sub` was revoked (logout, disable, role change). */
export type SessionChecker = (sid: string, sub: string) => boolean | Promise<boolean>;

/** Default access-token lifetime: 15 minutes. */
export const DEFAULT_ACCESS_TTL_SECONDS = 900;
/** Longest allowed access-token lifetime: 24 hours. */
export const MAX_ACCESS_TTL_SECONDS = 86_400;

/** Options of {@link createTokenService}. */
export interface TokenServiceOptions {
  /** Signing keys; the newest active key (by `createdAt`) signs. */
  keys: SigningKeyring;
  /** `iss` of issued tokens, required on verification. */
  issuer: string;
  /** `aud` of issued tokens, required on verification. */
  audience: string;
  /** Access-token lifetime, default 900 s, at most 86 400 s. */
  accessTtlSeconds?: number;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, default 30 s, at most 300 s. */
  clockToleranceSeconds?: number;
  /** Time source (tests inject one). */
  clock?: () => Date;
}

/** Input of {@link TokenService.signAccess}. */
export interface AccessTokenInput {
  sub: string;
  sid: string;
  roles?: readonly string[];
  scope?: string;
}

/** A signed access token with the values a session store may want to keep. */
export interface SignedAccessToken {
  token: string;
  jti: string;
  kid: string;
  expiresAt: Date;
}

/** The verified claims of an access token. */
export interface AccessClaims {
  sub: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  kid: string;
  roles: string[];
  scope?: string;
}

/** Options of {@link TokenService.verifyAccess}. */
export interface VerifyAccessOptions {
  /** Checked after the signature and claims; false → `SECURITY_SESSION_REVOKED`. */
  sessionChecker?: SessionChecker;
}

/** Issues and verifies access tokens. */
export interface TokenService {
  /** @throws DevflowError `SECURITY_NO_KEY` when no key is active now. */
  signAccess(input: AccessTokenInput): Promise<SignedAccessToken>;
  /**
   * @throws DevflowError with one of `SECURITY_TOKEN_MALFORMED`, `SECURITY_TOKEN_ALG`,
   *   `SECURITY_TOKEN_KID`, `SECURITY_TOKEN_SIGNATURE`, `SECURITY_TOKEN_TYPE`,
   *   `SECURITY_TOKEN_CLAIM`, `SECURITY_TOKEN_EXPIRED`, `SECURITY_TOKEN_NOT_YET_VALID`,
   *   `SECURITY_SESSION_REVOKED`.
   */
  verifyAccess(token: string, options?: VerifyAccessOptions): Promise<AccessClaims>;
}

const ALG = "HS256";
const TYP = "at+jwt";
const MAX_TOKEN_LENGTH = 8192;
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Header parameters that point at key material; never trusted (RFC 8725 §3.10). */
const KEY_REF_HEADERS = ["jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256"];

function fail(code: DevflowErrorCode, message: string, cause?: unknown): DevflowError {
  return new DevflowError(code, message, cause === undefined ? {} : { cause });
}

function isActive(key: SigningKey, now: Date): boolean {
  return key.retiresAt === undefined || now.getTime() < key.retiresAt.getTime();
}

/** Maps a jose error to a distinct DevFlow code. */
function mapJoseError(err: unknown): DevflowError {
  if (err instanceof DevflowError) return err;
  if (err instanceof errors.JWTExpired)
    return fail("SECURITY_TOKEN_EXPIRED", "Token expired.", err);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "typ") return fail("SECURITY_TOKEN_TYPE", "Wrong token type.", err);
    if (err.claim === "nbf") {
      return fail("SECURITY_TOKEN_NOT_YET_VALID", "Token is not valid yet.", err);
    }
    return fail("SECURITY_TOKEN_CLAIM", `Invalid "${err.claim}" claim (${err.reason}).`, err);
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return fail("SECURITY_TOKEN_ALG", "Token algorithm not allowed.", err);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return fail("SECURITY_TOKEN_SIGNATURE", "Token signature is invalid.", err);
  }
  return fail("SECURITY_TOKEN_MALFORMED", "Token is malformed.", err);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((r) => typeof r === "string");
}

function readClaims(payload: JWTPayload, kid: string, maxLifetime: number): AccessClaims {
  const { sub, jti, iat, exp } = payload;
  const sid: unknown = payload["sid"];
  const roles: unknown = payload["roles"];
  const scope: unknown = payload["scope"];
  const str = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 256;
  if (!str(sub) || !str(sid) || !str(jti) || typeof iat !== "number" || typeof exp !== "number") {
    throw fail("SECURITY_TOKEN_CLAIM", "Token claims have the wrong types.");
  }
  if (exp - iat > maxLifetime) {
    throw fail("SECURITY_TOKEN_CLAIM", "Token lifetime exceeds the policy maximum.");
  }
  if (roles !== undefined && !isStringArray(roles)) {
    throw fail("SECURITY_TOKEN_CLAIM", 'Invalid "roles" claim.');
  }
  if (scope !== undefined && typeof scope !== "string") {
    throw fail("SECURITY_TOKEN_CLAIM", 'Invalid "scope" claim.');
  }
  return {
    sub,
    sid,
    jti,
    iat,
    exp,
    kid,
    roles: roles === undefined ? [] : [...roles],
    ...(scope === undefined ? {} : { scope }),
  };
}

/**
 * Creates the access-token service. Rotation: add a new key (newer `createdAt`) and give the old
 * one a `retiresAt` of at least rotation time + access TTL + clock tolerance; old tokens keep
 * verifying until then (grace period) and are rejected afterwards.
 * @throws DevflowError `SECURITY_NO_KEY` / `SECURITY_WEAK_KEY` / `SECURITY_KEYRING_INVALID` for a
 *   bad keyring, `SECURITY_BAD_ARGUMENT` for a bad TTL, tolerance, issuer or audience.
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { keys, issuer, audience } = options;
  const ttl = options.accessTtlSeconds ?? DEFAULT_ACCESS_TTL_SECONDS;
  const tolerance = options.clockToleranceSeconds ?? 30;
  const clock = options.clock ?? (() => new Date());
  assertKeyring(keys);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_ACCESS_TTL_SECONDS) {
    throw fail("SECURITY_BAD_ARGUMENT", `accessTtlSeconds must be 1..${MAX_ACCESS_TTL_SECONDS}.`);
  }
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 300) {
    throw fail("SECURITY_BAD_ARGUMENT", "clockToleranceSeconds must be 0..300.");
  }
  if (issuer === "" || audience === "") {
    throw fail("SECURITY_BAD_ARGUMENT", "issuer and audience are required.");
  }
  const byKid = new Map(keys.map((k) => [k.kid, k]));

  function signingKey(now: Date): SigningKey {
    const usable = keys
      .filter((k) => k.createdAt.getTime() <= now.getTime() && isActive(k, now))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const key = usable[0];
    if (!key) throw fail("SECURITY_NO_KEY", "No active JWT signing key at this time.");
    return key;
  }

  async function signAccess(input: AccessTokenInput): Promise<SignedAccessToken> {
    const now = clock();
    const key = signingKey(now);
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + ttl;
    const jti = randomBytes(16).toString("base64url");
    const claims: JWTPayload = { sid: input.sid };
    if (input.roles !== undefined) claims["roles"] = [...input.roles];
    if (input.scope !== undefined) claims["scope"] = input.scope;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: TYP })
      .setSubject(input.sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(key.secret);
    return { token, jti, kid: key.kid, expiresAt: new Date(exp * 1000) };
  }

  async function verifyAccess(
    token: string,
    verifyOptions: VerifyAccessOptions = {},
  ): Promise<AccessClaims> {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !COMPACT.test(token)) {
      throw fail("SECURITY_TOKEN_MALFORMED", "Token is not a compact JWS.");
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch (err) {
      throw fail("SECURITY_TOKEN_MALFORMED", "Token header is malformed.", err);
    }
    if (header.alg !== ALG) throw fail("SECURITY_TOKEN_ALG", "Token algorithm not allowed.");
    if (KEY_REF_HEADERS.some((h) => Object.hasOwn(header, h))) {
      throw fail("SECURITY_TOKEN_KID", "Token header references external key material.");
    }
    const now = clock();
    const kid = header.kid;
    const key = typeof kid === "string" ? byKid.get(kid) : undefined;
    if (kid === undefined || key === undefined) {
      throw fail("SECURITY_TOKEN_KID", "Token key id is unknown.");
    }
    if (!isActive(key, now)) throw fail("SECURITY_TOKEN_KID", "Token key is retired.");
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key.secret, {
        algorithms: [ALG],
        issuer,
        audience,
        typ: TYP,
        requiredClaims: ["exp", "iat", "sub", "jti", "sid"],
        maxTokenAge: ttl,
        clockTolerance: tolerance,
        currentDate: now,
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    const claims = readClaims(payload, key.kid, ttl);
    const checker = verifyOptions.sessionChecker;
    if (checker && (await checker(claims.sid, claims.sub)) !== true) {
      throw fail("SECURITY_SESSION_REVOKED", "Session was revoked.");
    }
    return claims;
  }

  return { signAccess, verifyAccess };
}
