import type Database from "better-sqlite3";

/**
 * Prepares each distinct SQL text once per connection. Queries whose shape depends on the
 * filter (which conditions are present) reuse their statement instead of re-preparing it.
 */
export class StatementCache {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** The prepared statement for `sql`, prepared on first use. */
  get(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
