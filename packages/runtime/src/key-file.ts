/**
 * The key file `<home>/keys.json` (mode 0600): the JWT signing keys and the AES-256-GCM
 * encryption keys, never stored in the database. Created with fresh CSPRNG keys on first use;
 * `DEVFLOW_JWT_KEYS` / `DEVFLOW_ENCRYPTION_KEYS` override it (then rotation is the operator's
 * job). A key file readable by group or others is refused, with the fix.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
  mkdirSync,
} from "node:fs";
import { join } from "node:path";
import { DevflowError } from "@devflow/events";
import { KeyRing, loadEncryptionKeys, loadSigningKeys, type SigningKey } from "@devflow/security";
import { z } from "zod";

/** Name of the key file in the DevFlow home. */
export const KEY_FILE_NAME = "keys.json";
/** Environment variable with the signing keyring (JSON or one base64url secret). */
export const JWT_KEYS_ENV = "DEVFLOW_JWT_KEYS";
/** Environment variable with the encryption keyring (JSON). */
export const ENCRYPTION_KEYS_ENV = "DEVFLOW_ENCRYPTION_KEYS";

const SigningEntry = z.object({
  kid: z.string(),
  secret: z.string(),
  createdAt: z.string(),
  retiresAt: z.string().optional(),
});
const EncryptionEntry = z.object({
  version: z.number().int().min(1),
  key: z.string(),
  state: z.enum(["active", "decrypt-only", "retired"]),
  createdAt: z.string().optional(),
});
const KeyFileSchema = z.object({
  format: z.literal("devflow-keys"),
  version: z.literal(1),
  signing: z.array(SigningEntry),
  encryption: z.array(EncryptionEntry),
});

/** The content of the key file. */
export type KeyFile = z.infer<typeof KeyFileSchema>;

/** The loaded keys and where they came from. */
export interface KeyMaterial {
  readonly signing: SigningKey[];
  readonly encryption: KeyRing;
  readonly signingSource: "file" | "env";
  readonly encryptionSource: "file" | "env";
  readonly file: string;
}

/** The key file path of a home. */
export function keyFilePath(home: string): string {
  return join(home, KEY_FILE_NAME);
}

function newSigningEntry(now: Date): KeyFile["signing"][number] {
  const stamp = now.toISOString().replace(/[-:]/g, "").slice(0, 15);
  return {
    kid: `k${stamp}-${randomBytes(3).toString("hex")}`,
    secret: randomBytes(32).toString("base64url"),
    createdAt: now.toISOString(),
  };
}

function newEncryptionEntry(version: number, now: Date): KeyFile["encryption"][number] {
  return {
    version,
    key: randomBytes(32).toString("base64url"),
    state: "active",
    createdAt: now.toISOString(),
  };
}

