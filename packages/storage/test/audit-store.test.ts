// The SQLite audit store: chaining, anchors, queries, tamper detection through a second raw
// connection, secret refusal and concurrent appenders on one file.
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type AuditEntry, type AuditInput, GENESIS_HASH } from "@devflow/security";
import { openStorage, type Storage } from "../src/index.js";
import { openTemp, readRows, tempDir } from "./helpers.js";

const T = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString();

function input(i: number): AuditInput {
  return {
    type: i % 3 === 0 ? "security.login_failed" : "security.login_succeeded",
    timestamp: iso(T + i * 1000),
    actor: `user-${i % 7}`,
    subject: `session-${i}`,
    ip: "10.0.0.1",
    projectId: "p1",
    details: { attempt: i, remembered: i % 2 === 0, note: null },
  };
}

async function collect(storage: Storage, fromSeq?: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of storage.audit.entries(fromSeq)) out.push(e);
  return out;
}

/** Runs `attack` on a second raw connection to the file (foreign keys off, as an attacker). */
function tamper(path: string, attack: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    db.pragma("foreign_keys = OFF");
    attack(db);
  } finally {
    db.close();
  }
}

type Row = Record<string, unknown>;
const COLS = ["timestamp", "type", "actor", "subject", "ip", "project_id", "details"];
const COLS_ALL = [...COLS, "prev_hash", "hash"];
const rowAt = (db: Database.Database, seq: number): Row =>
  db.prepare("SELECT * FROM security_events WHERE seq = ?").get(seq) as Row;
const insertRow = (db: Database.Database, row: Row): void => {
  db.prepare(
    `INSERT INTO security_events (seq, ${COLS_ALL.join(", ")}) VALUES (@seq, @${COLS_ALL.join(", @")})`,
  ).run(row);
};
const setContent = (db: Database.Database, seq: number, from: Row): void => {
  db.prepare(
    `UPDATE security_events SET ${COLS_ALL.map((c) => `${c} = @${c}`).join(", ")} WHERE seq = @seq`,
  ).run({ ...from, seq });
};

