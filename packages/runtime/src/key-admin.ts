/**
 * Key administration as one operation each: the status of the signing and encryption keys,
 * rotation (the key file, re-encryption of the vault and the audit entries, in that order) and
 * retirement of an old encryption key. The CLI's `devflow keys …` and any other face call these;
 * none of them repeats the sequence.
 */
import { DevflowError } from "@devflow/events";
import type { Actor } from "@devflow/security";
import type { Storage } from "@devflow/storage";
import {
  readKeyFile,
  retireEncryptionKey,
  rotateEncryptionKey,
  rotateSigningKey,
  type SigningRotation,
} from "./key-file.js";
import { openSecurity, type Security } from "./security.js";

/** Access tokens live 15 min; a retiring signing key must verify them plus clock skew. */
export const MIN_SIGNING_GRACE_SECONDS = 15 * 60 + 30;

/** The keys as `devflow keys status` shows them (never key material). */
export interface KeyStatus {
  readonly file: string;
  readonly signingSource: string;
  readonly encryptionSource: string;
  readonly signing: ReadonlyArray<{ kid: string; createdAt: string; retiresAt: string | null }>;
  readonly encryption: ReadonlyArray<{ version: number; state: string; values: number }>;
}

/** The key ids, versions and states, with how many vault values each version encrypts. */
export async function keyStatus(security: Security): Promise<KeyStatus> {
  const counts = await security.vault.countByKeyVersion();
  return {
    file: security.keys.file,
    signingSource: security.keys.signingSource,
    encryptionSource: security.keys.encryptionSource,
    signing: security.keys.signing.map((k) => ({
      kid: k.kid,
      createdAt: k.createdAt.toISOString(),
      retiresAt: k.retiresAt?.toISOString() ?? null,
    })),
    encryption: security.keys.encryption.describe().map((v) => ({
      version: v.version,
      state: v.state,
      values: counts.get(v.version) ?? 0,
    })),
  };
}

/** What to rotate. */
export interface RotateKeysOptions {
  readonly home: string;
  readonly storage: Storage;
  /** Who rotates (audited). */
  readonly actor: Actor;
  /** Rotate the JWT signing key. */
  readonly signing: boolean;
  /** Rotate the encryption key and re-encrypt the vault under it. */
  readonly encryption: boolean;
  /** How long retiring signing keys keep verifying, in seconds (≥ {@link MIN_SIGNING_GRACE_SECONDS}). */
  readonly graceSeconds: number;
}

/** What a rotation did. */
export interface KeyRotation {
  readonly signing?: SigningRotation;
  readonly encryption?: {
    version: number;
    previous: number[];
    reencrypted: number;
    current: number;
    skipped: number;
    activeVersion: number;
  };
}

function actorName(actor: Actor): string {
  return actor.kind === "local" ? `local:${actor.name}` : "unknown";
}

/**
 * Rotates the signing and/or encryption key: a new signing key (the old ones verify for the
 * grace period), a new encryption key with every vault value re-encrypted under it; each step
 * audited as `security.key_rotated`.
 *
 * @throws {@link DevflowError} `RUNTIME_BAD_GRACE` for a grace shorter than the token lifetime;
 *   the key-file errors of {@link rotateSigningKey} / {@link rotateEncryptionKey}.
 */
export async function rotateKeys(options: RotateKeysOptions): Promise<KeyRotation> {
  if (options.signing && options.graceSeconds < MIN_SIGNING_GRACE_SECONDS) {
    throw new DevflowError(
      "RUNTIME_BAD_GRACE",
      "the grace period must cover the access-token lifetime (15 min) plus clock skew: at least 16m",
    );
  }
  const { home, storage } = options;
  const actor = actorName(options.actor);
  const result: { signing?: SigningRotation; encryption?: KeyRotation["encryption"] } = {};
  if (options.signing) {
    const r = rotateSigningKey(home, options.graceSeconds);
    result.signing = r;
    await storage.audit.append({
      type: "security.key_rotated",
      actor,
      subject: `signing:${r.newKid}`,
      details: { retiring: r.retiring.join(" "), until: r.retiresAt },
    });
  }
  if (options.encryption) {
    const r = rotateEncryptionKey(home);
    // Reopen the keys from the file: the rotation just changed it.
    const report = await openSecurity({ home, storage }).vault.reencryptAll();
    result.encryption = { ...r, ...report };
    await storage.audit.append({
      type: "security.key_rotated",
      actor,
      subject: `encryption:v${r.version}`,
      details: { previous: r.previous.join(" "), reencrypted: report.reencrypted },
    });
  }
  return result;
}

/**
 * Retires an old encryption key version, refused while it still encrypts vault values;
 * audited. Returns the encryption key versions and states afterwards.
 *
 * @throws {@link DevflowError} from {@link retireEncryptionKey} (the active or an in-use version).
 */
export async function retireKey(options: {
  readonly home: string;
  readonly storage: Storage;
  readonly security: Security;
  readonly actor: Actor;
  readonly version: number;
}): Promise<Array<{ version: number; state: string }>> {
  const { home, storage, security, version } = options;
  const inUse = (await security.vault.countByKeyVersion()).get(version) ?? 0;
  retireEncryptionKey(home, version, inUse);
  await storage.audit.append({
    type: "security.key_rotated",
    actor: actorName(options.actor),
    subject: `encryption:v${version}`,
    details: { retired: true },
  });
  return readKeyFile(home).encryption.map((k) => ({ version: k.version, state: k.state }));
}
