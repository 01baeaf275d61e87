/**
 * API keys in a scanner-friendly format (after GitHub's token format):
 * `dfk_<kind>_<body>_<checksum>`, e.g. `dfk_live_…_…`, where
 * - `kind` is `live` or `test`;
 * - `body` is 32 CSPRNG bytes (256 bits) as a 43-char, zero-padded base62 number;
 * - `checksum` is the CRC32 (IEEE) of `dfk_<kind>_<body>` as a 6-char, zero-padded base62 number,
 *   so leaked keys can be recognised and typos rejected offline, before any database lookup.
 *
 * Storage: only {@link hashApiKey} (SHA-256, hex) and the public lookup `id` (the first 8 body
 * chars) are stored; the key itself is shown once. A fast hash is correct here (ASVS 5.0 6.5.2):
 * the secret has ≥ 190 bits of entropy, so brute-forcing a SHA-256 is infeasible and a slow
 * password hash would only cost CPU on every request.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { DevflowError } from "@devflow/events";

/** Key kinds: production or test keys. */
export type ApiKeyKind = "live" | "test";

/** Prefix of every DevFlow API key. */
export const API_KEY_PREFIX = "dfk";

/** A freshly generated key. */
export interface GeneratedApiKey {
  /** The full key: show it once, never store or log it. */
  key: string;
  /** Public lookup id (first 8 body chars), safe to show in the UI and store. */
  id: string;
  /** SHA-256 hex of the key: the only form to store. */
  hash: string;
}

/** The parts of a well-formed key. */
export interface ParsedApiKey {
  kind: ApiKeyKind;
  id: string;
  body: string;
  checksum: string;
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
const ID_LENGTH = 8;
const KEY_PATTERN = /^dfk_(live|test)_([0-9A-Za-z]{43})_([0-9A-Za-z]{6})$/;
const KEY_LENGTH = API_KEY_PREFIX.length + 1 + 4 + 1 + BODY_LENGTH + 1 + CHECKSUM_LENGTH;

/** CRC-32/IEEE table (polynomial 0xEDB88320, reflected), part of the key format. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32/IEEE of an ASCII string (as used by zlib, PNG, GitHub tokens). */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function toBase62(value: bigint, length: number): string {
  let out = "";
  let v = value;
  while (v > 0n) {
    out = ALPHABET[Number(v % 62n)]! + out;
    v /= 62n;
  }
  return out.padStart(length, "0");
}

function checksumOf(prefixAndBody: string): string {
  return toBase62(BigInt(crc32(prefixAndBody)), CHECKSUM_LENGTH);
}

function malformed(message: string): DevflowError {
  return new DevflowError("SECURITY_API_KEY_MALFORMED", message);
}

/** SHA-256 (hex) of a key: the value to store and look up. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Generates a new key of `kind` (default `live`) from 32 CSPRNG bytes. */
export function generateApiKey(kind: ApiKeyKind = "live"): GeneratedApiKey {
  if (kind !== "live" && kind !== "test") throw malformed(`Unknown API key kind.`);
  const body = toBase62(BigInt(`0x${randomBytes(32).toString("hex")}`), BODY_LENGTH);
  const head = `${API_KEY_PREFIX}_${kind}_${body}`;
  const key = `${head}_${checksumOf(head)}`;
  return { key, id: body.slice(0, ID_LENGTH), hash: hashApiKey(key) };
}

/**
 * Validates prefix, kind, charset, length and checksum offline (no database access).
 * @throws DevflowError `SECURITY_API_KEY_MALFORMED` (shape) or `SECURITY_API_KEY_CHECKSUM`.
 *   Messages never echo the key.
 */
export function parseApiKey(key: string): ParsedApiKey {
  if (typeof key !== "string" || key.length !== KEY_LENGTH) {
    throw malformed("API key has the wrong length.");
  }
  const m = KEY_PATTERN.exec(key);
  if (!m) throw malformed("API key has the wrong prefix, kind or characters.");
  const [, kind, body, checksum] = m as unknown as [string, ApiKeyKind, string, string];
  if (checksumOf(`${API_KEY_PREFIX}_${kind}_${body}`) !== checksum) {
    throw new DevflowError("SECURITY_API_KEY_CHECKSUM", "API key checksum does not match.");
  }
  return { kind, id: body.slice(0, ID_LENGTH), body, checksum };
}

/**
 * True when `key` is well-formed and its SHA-256 equals `storedHash` (hex), compared with
 * `timingSafeEqual` on fixed-length digests. Malformed keys or hashes give false.
 */
export function verifyApiKey(key: string, storedHash: string): boolean {
  try {
    parseApiKey(key);
  } catch {
    return false;
  }
  if (typeof storedHash !== "string" || !/^[0-9a-f]{64}$/i.test(storedHash)) return false;
  return timingSafeEqual(Buffer.from(hashApiKey(key), "hex"), Buffer.from(storedHash, "hex"));
}
