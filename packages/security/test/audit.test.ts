import { describe, expect, it } from "vitest";
import {
  GENESIS_HASH,
  appendEntry,
  makeAnchor,
  verifyChain,
  verifyStore,
  type AuditEntry,
  type AuditInput,
  type AuditStore,
} from "../src/index.js";

const T0 = Date.UTC(2026, 0, 1);
function input(i: number): AuditInput {
  return {
    type: i % 2 ? "security.login_failed" : "security.login_succeeded",
    timestamp: new Date(T0 + i * 1000),
    actor: `user-${i % 7}`,
    subject: `session-${i}`,
    ip: "127.0.0.1",
    projectId: "p1",
    details: { attempt: i, reason: i % 2 ? "bad_password" : null, mfa: false },
  };
}
function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev: AuditEntry | null = null;
  for (let i = 0; i < n; i++) {
    prev = appendEntry(prev, input(i));
    out.push(prev);
  }
  return out;
}
const base = chain(200);

describe("hash-chained audit log", () => {
  it("starts at seq 1 from the genesis hash and links entries", () => {
    expect(base[0]!.seq).toBe(1);
    expect(base[0]!.prevHash).toBe(GENESIS_HASH);
    expect(base[1]!.prevHash).toBe(base[0]!.hash);
    expect(base[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(base[0]!.timestamp).toBe("2026-01-01T00:00:00.000Z");
    expect(verifyChain([])).toEqual({ ok: true, checked: 0 });
  });

  it("verifies a chain of 100,000 entries quickly", () => {
    const big = chain(100_000);
    const started = performance.now();
    const res = verifyChain(big, makeAnchor(big.at(-1)!));
    expect(res).toEqual({ ok: true, checked: 100_000 });
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);

  const fields: [string, (e: AuditEntry) => AuditEntry][] = [
    ["seq", (e) => ({ ...e, seq: e.seq + 1000 })],
    ["timestamp", (e) => ({ ...e, timestamp: "2030-01-01T00:00:00.000Z" })],
    ["type", (e) => ({ ...e, type: "security.logout" })],
    ["actor", (e) => ({ ...e, actor: "someone-else" })],
    ["actor removed", ({ actor: _a, ...e }) => e],
    ["subject", (e) => ({ ...e, subject: "x" })],
    ["ip", (e) => ({ ...e, ip: "10.0.0.1" })],
    ["projectId", (e) => ({ ...e, projectId: "p2" })],
    ["details value", (e) => ({ ...e, details: { ...e.details, attempt: 1 } })],
    ["details added", (e) => ({ ...e, details: { ...e.details, extra: true } })],
    ["prevHash", (e) => ({ ...e, prevHash: GENESIS_HASH })],
    ["hash", (e) => ({ ...e, hash: "f".repeat(64) })],
  ];
  it.each(fields)("detects a modified %s in a middle entry at its seq", (_name, mutate) => {
    const entries = [...base];
    entries[99] = mutate(entries[99]!);
    expect(verifyChain(entries)).toEqual({
      ok: false,
      checked: 99,
      firstBad: { seq: 100, problem: "modified" },
    });
  });

  it("detects a modified entry whose hash was recomputed as a broken link at the next seq", () => {
    const entries = [...base];
    const forged = appendEntry(entries[48]!, { ...input(49), actor: "mallory" });
    entries[49] = forged;
    expect(verifyChain(entries).firstBad).toEqual({ seq: 51, problem: "broken-link" });
  });

  it("detects a deleted entry as a gap at the missing seq", () => {
    const entries = base.filter((e) => e.seq !== 120);
    expect(verifyChain(entries)).toMatchObject({
      ok: false,
      firstBad: { seq: 120, problem: "gap" },
    });
    expect(verifyChain(base.slice(1)).firstBad).toEqual({ seq: 1, problem: "gap" });
  });

  it("detects swapped entries as reordered", () => {
    const entries = [...base];
    [entries[59], entries[60]] = [entries[60]!, entries[59]!];
    expect(verifyChain(entries).firstBad).toEqual({ seq: 60, problem: "reordered" });
    const dup = [...base.slice(0, 10), base[5]!, ...base.slice(10)];
    expect(verifyChain(dup).firstBad).toEqual({ seq: 11, problem: "reordered" });
  });

  it("detects tail truncation and a rebuilt chain against an anchor", () => {
    const anchor = makeAnchor(base.at(-1)!, new Date(T0));
    expect(anchor).toEqual({ seq: 200, hash: base.at(-1)!.hash, at: "2026-01-01T00:00:00.000Z" });
    expect(verifyChain(base, anchor).ok).toBe(true);
    expect(verifyChain(base.slice(0, 190))).toEqual({ ok: true, checked: 190 });
    expect(verifyChain(base.slice(0, 190), anchor)).toEqual({
      ok: false,
      checked: 190,
      firstBad: { seq: 191, problem: "truncated" },
    });
    expect(verifyChain([], anchor).firstBad).toEqual({ seq: 1, problem: "truncated" });
    // An attacker rebuilds the whole chain with one event changed: internally consistent.
    let prev: AuditEntry | null = null;
    const rebuilt = base.map(
      (e, i) => (prev = appendEntry(prev, i === 10 ? { ...input(i), actor: "x" } : input(i))),
    );
    expect(verifyChain(rebuilt).ok).toBe(true);
    expect(verifyChain(rebuilt, anchor).firstBad).toEqual({ seq: 200, problem: "truncated" });
    // An anchor in the middle of a longer chain still checks that entry.
    expect(verifyChain(rebuilt, makeAnchor(base[99]!)).firstBad).toEqual({
      seq: 100,
      problem: "truncated",
    });
  });

  it("refuses secret-looking detail keys and invalid input", () => {
    for (const key of [
      "password",
      "newPassword",
      "token",
      "refreshToken",
      "apiKey",
      "api_key",
      "clientSecret",
      "privateKey",
      "masterKey",
      "key",
      "Authorization",
    ]) {
      expect(() =>
        appendEntry(null, { type: "security.key_created", details: { [key]: "x" } }),
      ).toThrow(expect.objectContaining({ code: "SECURITY_SECRET_IN_AUDIT" }));
    }
    expect(
      appendEntry(null, { type: "security.key_rotated", details: { keyId: "k2", fromVersion: 1 } })
        .seq,
    ).toBe(1);
    expect(() => appendEntry(null, { type: "security.nope" as "security.logout" })).toThrow(
      expect.objectContaining({ code: "SECURITY_INVALID_AUDIT_ENTRY" }),
    );
    expect(() =>
      appendEntry(null, { type: "security.logout", details: { n: Number.NaN } }),
    ).toThrow(expect.objectContaining({ code: "SECURITY_INVALID_AUDIT_ENTRY" }));
  });

  it("verifies an AuditStore with its latest anchor", async () => {
    const entries = base.slice(0, 150);
    const store: Pick<AuditStore, "entries" | "anchors"> = {
      async *entries() {
        await Promise.resolve();
        yield* entries;
      },
      anchors: () => Promise.resolve([makeAnchor(base[50]!), makeAnchor(base[199]!)]),
    };
    expect((await verifyStore(store)).firstBad).toEqual({ seq: 151, problem: "truncated" });
  });
});
