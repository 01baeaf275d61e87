/**
 * AES-256-GCM field encryption with versioned keys (reliability-security.md §5, F14).
 * Keys come from configuration (env/JSON/file), never from the database.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { DevflowError } from "@devflow/events";
import { z } from "zod";

/** Lifecycle of a key: encrypts (one only), decrypts old data, or is unusable. */
export type KeyState = "active" | "decrypt-only" | "retired";

/** One versioned 32-byte AES-256 key. */
export interface EncryptionKey {
  readonly version: number;
  readonly key: Buffer;
  readonly state: KeyState;
}

/** Where a ciphertext belongs; bound to it as GCM additional authenticated data. */
export interface FieldAad {
  readonly table: string;
  readonly rowId: string;
  readonly column: string;
}

const FORMAT = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

function weakKey(version: unknown): DevflowError {
  return new DevflowError("SECURITY_WEAK_KEY", "Encryption keys must be exactly 32 bytes.", {
    data: { version },
  });
}

/**
 * A set of versioned keys with exactly one active key. Key bytes are copied in and never
 * enumerable, so logging a ring does not print key material.
 */
export class KeyRing {
  readonly #keys = new Map<number, EncryptionKey>();
  readonly #active: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    let active: EncryptionKey | undefined;
    for (const k of keys) {
      if (!Number.isSafeInteger(k.version) || k.version < 1) {
        throw new DevflowError("SECURITY_KEYRING_INVALID", "Key versions must be integers ≥ 1.");
      }
      if (!Buffer.isBuffer(k.key) || k.key.length !== KEY_BYTES) throw weakKey(k.version);
      if (this.#keys.has(k.version)) {
        throw new DevflowError("SECURITY_KEYRING_INVALID", "Duplicate key version.", {
          data: { version: k.version },
        });
      }
      const copy: EncryptionKey = Object.freeze({
        version: k.version,
        key: Buffer.from(k.key),
        state: k.state,
      });
      this.#keys.set(k.version, copy);
      if (k.state === "active") {
        if (active) {
          throw new DevflowError("SECURITY_KEYRING_INVALID", "Exactly one key must be active.");
        }
        active = copy;
      }
    }
    if (!active) {
      throw new DevflowError("SECURITY_KEYRING_INVALID", "Exactly one key must be active.");
    }
    this.#active = active;
  }

  /** The key that encrypts. */
  get active(): EncryptionKey {
    return this.#active;
  }

  /** The key of `version`, if present (any state). */
  get(version: number): EncryptionKey | undefined {
    return this.#keys.get(version);
  }

  /** Versions and states only, no key material. */
  describe(): { version: number; state: KeyState }[] {
    return [...this.#keys.values()].map(({ version, state }) => ({ version, state }));
  }

  toJSON(): unknown {
    return { keys: this.describe() };
  }
}

const KeyEntrySchema = z.object({
  version: z.number().int().min(1),
  key: z.string().min(1),
  state: z.enum(["active", "decrypt-only", "retired"]),
});
const KeyFileSchema = z.union([
  z.array(KeyEntrySchema),
  z.object({ keys: z.array(KeyEntrySchema) }),
]);

