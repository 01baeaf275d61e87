import { afterEach, describe, expect, it } from "vitest";
import { codeOf, harness, type Harness, LOCAL, PASSWORD, userWithLogin } from "./harness.js";

let h: Harness;
afterEach(() => h?.close());

describe("revocation takes effect at the next request", () => {
  it("logout", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    const principal = await h.security.auth.authenticate(login.accessToken);
    await h.security.auth.logout(principal);
    expect(await codeOf(h.security.auth.authenticate(login.accessToken))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
    expect(await codeOf(h.security.auth.refresh(login.refreshToken))).toBe(
      "SECURITY_REFRESH_INVALID",
    );
    expect((await h.storage.audit.query({ types: ["security.logout"] })).length).toBe(1);
  });

  it("role downgrade", async () => {
    h = harness();
    await h.security.users.createUser(
      { username: "root2", password: PASSWORD, role: "admin" },
      LOCAL,
    );
    const login = await userWithLogin(h, "alice", "admin");
    await h.security.auth.authenticate(login.accessToken);
    await h.security.users.setRole("alice", "viewer", LOCAL);
    expect(await codeOf(h.security.auth.authenticate(login.accessToken))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
    // a new login carries the new role
    const again = await h.security.auth.login("alice", PASSWORD);
    const p = await h.security.auth.authenticate(again.accessToken);
    expect(p.bindings.map((b) => b.role)).toEqual(["viewer"]);
    expect((await h.security.auth.authorize(p, "project:write")).allowed).toBe(false);
  });

  it("user disable", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    await h.security.users.disableUser("alice", LOCAL);
    expect(await codeOf(h.security.auth.authenticate(login.accessToken))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
    expect(await codeOf(h.security.auth.refresh(login.refreshToken))).toBe(
      "SECURITY_REFRESH_INVALID",
    );
    expect(await codeOf(h.security.auth.login("alice", PASSWORD))).toBe("SECURITY_LOGIN_FAILED");
    await h.security.users.enableUser("alice", LOCAL);
    // re-enabling does not resurrect the old session
    expect(await codeOf(h.security.auth.authenticate(login.accessToken))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
    await expect(h.security.auth.login("alice", PASSWORD)).resolves.toBeTruthy();
  });

  it("password change (by an admin, and by the user with the current password)", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    const r = await h.security.users.setPassword("alice", LOCAL);
    expect(r.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await codeOf(h.security.auth.authenticate(login.accessToken))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
    expect(await codeOf(h.security.auth.login("alice", PASSWORD))).toBe("SECURITY_LOGIN_FAILED");
    const fresh = await h.security.auth.login("alice", r.generatedPassword!);
    const me = await h.security.auth.authenticate(fresh.accessToken);
    expect(
      await codeOf(
        h.security.users.setPassword("alice", me, {
          password: "another long password",
          currentPassword: "nope",
        }),
      ),
    ).toBe("SECURITY_LOGIN_FAILED");
    await h.security.users.setPassword("alice", me, {
      password: "another long password",
      currentPassword: r.generatedPassword!,
    });
    expect(await codeOf(h.security.auth.authenticate(fresh.accessToken))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
  });

  it("a non-admin cannot administer, and the denial is audited", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice", "developer");
    const me = await h.security.auth.authenticate(login.accessToken);
    expect(await codeOf(h.security.users.disableUser("alice", me))).toBe("SECURITY_FORBIDDEN");
    expect(await codeOf(h.security.users.createUser({ username: "eve" }, me))).toBe(
      "SECURITY_FORBIDDEN",
    );
    const denied = await h.storage.audit.query({ types: ["security.permission_denied"] });
    expect(denied.map((e) => e.details["permission"])).toEqual([
      "security:admin",
      "security:admin",
    ]);
  });

  it("refuses weak passwords with the rule, never the password", async () => {
    h = harness();
    for (const [pw, rule] of [
      ["t1ny", /too short/],
      ["aaaaaaaaaaaaaaaa", /4 different/],
      ["mallory-account", /differ from the username/],
    ] as const) {
      const err = await h.security.users
        .createUser({ username: "mallory-account", password: pw }, LOCAL)
        .catch((e: unknown) => e as Error);
      expect(err).toMatchObject({ code: "SECURITY_WEAK_PASSWORD" });
      expect((err as Error).message).toMatch(rule);
      expect((err as Error).message).not.toContain(pw);
    }
  });
});
