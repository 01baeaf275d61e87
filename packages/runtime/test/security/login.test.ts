import { statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../../src/security.js";
import { codeOf, harness, type Harness, LOCAL, PASSWORD, userWithLogin } from "./harness.js";

let h: Harness;
afterEach(() => h?.close());

describe("first-run bootstrap", () => {
  it("creates one admin whose random password is in a 0600 file and works for login", async () => {
    h = harness();
    const file = await bootstrapAdmin(h.home, h.security);
    expect(file).toBe(join(h.home, "admin-password"));
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    const text = readFileSync(file!, "utf8");
    const password = /password: (\S+)/.exec(text)?.[1] ?? "";
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const login = await h.security.auth.login("admin", password);
    expect(login.user.mustChangePassword).toBe(true);
    expect(login.user.bindings).toEqual([
      { principalId: login.user.id, role: "admin", projectId: null },
    ]);
    // a second run (or a concurrent one) does nothing
    expect(await bootstrapAdmin(h.home, h.security)).toBeNull();
    expect(await h.storage.auth.countUsers()).toBe(1);
    // key file and database are readable by their owner only
    expect(statSync(join(h.home, "keys.json")).mode & 0o777).toBe(0o600);
    expect(statSync(h.dbPath).mode & 0o077).toBe(0);
  });
});

describe("login", () => {
  it("issues an access token, a refresh token and a session that authenticates", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    expect(login.refreshToken).toMatch(/^dfr_[A-Za-z0-9_-]{43}$/);
    const principal = await h.security.auth.authenticate(login.accessToken);
    expect(principal).toMatchObject({
      kind: "user",
      username: "alice",
      sessionId: login.sessionId,
    });
    expect(principal.bindings.map((b) => b.role)).toEqual(["developer"]);
  });

  it("answers a wrong password, an unknown user and a disabled user the same way", async () => {
    h = harness();
    await userWithLogin(h, "alice");
    await h.security.users.createUser({ username: "carol", password: PASSWORD }, LOCAL);
    await h.security.users.disableUser("carol", LOCAL);
    const errors = [];
    for (const [u, p] of [
      ["alice", "wrong password here"],
      ["nobody", PASSWORD],
      ["carol", PASSWORD],
      ["", PASSWORD],
      ["alice", ""],
    ] as const) {
      try {
        await h.security.auth.login(u, p);
      } catch (err) {
        errors.push({ code: (err as { code: string }).code, message: (err as Error).message });
      }
    }
    expect(errors).toHaveLength(5);
    expect(new Set(errors.map((e) => JSON.stringify(e)))).toEqual(
      new Set([
        JSON.stringify({ code: "SECURITY_LOGIN_FAILED", message: "Invalid username or password." }),
      ]),
    );
    const failed = await h.storage.audit.query({ types: ["security.login_failed"] });
    expect(failed.map((e) => e.details["reason"])).toEqual([
      "bad_password",
      "unknown_user",
      "disabled",
      "unknown_user",
      "bad_password",
    ]);
  });

  it("locks an account after 5 failures, for existing and unknown names alike", async () => {
    h = harness();
    await userWithLogin(h, "alice");
    for (const name of ["alice", "ghost"]) {
      for (let i = 0; i < 5; i++) {
        expect(await codeOf(h.security.auth.login(name, "wrong password!!"))).toBe(
          "SECURITY_LOGIN_FAILED",
        );
      }
      // locked now: even the right password is refused, with a retry time
      const locked = await h.security.auth.login(name, PASSWORD).catch((e: unknown) => e);
      expect(locked).toMatchObject({
        code: "SECURITY_LOGIN_LOCKED",
        data: { retryAfterSeconds: 900 },
      });
    }
    const lockouts = await h.storage.audit.query({ types: ["security.lockout"] });
    expect(lockouts.map((e) => e.subject)).toEqual(["alice", "ghost"]);
    // after 15 minutes the account opens again; the next lock doubles
    h.advance(15 * 60_000);
    await expect(h.security.auth.login("alice", PASSWORD)).resolves.toMatchObject({
      user: { username: "alice" },
    });
  });

  it("doubles the lock on a repeated lockout and resets the count after a success", async () => {
    h = harness();
    await userWithLogin(h, "alice");
    const fail = () => codeOf(h.security.auth.login("alice", "wrong password!!"));
    for (let i = 0; i < 4; i++) await fail();
    await h.security.auth.login("alice", PASSWORD); // success clears the window
    for (let i = 0; i < 4; i++) expect(await fail()).toBe("SECURITY_LOGIN_FAILED");
    for (let i = 0; i < 1; i++) await fail(); // 5th → lock 15 min
    expect(await fail()).toBe("SECURITY_LOGIN_LOCKED");
    h.advance(15 * 60_000 + 1000);
    for (let i = 0; i < 5; i++) await fail(); // second lockout → 30 min
    const err = await h.security.auth.login("alice", PASSWORD).catch((e: unknown) => e);
    expect(err).toMatchObject({ data: { retryAfterSeconds: 1800 } });
  });

  it("locks an address after 50 failures across many names", async () => {
    h = harness();
    await userWithLogin(h, "alice");
    for (let i = 0; i < 50; i++) {
      await codeOf(h.security.auth.login(`user${i}`, "wrong password!!", { ip: "203.0.113.9" }));
    }
    // alice from that address is refused; from elsewhere she logs in
    expect(await codeOf(h.security.auth.login("alice", PASSWORD, { ip: "203.0.113.9" }))).toBe(
      "SECURITY_LOGIN_LOCKED",
    );
    await expect(
      h.security.auth.login("alice", PASSWORD, { ip: "198.51.100.7" }),
    ).resolves.toBeTruthy();
    const lock = await h.storage.audit.query({ types: ["security.lockout"] });
    expect(lock.at(-1)?.details["scope"]).toBe("address");
  });

  it("spends the same password work for unknown users as for wrong passwords", async () => {
    // Real scrypt cost (N = 2^14) so the hash dominates; interleaved samples, medians.
    h = harness({
      scrypt: { params: { N: 2 ** 14, r: 8, p: 1 } } as never,
      auth: {
        throttle: {
          account: { maxFailures: 1000, windowMs: 1000, lockMs: 1000, maxLockMs: 1000 },
          address: { maxFailures: 1000, windowMs: 1000, lockMs: 1000, maxLockMs: 1000 },
        },
      },
    });
    await h.security.users.createUser({ username: "alice", password: PASSWORD }, LOCAL);
    const time = async (u: string): Promise<number> => {
      const start = process.hrtime.bigint();
      await codeOf(h.security.auth.login(u, "wrong password!!"));
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    await time("alice");
    await time("ghost");
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 12; i++) {
      known.push(await time("alice"));
      unknown.push(await time(`ghost${i}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknown) / median(known);
    // Without the dummy verification the ratio would be ~0.05 (no scrypt at all).
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  });
});
