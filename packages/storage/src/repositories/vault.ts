/** The SQLite implementation of `@devflow/security`'s {@link VaultStore} (`vault_secrets`). */
import type Database from "better-sqlite3";
import type { VaultRecord, VaultStore } from "@devflow/security";

interface VaultRow {
  name: string;
  ciphertext: string;
  key_version: number;
  created_at: string;
  updated_at: string;
}

function toRecord(r: VaultRow): VaultRecord {
  return {
    name: r.name,
    ciphertext: r.ciphertext,
    keyVersion: r.key_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

/** Encrypted secrets on SQLite; values are ciphertexts only. */
export class SqliteVaultStore implements VaultStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  put(record: VaultRecord): Promise<void> {
    return settle(() => {
      this.#db
        .prepare(
          `INSERT INTO vault_secrets (name, ciphertext, key_version, created_at, updated_at)
           VALUES (@name, @ciphertext, @keyVersion, @createdAt, @updatedAt)
           ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext,
             key_version = excluded.key_version, updated_at = excluded.updated_at`,
        )
        .run(record);
    });
  }

  get(name: string): Promise<VaultRecord | null> {
    return settle(() => {
      const row = this.#db
        .prepare<[string], VaultRow>("SELECT * FROM vault_secrets WHERE name = ?")
        .get(name);
      return row === undefined ? null : toRecord(row);
    });
  }

  list(): Promise<readonly VaultRecord[]> {
    return settle(() =>
      this.#db
        .prepare<[], VaultRow>("SELECT * FROM vault_secrets ORDER BY name")
        .all()
        .map(toRecord),
    );
  }

  delete(name: string): Promise<boolean> {
    return settle(
      () => this.#db.prepare("DELETE FROM vault_secrets WHERE name = ?").run(name).changes > 0,
    );
  }

  replaceCiphertext(
    name: string,
    expected: string,
    ciphertext: string,
    keyVersion: number,
  ): Promise<boolean> {
    return settle(
      () =>
        this.#db
          .prepare(
            `UPDATE vault_secrets SET ciphertext = ?, key_version = ?
             WHERE name = ? AND ciphertext = ?`,
          )
          .run(ciphertext, keyVersion, name, expected).changes > 0,
    );
  }

  countByKeyVersion(): Promise<ReadonlyMap<number, number>> {
    return settle(
      () =>
        new Map(
          this.#db
            .prepare<[], { v: number; n: number }>(
              "SELECT key_version AS v, count(*) AS n FROM vault_secrets GROUP BY key_version",
            )
            .all()
            .map((r) => [r.v, r.n]),
        ),
    );
  }
}
