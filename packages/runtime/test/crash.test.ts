/**
 * Durability under SIGKILL: a child ingests through the real pipeline (engine -> SQLite sink,
 * synchronous=FULL) and is killed at a random moment, 20 times on the same database. Each
 * restart replays from before the last stored event, like a producer retrying unacknowledged
 * work. After every kill: each acknowledged event is stored, no event is stored twice, the
 * rollups count every stored event exactly once, and `integrity_check` is ok.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openReadonly } from "@devflow/storage/testing";
import { describe, expect, it } from "vitest";

const child = fileURLToPath(new URL("./fixtures/ingest-child.mjs", import.meta.url));
const RUNS = 20;

function runAndKill(dbPath: string, startSeq: number, killAfterMs: number): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dbPath, String(startSeq)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acked = new Set<string>();
    let buffer = "";
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === "READY") setTimeout(() => proc.kill("SIGKILL"), killAfterMs);
        else if (line.startsWith("ACK ")) for (const id of line.slice(4).split(",")) acked.add(id);
      }
    });
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe("ingest survives SIGKILL", () => {
  it(`keeps every committed event, exactly once, across ${RUNS} random kills`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "devflow-crash-"));
    const dbPath = join(dir, "devflow.db");
    let totalAcked = 0;
    let replayed = 0;
    for (let run = 0; run < RUNS; run++) {
      const before = (() => {
        if (run === 0) return { maxSeq: -1 };
        const db = openReadonly(dbPath);
        const row = db.prepare("SELECT max(id) AS id FROM events").get() as { id: string | null };
        db.close();
        return { maxSeq: row.id ? Number(row.id.slice(6)) : -1 };
      })();
      const startSeq = Math.max(0, before.maxSeq - 250);
      replayed += before.maxSeq + 1 - startSeq;
      const acked = await runAndKill(dbPath, startSeq, 100 + Math.floor(Math.random() * 900));
      totalAcked += acked.size;

      const db = openReadonly(dbPath);
      try {
        expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        const stored = new Set(
          (db.prepare("SELECT id FROM events").all() as Array<{ id: string }>).map((r) => r.id),
        );
        const missing = [...acked].filter((id) => !stored.has(id));
        expect(missing).toEqual([]);
        const { rows, uniq } = db
          .prepare("SELECT count(*) AS rows, count(DISTINCT id) AS uniq FROM events")
          .get() as { rows: number; uniq: number };
        expect(rows).toBe(uniq);
        // A stored event is counted once in each rollup size, replays included.
        for (const bucket of ["5m", "1h", "1d"]) {
          const { n } = db
            .prepare("SELECT coalesce(sum(count), 0) AS n FROM rollups WHERE bucket = ?")
            .get(bucket) as { n: number };
          expect(n, `rollup ${bucket} after run ${run}`).toBe(rows);
        }
        // Sequence numbers are contiguous: nothing in the middle was lost.
        const max = Number(
          (db.prepare("SELECT max(id) AS id FROM events").get() as { id: string }).id.slice(6),
        );
        expect(rows).toBe(max + 1);
      } finally {
        db.close();
      }
    }
    expect(totalAcked).toBeGreaterThan(RUNS * 100);
    expect(replayed).toBeGreaterThan(0);
  }, 180_000);
});
