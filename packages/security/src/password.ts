/**
 * Password hashing with scrypt (memory-hard, RFC 7914) from `node:crypto`.
 *
 * Encoded form (self-describing, so parameters can be raised later without a schema change):
 * `scrypt$v=1$N=131072,r=8,p=1$<salt base64url>$<hash base64url>`.
 *
 * Production parameters ({@link DEFAULT_SCRYPT_PARAMS}): N = 2^17, r = 8, p = 1 (OWASP ASVS 5.0
 * 11.4.2 asks N ≥ 2^17 for scrypt), a 32-byte key and
 * a 16-byte random salt; this uses 128·N·r = 128 MiB per hash. Tests may pass lower `N` through
 * {@link PasswordHashOptions}; production code must use the defaults. When the defaults are raised,
 * {@link needsRehash} reports stored hashes to upgrade at the user's next successful login.
 *
 * Passwords are NFKC-normalised before hashing (NIST SP 800-63B §5.1.1.2).
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { DevflowError } from "@devflow/events";

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/** Production scrypt parameters: N = 2^17, r = 8, p = 1 (128 MiB, about 0.3 s here). */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({
  N: 2 ** 17,
  r: 8,
  p: 1,
});

/** Options of {@link hashPassword}, {@link verifyPassword} and {@link dummyVerify}. */
export interface PasswordHashOptions {
  /** scrypt parameters. Tests only: production uses {@link DEFAULT_SCRYPT_PARAMS}. */
  params?: ScryptParams;
}

/** Longest accepted password, in characters. */
export const MAX_PASSWORD_LENGTH = 1024;

const VERSION = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const ENCODED =
  /^scrypt\$v=(\d{1,3})\$N=(\d{1,8}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

interface ParsedHash {
  version: number;
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function checkPassword(password: unknown): string {
  if (typeof password !== "string" || password.length === 0) {
    throw new DevflowError("SECURITY_BAD_PASSWORD", "Password must be a non-empty string.");
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new DevflowError(
      "SECURITY_BAD_PASSWORD",
      `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`,
    );
  }
  return password.normalize("NFKC");
}

/** Bounds that also stop a tampered stored hash from forcing a huge scrypt cost. */
function checkParams(params: ScryptParams): ScryptParams {
  const { N, r, p } = params;
  const ok =
    Number.isInteger(N) &&
    N >= 2 ** 10 &&
    N <= 2 ** 20 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16;
  if (!ok) {
    throw new DevflowError("SECURITY_PASSWORD_HASH_MALFORMED", "Unsupported scrypt parameters.", {
      data: { N, r, p },
    });
  }
  return { N, r, p };
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  // scrypt needs 128·N·r·p bytes (plus V); leave headroom so Node's maxmem check passes.
  const maxmem = 256 * N * r * p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

function parseEncoded(encoded: string): ParsedHash {
  const m = typeof encoded === "string" ? ENCODED.exec(encoded) : null;
  if (!m) {
    throw new DevflowError(
      "SECURITY_PASSWORD_HASH_MALFORMED",
      "Stored password hash is malformed.",
    );
  }
  const [, v, n, r, p, saltB64, hashB64] = m as unknown as [string, ...string[]];
  const version = Number(v);
  if (version !== VERSION) {
    throw new DevflowError(
      "SECURITY_PASSWORD_HASH_MALFORMED",
      `Unsupported password hash version ${version}.`,
    );
  }
  const params = checkParams({ N: Number(n), r: Number(r), p: Number(p) });
  const salt = Buffer.from(saltB64 ?? "", "base64url");
  const hash = Buffer.from(hashB64 ?? "", "base64url");
  if (salt.length < SALT_LENGTH || hash.length !== KEY_LENGTH) {
    throw new DevflowError(
      "SECURITY_PASSWORD_HASH_MALFORMED",
      "Stored password hash is malformed.",
    );
  }
  return { version, params, salt, hash };
}

/**
 * Hashes a password with scrypt and a fresh 16-byte salt.
 * @throws DevflowError `SECURITY_BAD_PASSWORD` for an empty or over-long password.
 */
export async function hashPassword(
  password: string,
  options: PasswordHashOptions = {},
): Promise<string> {
  const normalised = checkPassword(password);
  const params = checkParams(options.params ?? DEFAULT_SCRYPT_PARAMS);
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(normalised, salt, params);
  return `scrypt$v=${VERSION}$N=${params.N},r=${params.r},p=${params.p}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/**
 * Checks a password against an encoded hash in constant time (with the parameters stored in it).
 * @returns false for a wrong password.
 * @throws DevflowError `SECURITY_BAD_PASSWORD` (empty/over-long password),
 *   `SECURITY_PASSWORD_HASH_MALFORMED` (the stored string is not a valid encoding).
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const normalised = checkPassword(password);
  const parsed = parseEncoded(encoded);
  const candidate = await derive(normalised, parsed.salt, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}

/**
 * True when an encoded hash uses weaker parameters (or an older version) than `target`
 * (default {@link DEFAULT_SCRYPT_PARAMS}): rehash it after the next successful login.
 * @throws DevflowError `SECURITY_PASSWORD_HASH_MALFORMED` for an invalid encoding.
 */
export function needsRehash(
  encoded: string,
  target: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): boolean {
  const { version, params, salt } = parseEncoded(encoded);
  return (
    version < VERSION ||
    params.N < target.N ||
    params.r < target.r ||
    params.p < target.p ||
    salt.length < SALT_LENGTH
  );
}

let dummyHash: { key: string; hash: Buffer; salt: Buffer } | undefined;

/**
 * Spends the same scrypt work as a real {@link verifyPassword}, then returns false. Call it when the
 * user does not exist so that login timing does not reveal which accounts exist.
 */
export async function dummyVerify(
  password = "dummy-password",
  options: PasswordHashOptions = {},
): Promise<false> {
  const params = checkParams(options.params ?? DEFAULT_SCRYPT_PARAMS);
  const key = `${params.N},${params.r},${params.p}`;
  if (dummyHash?.key !== key) {
    dummyHash = { key, salt: randomBytes(SALT_LENGTH), hash: randomBytes(KEY_LENGTH) };
  }
  let normalised = "x";
  try {
    normalised = checkPassword(password);
  } catch {
    // Keep the timing; the result is false anyway.
  }
  const candidate = await derive(normalised, dummyHash.salt, params);
  timingSafeEqual(candidate, dummyHash.hash);
  return false;
}