describe("SqliteAuditStore", () => {
  it("appends a valid chain, reads it back exactly and verifies", async () => {
    const storage = openTemp();
    expect(await storage.audit.latest()).toBeNull();
    expect(await storage.audit.verify()).toEqual({ ok: true, checked: 0 });
    const appended: AuditEntry[] = [];
    for (let i = 1; i <= 5; i++) appended.push(await storage.audit.append(input(i)));
    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(appended[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < 5; i++) expect(appended[i]!.prevHash).toBe(appended[i - 1]!.hash);
    expect(appended[2]).toMatchObject({
      type: "security.login_failed",
      timestamp: "2026-01-01T00:00:03.000Z",
      actor: "user-3",
      details: { attempt: 3, remembered: false, note: null },
    });
    expect(await collect(storage)).toEqual(appended);
    expect(await collect(storage, 4)).toEqual(appended.slice(3));
    expect(await storage.audit.latest()).toEqual(appended[4]);
    expect(await storage.audit.verify()).toEqual({ ok: true, checked: 5 });
    // optional fields absent stay absent (stored as NULL), and still verify
    const bare = await storage.audit.append({ type: "security.logout", timestamp: iso(T) });
    expect(bare).not.toHaveProperty("actor");
    expect((await storage.audit.latest())!).toEqual(bare);
    expect(
      readRows(storage.path, "SELECT actor, details FROM security_events WHERE seq = 6"),
    ).toEqual([{ actor: null, details: "{}" }]);
    expect(await storage.audit.verify()).toEqual({ ok: true, checked: 6 });
  });

  it("anchors every N entries and on demand", async () => {
    const storage = openTemp({ auditAnchorEvery: 2 });
    expect(await storage.audit.anchor()).toBeNull();
    const entries = await storage.audit.appendMany([1, 2, 3, 4, 5].map(input));
    expect((await storage.audit.anchors()).map((a) => a.seq)).toEqual([2, 4]);
    const now = await storage.audit.anchor();
    expect(now).toMatchObject({ seq: 5, hash: entries[4]!.hash });
    expect(await storage.audit.anchor()).toEqual(now);
    expect(await storage.audit.anchors()).toEqual([
      { seq: 2, hash: entries[1]!.hash, at: expect.any(String) },
      { seq: 4, hash: entries[3]!.hash, at: expect.any(String) },
      now,
    ]);
  });

  it("queries by time range, types, actor, limit and order", async () => {
    const storage = openTemp();
    await storage.audit.appendMany(Array.from({ length: 30 }, (_, k) => input(k + 1)));
    const seqs = (es: readonly AuditEntry[]): number[] => es.map((e) => e.seq);
    expect(seqs(await storage.audit.query())).toHaveLength(30);
    expect(
      seqs(await storage.audit.query({ from: iso(T + 10_000), to: new Date(T + 13_000) })),
    ).toEqual([10, 11, 12]);
    expect(seqs(await storage.audit.query({ types: ["security.login_failed"], limit: 3 }))).toEqual(
      [3, 6, 9],
    );
    expect(seqs(await storage.audit.query({ actor: "user-2", order: "desc" }))).toEqual([
      30, 23, 16, 9, 2,
    ]);
    expect(await storage.audit.query({ types: [] })).toEqual([]);
    await expect(storage.audit.query({ limit: 0 })).rejects.toMatchObject({
      code: "STORAGE_BAD_ARGUMENT",
    });
    await expect(storage.audit.query({ from: "yesterday" })).rejects.toMatchObject({
      code: "STORAGE_BAD_ARGUMENT",
    });
  });

  it("detects every single-column modification of any row (small chain)", async () => {
    const storage = openTemp();
    await storage.audit.appendMany(Array.from({ length: 20 }, (_, k) => input(k + 1)));
    const changed: Record<string, unknown> = {
      timestamp: "2026-01-01T00:00:00.001Z",
      type: "security.logout",
      actor: "mallory",
      subject: "other",
      ip: "10.0.0.2",
      project_id: "p2",
      details: '{"attempt":1}',
      prev_hash: "f".repeat(64),
      hash: "e".repeat(64),
    };
    let detected = 0;
    for (const column of COLS_ALL) {
      let original: Row = {};
      tamper(storage.path, (db) => {
        original = rowAt(db, 10);
        db.prepare(`UPDATE security_events SET ${column} = ? WHERE seq = 10`).run(changed[column]);
      });
      const result = await storage.audit.verify();
      expect(result, column).toEqual({
        ok: false,
        checked: 9,
        firstBad: { seq: 10, problem: "modified" },
      });
      if (!result.ok) detected++;
      tamper(storage.path, (db) => setContent(db, 10, original));
      expect(await storage.audit.verify()).toEqual({ ok: true, checked: 20 });
    }
    expect(detected).toBe(COLS_ALL.length);
  });

  it("refuses a secret-looking detail key and stores nothing", async () => {
    const storage = openTemp();
    await expect(
      storage.audit.append({ type: "security.login_failed", details: { password: "hunter2" } }),
    ).rejects.toMatchObject({ code: "SECURITY_SECRET_IN_AUDIT" });
    await expect(
      storage.audit.appendMany([
        input(1),
        { type: "security.login_failed", details: { token: "x" } },
      ]),
    ).rejects.toMatchObject({ code: "SECURITY_SECRET_IN_AUDIT" });
    expect(readRows(storage.path, "SELECT COUNT(*) AS n FROM security_events")).toEqual([{ n: 0 }]);
    expect(readRows(storage.path, "SELECT COUNT(*) AS n FROM audit_anchors")).toEqual([{ n: 0 }]);
    expect(await storage.audit.latest()).toBeNull();
    // the chain continues normally afterwards
    expect((await storage.audit.append(input(1))).seq).toBe(1);
  });

  it("keeps one valid chain under interleaved appends from two connections", async () => {
    const path = join(tempDir(), "devflow.db");
    const a = openStorage({ path });
    const b = openStorage({ path });
    try {
      const pending: Array<Promise<AuditEntry>> = [];
      for (let i = 0; i < 200; i++) {
        pending.push(a.audit.append({ ...input(i), actor: "conn-a" }));
        pending.push(b.audit.append({ ...input(i), actor: "conn-b" }));
      }
      const results = await Promise.all(pending);
      expect(results.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 400 }, (_, k) => k + 1),
      );
      expect(await a.audit.verify()).toEqual({ ok: true, checked: 400 });
      expect(await b.audit.verify()).toEqual({ ok: true, checked: 400 });
      expect(
        readRows(
          path,
          "SELECT actor, COUNT(*) AS n FROM security_events GROUP BY actor ORDER BY actor",
        ),
      ).toEqual([
        { actor: "conn-a", n: 200 },
        { actor: "conn-b", n: 200 },
      ]);
    } finally {
      a.close();
      b.close();
    }
  });

  it("verifies 100,000 entries and detects 100 % of tampering by a second connection", async () => {
    const storage = openTemp();
    const N = 100_000;
    const inputs = Array.from({ length: N }, (_, k) => input(k + 1));
    for (let i = 0; i < N; i += 10_000) await storage.audit.appendMany(inputs.slice(i, i + 10_000));
    expect((await storage.audit.latest())!.seq).toBe(N);
    expect(await storage.audit.anchors()).toHaveLength(100);
    expect(await storage.audit.verify()).toEqual({ ok: true, checked: N });

    // foreign keys on (better-sqlite3's default): deleting an anchored entry is refused
    const guarded = new Database(storage.path);
    try {
      guarded.pragma("foreign_keys = ON");
      expect(() => guarded.prepare("DELETE FROM security_events WHERE seq = ?").run(N)).toThrow(
        /FOREIGN KEY/,
      );
    } finally {
      guarded.close();
    }

    const cases: Array<{
      name: string;
      attack: (db: Database.Database) => (db: Database.Database) => void;
      expected: { checked: number; seq: number; problem: string };
    }> = [
      {
        name: "update one column of a middle row",
        attack: (db) => {
          const row = rowAt(db, 50_000);
          db.prepare("UPDATE security_events SET actor = 'nobody' WHERE seq = 50000").run();
          return (again) => setContent(again, 50_000, row);
        },
        expected: { checked: 49_999, seq: 50_000, problem: "modified" },
      },
      {
        name: "delete a middle row",
        attack: (db) => {
          const row = rowAt(db, 50_000);
          db.prepare("DELETE FROM security_events WHERE seq = 50000").run();
          return (again) => insertRow(again, row);
        },
        expected: { checked: 49_999, seq: 50_000, problem: "gap" },
      },
      {
        name: "swap two rows' contents",
        attack: (db) => {
          const r1 = rowAt(db, 30_000);
          const r2 = rowAt(db, 70_000);
          setContent(db, 30_000, r2);
          setContent(db, 70_000, r1);
          return (again) => {
            setContent(again, 30_000, r1);
            setContent(again, 70_000, r2);
          };
        },
        expected: { checked: 29_999, seq: 30_000, problem: "modified" },
      },
      {
        name: "delete the last rows (truncate)",
        attack: (db) => {
          const rows = db.prepare("SELECT * FROM security_events WHERE seq > 99990").all() as Row[];
          db.prepare("DELETE FROM security_events WHERE seq > 99990").run();
          return (again) => {
            for (const row of rows) insertRow(again, row);
          };
        },
        expected: { checked: 99_990, seq: 99_991, problem: "truncated" },
      },
    ];
    let detected = 0;
    for (const c of cases) {
      let undo: (db: Database.Database) => void = () => undefined;
      tamper(storage.path, (db) => {
        undo = c.attack(db);
      });
      const result = await storage.audit.verify();
      expect(result, c.name).toEqual({
        ok: false,
        checked: c.expected.checked,
        firstBad: { seq: c.expected.seq, problem: c.expected.problem },
      });
      if (!result.ok && result.firstBad?.seq === c.expected.seq) detected++;
      tamper(storage.path, (db) => undo(db));
      expect(await storage.audit.verify(), `${c.name} restored`).toEqual({ ok: true, checked: N });
    }
    expect(detected / cases.length).toBe(1);
  }, 60_000);
});
