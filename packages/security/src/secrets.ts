/**
 * Random tokens and the HS256 signing keyring.
 *
 * Every secret value comes from the CSPRNG (`crypto.randomBytes`), never `randomUUID()` (ASVS 5.0
 * 11.5.1: UUIDs are not unguessable values). Signing keys must be ≥ 32 random bytes (RFC 7518
 * §3.2) because jose enforces no minimum HMAC key length.
 */
import { randomBytes } from "node:crypto";
import { DevflowError } from "@devflow/events";
import { z } from "zod";

/** One HS256 signing key of a {@link SigningKeyring}. */
export interface SigningKey {
  /** Key id, put in the JWT header; looked up only in this in-memory keyring. */
  kid: string;
  /** The secret, ≥ 32 random bytes. */
  secret: Uint8Array;
  /** When the key became usable; the newest active key signs new tokens. */
  createdAt: Date;
  /** After this instant tokens signed with the key no longer verify (end of the grace period). */
  retiresAt?: Date;
}

/** HS256 signing keys, in any order. */
export type SigningKeyring = readonly SigningKey[];

/** Minimum HS256 key length in bytes (RFC 7518 §3.2). */
export const MIN_KEY_BYTES = 32;

/** Shell command that prints a fresh suitable key; quoted in every weak-key error. */
export const KEY_GENERATION_HINT = `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`;

const KID = /^[A-Za-z0-9._-]{1,64}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A random token of `bytes` CSPRNG bytes (default 32 = 256 bits), base64url without padding.
 * Use for refresh tokens, session handles and other reference tokens.
 * @throws DevflowError `SECURITY_BAD_ARGUMENT` when `bytes` is not an integer in 16..1024.
 */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 1024) {
    throw new DevflowError(
      "SECURITY_BAD_ARGUMENT",
      "randomToken needs 16..1024 bytes (≥ 128 bits, ASVS 11.5.1).",
    );
  }
  return randomBytes(bytes).toString("base64url");
}

function weak(kid: string, why: string): DevflowError {
  return new DevflowError(
    "SECURITY_WEAK_KEY",
    `Signing key "${kid}" is too weak: ${why}. Generate a new key with: ${KEY_GENERATION_HINT}`,
    { data: { kid } },
  );
}

/**
 * Refuses a secret that is shorter than 32 bytes or visibly not random: fewer than 16 distinct
 * byte values, or only printable ASCII (a passphrase, RFC 8725 §3.5). Never echoes the secret.
 * @throws DevflowError `SECURITY_WEAK_KEY` with the command that generates a good key.
 */
export function assertStrongKey(secret: Uint8Array, kid = "?"): void {
  if (secret.length < MIN_KEY_BYTES) {
    throw weak(kid, `${secret.length} bytes, at least ${MIN_KEY_BYTES} random bytes are required`);
  }
  const distinct = new Set(secret).size;
  if (distinct < 16) {
    throw weak(kid, `only ${distinct} distinct byte values, it is not random`);
  }
  if (secret.every((b) => b >= 0x20 && b <= 0x7e)) {
    throw weak(
      kid,
      "it decodes to printable text, which looks like a passphrase, not random bytes",
    );
  }
}

/**
 * Validates a keyring built in code: at least one key, unique well-formed kids, strong secrets.
 * @throws DevflowError `SECURITY_NO_KEY`, `SECURITY_KEYRING_INVALID` or `SECURITY_WEAK_KEY`.
 */
export function assertKeyring(keys: SigningKeyring): void {
  if (keys.length === 0) {
    throw new DevflowError(
      "SECURITY_NO_KEY",
      `No JWT signing key is configured. Generate one with: ${KEY_GENERATION_HINT}`,
    );
  }
  const seen = new Set<string>();
  for (const key of keys) {
    if (!KID.test(key.kid)) {
      throw new DevflowError("SECURITY_KEYRING_INVALID", "A signing key has an invalid kid.", {
        data: { kid: key.kid.slice(0, 64) },
      });
    }
    if (seen.has(key.kid)) {
      throw new DevflowError("SECURITY_KEYRING_INVALID", `Duplicate signing key kid "${key.kid}".`);
    }
    seen.add(key.kid);
    assertStrongKey(key.secret, key.kid);
  }
}

const keyEntry = z.object({
  kid: z.string().regex(KID),
  secret: z.string().regex(B64URL),
  createdAt: z.iso.datetime({ offset: true }),
  retiresAt: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Parses a keyring from a configuration string (e.g. the `JWT_KEYS` environment variable):
 * a JSON array of `{ "kid", "secret" (base64url, ≥ 32 bytes), "createdAt", "retiresAt"? }`
 * with ISO-8601 dates, or a bare base64url secret (then kid `default`, created at the epoch).
 * @throws DevflowError `SECURITY_NO_KEY` (missing/empty), `SECURITY_KEYRING_INVALID` (bad
 *   JSON or fields) or `SECURITY_WEAK_KEY` (short or low-entropy key). Messages never echo secrets.
 */
export function loadSigningKeys(source: string | undefined, name = "JWT_KEYS"): SigningKey[] {
  const text = source?.trim() ?? "";
  if (text === "" || text === "[]") {
    throw new DevflowError(
      "SECURITY_NO_KEY",
      `${name} is not set. Generate a key with: ${KEY_GENERATION_HINT}`,
    );
  }
  let keys: SigningKey[];
  if (text.startsWith("[")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DevflowError("SECURITY_KEYRING_INVALID", `${name} is not valid JSON.`);
    }
    const parsed = z.array(keyEntry).safeParse(json);
    if (!parsed.success) {
      throw new DevflowError("SECURITY_KEYRING_INVALID", `${name} has invalid entries.`, {
        data: { issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.code}`) },
      });
    }
    keys = parsed.data.map((e) => ({
      kid: e.kid,
      secret: new Uint8Array(Buffer.from(e.secret, "base64url")),
      createdAt: new Date(e.createdAt),
      ...(e.retiresAt === undefined ? {} : { retiresAt: new Date(e.retiresAt) }),
    }));
  } else {
    if (!B64URL.test(text)) {
      throw new DevflowError(
        "SECURITY_KEYRING_INVALID",
        `${name} must be base64url or a JSON keyring. Generate a key with: ${KEY_GENERATION_HINT}`,
      );
    }
    keys = [
      {
        kid: "default",
        secret: new Uint8Array(Buffer.from(text, "base64url")),
        createdAt: new Date(0),
      },
    ];
  }
  assertKeyring(keys);
  return keys;
}