function decodeKey(text: string, version: number): Buffer {
  const trimmed = text.trim();
  let buf: Buffer;
  if (/^(hex:)?[0-9a-fA-F]{64}$/.test(trimmed))
    buf = Buffer.from(trimmed.replace(/^hex:/, ""), "hex");
  else if (/^(base64:)?[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    buf = Buffer.from(trimmed.replace(/^base64:/, ""), "base64");
  } else throw weakKey(version);
  if (buf.length !== KEY_BYTES) throw weakKey(version);
  return buf;
}

/** Source of the key configuration: a JSON string, an env variable holding JSON, or a file. */
export type KeySource =
  | { readonly json: string }
  | { readonly env: string; readonly environment?: Readonly<Record<string, string | undefined>> }
  | { readonly file: string };

/**
 * Loads a {@link KeyRing} from configuration (never from the database). The JSON is either
 * `[{ version, key, state }]` or `{ keys: [...] }`, each `key` 32 bytes as base64/base64url or
 * 64 hex characters (optional `base64:`/`hex:` prefix). Fails closed: `SECURITY_KEYS_MISSING`,
 * `SECURITY_KEYRING_INVALID`, `SECURITY_WEAK_KEY`; no key material is echoed.
 */
export function loadEncryptionKeys(source: KeySource): KeyRing {
  let text: string | undefined;
  if ("json" in source) text = source.json;
  else if ("env" in source) text = (source.environment ?? process.env)[source.env];
  else {
    try {
      text = readFileSync(source.file, "utf8");
    } catch {
      throw new DevflowError("SECURITY_KEYS_MISSING", "Encryption key file cannot be read.");
    }
  }
  if (text === undefined || text.trim() === "") {
    throw new DevflowError("SECURITY_KEYS_MISSING", "No encryption keys are configured.");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DevflowError("SECURITY_KEYRING_INVALID", "Encryption key configuration is not JSON.");
  }
  const parsed = KeyFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DevflowError("SECURITY_KEYRING_INVALID", "Encryption key configuration is invalid.");
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.keys;
  return new KeyRing(
    entries.map((e) => ({ version: e.version, state: e.state, key: decodeKey(e.key, e.version) })),
  );
}

/** The canonical AAD `table\0rowId\0column`; components must be non-empty and NUL-free. */
export function canonicalAad(aad: FieldAad): Buffer {
  for (const part of [aad.table, aad.rowId, aad.column]) {
    if (typeof part !== "string" || part === "" || part.includes("\0")) {
      throw new DevflowError(
        "SECURITY_INVALID_AAD",
        "AAD parts must be non-empty, NUL-free strings.",
      );
    }
  }
  return Buffer.from(`${aad.table}\0${aad.rowId}\0${aad.column}`, "utf8");
}

function failed(cause?: unknown): DevflowError {
  return new DevflowError("SECURITY_DECRYPT_FAILED", "Decryption failed.", { cause });
}

/** Strict base64url: rejects anything that does not re-encode to the same text. */
function strictB64url(text: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw failed();
  const buf = Buffer.from(text, "base64url");
  if (buf.toString("base64url") !== text) throw failed();
  return buf;
}

interface ParsedValue {
  version: number;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parseValue(value: string): ParsedValue {
  if (typeof value !== "string") throw failed();
  const parts = value.split(".");
  if (parts.length !== 5) throw failed();
  const [format, version, nonce, ciphertext, tag] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (format !== FORMAT || !/^[1-9]\d{0,8}$/.test(version)) throw failed();
  const parsed = {
    version: Number(version),
    nonce: strictB64url(nonce),
    ciphertext: strictB64url(ciphertext),
    tag: strictB64url(tag),
  };
  if (parsed.nonce.length !== NONCE_BYTES || parsed.tag.length !== TAG_BYTES) throw failed();
  return parsed;
}

/**
 * Encrypts a field under the active key with a fresh random 96-bit nonce and a 16-byte tag,
 * bound to `aad`. Returns `v1.<keyVersion>.<nonce>.<ciphertext>.<tag>` (base64url parts).
 */
export function encryptField(ring: KeyRing, plaintext: string | Buffer, aad: FieldAad): string {
  const key = ring.active;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(canonicalAad(aad));
  const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    FORMAT,
    String(key.version),
    nonce.toString("base64url"),
    ciphertext.toString("base64url"),
    tag.toString("base64url"),
  ].join(".");
}

/**
 * Decrypts a value from {@link encryptField} to bytes. Any modification, wrong AAD, unknown or
 * retired key version throws `SECURITY_DECRYPT_FAILED` (one code, no detail).
 */
export function decryptFieldToBuffer(ring: KeyRing, value: string, aad: FieldAad): Buffer {
  const aadBytes = canonicalAad(aad);
  const parsed = parseValue(value);
  const key = ring.get(parsed.version);
  if (!key || key.state === "retired") throw failed();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, parsed.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aadBytes);
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
  } catch (error) {
    throw failed(error);
  }
}

/** Like {@link decryptFieldToBuffer}, decoding the plaintext as UTF-8. */
export function decryptField(ring: KeyRing, value: string, aad: FieldAad): string {
  return decryptFieldToBuffer(ring, value, aad).toString("utf8");
}

/** True when `value` was not encrypted under the active key (rotation should rewrite it). */
export function needsReencrypt(ring: KeyRing, value: string): boolean {
  return parseValue(value).version !== ring.active.version;
}

/**
 * Re-encrypts `value` under the active key (same AAD). Values already under the active key
 * are returned unchanged, so a rotation job is idempotent.
 */
export function reencryptField(ring: KeyRing, value: string, aad: FieldAad): string {
  if (!needsReencrypt(ring, value)) {
    decryptFieldToBuffer(ring, value, aad); // still authenticate it
    return value;
  }
  return encryptField(ring, decryptFieldToBuffer(ring, value, aad), aad);
}
