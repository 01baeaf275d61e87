/**
 * The secrets vault: named secrets (integration tokens, webhook URLs) stored as AES-256-GCM
 * ciphertexts bound to their row (`vault_secrets/<name>/value`), with re-encryption under the
 * active key after a key rotation. Plaintext exists only in memory, in the caller's hands.
 */
import { DevflowError } from "@devflow/events";
import type { AuditStore } from "./audit.js";
import type { VaultRecord, VaultStore } from "./auth/model.js";
import {
  type FieldAad,
  type KeyRing,
  decryptField,
  encryptField,
  needsReencrypt,
} from "./crypto.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
/** Largest secret accepted, in bytes. */
export const MAX_VAULT_SECRET_BYTES = 64 * 1024;

/** Result of {@link Vault.reencryptAll}. */
export interface ReencryptReport {
  /** Entries rewritten under the active key. */
  readonly reencrypted: number;
  /** Entries already under the active key. */
  readonly current: number;
  /** Entries changed concurrently and left for the next run (never overwritten). */
  readonly skipped: number;
  readonly activeVersion: number;
}

function aadOf(name: string): FieldAad {
  return { table: "vault_secrets", rowId: name, column: "value" };
}

function versionOf(ciphertext: string): number {
  return Number(ciphertext.split(".")[1]);
}

/** Stores, reads and re-encrypts named secrets. */
export class Vault {
  readonly #store: VaultStore;
  readonly #ring: KeyRing;
  readonly #audit: Pick<AuditStore, "append"> | undefined;
  readonly #clock: () => Date;

  constructor(options: {
    store: VaultStore;
    keys: KeyRing;
    audit?: Pick<AuditStore, "append">;
    clock?: () => Date;
  }) {
    this.#store = options.store;
    this.#ring = options.keys;
    this.#audit = options.audit;
    this.#clock = options.clock ?? (() => new Date());
  }

  #name(name: string): string {
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new DevflowError(
        "SECURITY_BAD_ARGUMENT",
        "Secret names are 1-128 characters: letters, digits, '.', '_', ':', '/' or '-'.",
      );
    }
    return name;
  }

  /** Encrypts and stores `value` under `name` (replacing any previous value). */
  async set(name: string, value: string, actor = "local"): Promise<void> {
    const key = this.#name(name);
    if (typeof value !== "string" || value.length === 0) {
      throw new DevflowError("SECURITY_BAD_ARGUMENT", "A secret value must be a non-empty string.");
    }
    if (Buffer.byteLength(value, "utf8") > MAX_VAULT_SECRET_BYTES) {
      throw new DevflowError("SECURITY_BAD_ARGUMENT", "A secret value must be at most 64 KiB.");
    }
    const ciphertext = encryptField(this.#ring, value, aadOf(key));
    const at = this.#clock().toISOString();
    const previous = await this.#store.get(key);
    await this.#store.put({
      name: key,
      ciphertext,
      keyVersion: versionOf(ciphertext),
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
    });
    await this.#audit?.append({ type: "security.secret_set", actor, subject: `vault:${key}` });
  }

  /** The plaintext of `name`, or null. @throws DevflowError `SECURITY_DECRYPT_FAILED`. */
  async get(name: string): Promise<string | null> {
    const key = this.#name(name);
    const record = await this.#store.get(key);
    return record === null ? null : decryptField(this.#ring, record.ciphertext, aadOf(key));
  }

  /** Names and metadata, never values. */
  async list(): Promise<readonly Omit<VaultRecord, "ciphertext">[]> {
    return (await this.#store.list()).map(({ ciphertext: _c, ...rest }) => rest);
  }

  /** Deletes `name`; false when absent. */
  async delete(name: string, actor = "local"): Promise<boolean> {
    const key = this.#name(name);
    const deleted = await this.#store.delete(key);
    if (deleted) {
      await this.#audit?.append({
        type: "security.secret_deleted",
        actor,
        subject: `vault:${key}`,
      });
    }
    return deleted;
  }

  /**
   * Rewrites every entry not under the active key (decrypting with its own, still-known
   * version). Each entry is replaced only if unchanged since it was read.
   * @throws DevflowError `SECURITY_DECRYPT_FAILED` when an entry's key is unknown or retired.
   */
  async reencryptAll(): Promise<ReencryptReport> {
    let reencrypted = 0;
    let current = 0;
    let skipped = 0;
    for (const record of await this.#store.list()) {
      if (!needsReencrypt(this.#ring, record.ciphertext)) {
        current++;
        continue;
      }
      const aad = aadOf(record.name);
      const plaintext = decryptField(this.#ring, record.ciphertext, aad);
      const next = encryptField(this.#ring, plaintext, aad);
      if (
        await this.#store.replaceCiphertext(record.name, record.ciphertext, next, versionOf(next))
      ) {
        reencrypted++;
      } else {
        skipped++;
      }
    }
    return { reencrypted, current, skipped, activeVersion: this.#ring.active.version };
  }

  /** Entries per key version (to know when an old key can be retired). */
  countByKeyVersion(): Promise<ReadonlyMap<number, number>> {
    return this.#store.countByKeyVersion();
  }
}