/** Writes `content` to `path` atomically with mode 0600 (temp file, fsync, rename). */
function writeSecretFile(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function permissionsError(path: string, mode: number): DevflowError {
  return new DevflowError(
    "SECURITY_KEY_FILE_PERMISSIONS",
    `The key file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}). Fix: chmod 600 ${path}`,
  );
}

/**
 * Reads the key file, creating it with fresh keys when absent.
 * @throws DevflowError `SECURITY_KEY_FILE_PERMISSIONS`, `SECURITY_KEYRING_INVALID`.
 */
export function readKeyFile(home: string, now = new Date()): KeyFile {
  const path = keyFilePath(home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  let text: string;
  try {
    const stat = statSync(path);
    if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) {
      throw permissionsError(path, stat.mode);
    }
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (!(err instanceof Error && "code" in err && err.code === "ENOENT")) throw err;
    const fresh: KeyFile = {
      format: "devflow-keys",
      version: 1,
      signing: [newSigningEntry(now)],
      encryption: [newEncryptionEntry(1, now)],
    };
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, `${JSON.stringify(fresh, null, 2)}\n`);
      } finally {
        closeSync(fd);
      }
      return fresh;
    } catch (createErr) {
      // Another process created it first: read theirs.
      if (createErr instanceof Error && "code" in createErr && createErr.code === "EEXIST") {
        return readKeyFile(home, now);
      }
      throw createErr;
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DevflowError("SECURITY_KEYRING_INVALID", `The key file ${path} is not JSON.`);
  }
  const parsed = KeyFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DevflowError("SECURITY_KEYRING_INVALID", `The key file ${path} is invalid.`, {
      data: { issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.code}`) },
    });
  }
  return parsed.data;
}

/**
 * Loads the signing and encryption keys: each from its environment variable when set, else
 * from the key file (created on first use). Weak, missing or malformed keys refuse to load
 * with the command that makes a good one.
 */
export function loadKeyMaterial(
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): KeyMaterial {
  const file = keyFilePath(home);
  const fromEnvSigning = (env[JWT_KEYS_ENV] ?? "").trim() !== "";
  const fromEnvEncryption = (env[ENCRYPTION_KEYS_ENV] ?? "").trim() !== "";
  const keyFile = fromEnvSigning && fromEnvEncryption ? null : readKeyFile(home);
  const signing = fromEnvSigning
    ? loadSigningKeys(env[JWT_KEYS_ENV], JWT_KEYS_ENV)
    : loadSigningKeys(JSON.stringify(keyFile?.signing ?? []), file);
  const encryption = fromEnvEncryption
    ? loadEncryptionKeys({ env: ENCRYPTION_KEYS_ENV, environment: env })
    : loadEncryptionKeys({ json: JSON.stringify(keyFile?.encryption ?? []) });
  return {
    signing,
    encryption,
    signingSource: fromEnvSigning ? "env" : "file",
    encryptionSource: fromEnvEncryption ? "env" : "file",
    file,
  };
}

function refuseEnv(env: Readonly<Record<string, string | undefined>>, name: string): void {
  if ((env[name] ?? "").trim() !== "") {
    throw new DevflowError(
      "SECURITY_KEYS_FROM_ENV",
      `Keys come from ${name}; rotate them there (add a new key, keep the old one until it retires).`,
    );
  }
}

/** What {@link rotateSigningKey} did. */
export interface SigningRotation {
  readonly newKid: string;
  /** Kids of the keys that now retire at `retiresAt`. */
  readonly retiring: readonly string[];
  readonly retiresAt: string;
  /** Kids removed because their grace period had ended. */
  readonly dropped: readonly string[];
}

/**
 * Adds a new signing key (it signs from now on); the previous keys keep verifying for
 * `graceSeconds` (at least the access-token lifetime plus clock tolerance), then retire.
 */
export function rotateSigningKey(
  home: string,
  graceSeconds: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
  now = new Date(),
): SigningRotation {
  refuseEnv(env, JWT_KEYS_ENV);
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0) {
    throw new DevflowError("SECURITY_BAD_ARGUMENT", "The grace period must be ≥ 0 seconds.");
  }
  const file = readKeyFile(home, now);
  const retiresAt = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  const dropped: string[] = [];
  const retiring: string[] = [];
  const kept = file.signing.filter((k) => {
    if (k.retiresAt !== undefined && Date.parse(k.retiresAt) <= now.getTime()) {
      dropped.push(k.kid);
      return false;
    }
    return true;
  });
  const signing = kept.map((k) => {
    if (k.retiresAt !== undefined && Date.parse(k.retiresAt) <= Date.parse(retiresAt)) return k;
    retiring.push(k.kid);
    return { ...k, retiresAt };
  });
  const fresh = newSigningEntry(now);
  const next: KeyFile = { ...file, signing: [...signing, fresh] };
  loadSigningKeys(JSON.stringify(next.signing), keyFilePath(home));
  writeSecretFile(keyFilePath(home), `${JSON.stringify(next, null, 2)}\n`);
  return { newKid: fresh.kid, retiring, retiresAt, dropped };
}

/** Adds a new active encryption key; the previous active key becomes decrypt-only. */
export function rotateEncryptionKey(
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  now = new Date(),
): { version: number; previous: number[] } {
  refuseEnv(env, ENCRYPTION_KEYS_ENV);
  const file = readKeyFile(home, now);
  const version = Math.max(0, ...file.encryption.map((k) => k.version)) + 1;
  const previous: number[] = [];
  const encryption = file.encryption.map((k) => {
    if (k.state !== "active") return k;
    previous.push(k.version);
    return { ...k, state: "decrypt-only" } satisfies KeyFile["encryption"][number];
  });
  const next: KeyFile = { ...file, encryption: [...encryption, newEncryptionEntry(version, now)] };
  new KeyRing(
    next.encryption.map((k) => ({
      version: k.version,
      key: Buffer.from(k.key, "base64url"),
      state: k.state,
    })),
  );
  writeSecretFile(keyFilePath(home), `${JSON.stringify(next, null, 2)}\n`);
  return { version, previous };
}

/**
 * Marks an encryption key retired (it no longer decrypts). Refuses the active key and keys
 * that still encrypt data (`inUse` > 0: re-encrypt first).
 */
export function retireEncryptionKey(
  home: string,
  version: number,
  inUse: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  refuseEnv(env, ENCRYPTION_KEYS_ENV);
  const file = readKeyFile(home);
  const key = file.encryption.find((k) => k.version === version);
  if (key === undefined) {
    throw new DevflowError(
      "SECURITY_BAD_ARGUMENT",
      `There is no encryption key version ${version}.`,
    );
  }
  if (key.state === "active") {
    throw new DevflowError(
      "SECURITY_BAD_ARGUMENT",
      "The active key cannot be retired; rotate first.",
    );
  }
  if (inUse > 0) {
    throw new DevflowError(
      "SECURITY_KEY_IN_USE",
      `Key version ${version} still encrypts ${inUse} value(s); run \`devflow keys reencrypt\` first.`,
    );
  }
  const next: KeyFile = {
    ...file,
    encryption: file.encryption.map((k) =>
      k.version === version
        ? ({ ...k, state: "retired" } satisfies KeyFile["encryption"][number])
        : k,
    ),
  };
  writeSecretFile(keyFilePath(home), `${JSON.stringify(next, null, 2)}\n`);
}
