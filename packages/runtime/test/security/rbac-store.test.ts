import { afterEach, describe, expect, it } from "vitest";
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from "@devflow/security";
import { harness, type Harness, LOCAL, PASSWORD } from "./harness.js";

let h: Harness;
afterEach(() => h?.close());

describe("RBAC through stored role bindings", () => {
  it("every role × permission × (global, own project, other project) matches the policy table", async () => {
    h = harness();
    let cases = 0;
    let matches = 0;
    for (const role of ROLES) {
      for (const scope of ["global", "project"] as const) {
        const username = `${role}-${scope}`;
        await h.security.users.createUser(
          { username, password: PASSWORD, role, projectId: scope === "global" ? null : "own" },
          LOCAL,
        );
        const login = await h.security.auth.login(username, PASSWORD);
        const principal = await h.security.auth.authenticate(login.accessToken);
        for (const permission of PERMISSIONS) {
          const inTable = ROLE_PERMISSIONS[role].includes(permission);
          for (const target of ["own", "other", null] as const) {
            const expected = inTable && (scope === "global" || target === "own");
            const got = (await h.security.auth.authorize(principal, permission, target)).allowed;
            cases++;
            if (got === expected) matches++;
          }
        }
      }
    }
    expect(cases).toBe(4 * 2 * 10 * 3);
    expect(matches).toBe(cases);
    // every denial is in the audit log
    const denied = await h.storage.audit.query({
      types: ["security.permission_denied"],
      limit: 10_000,
    });
    expect(denied.length).toBe(
      cases -
        ROLES.reduce((n, r) => n + ROLE_PERMISSIONS[r].length * 3 + ROLE_PERMISSIONS[r].length, 0),
    );
  });

  it("a project binding never reaches another project; a global binding beats a weaker project one", async () => {
    h = harness();
    await h.security.users.createUser(
      { username: "pat", password: PASSWORD, role: "viewer" },
      LOCAL,
    );
    await h.security.users.setRole("pat", "developer", LOCAL, "p1");
    const login = await h.security.auth.login("pat", PASSWORD);
    const p = await h.security.auth.authenticate(login.accessToken);
    const allowed = async (perm: "project:write" | "metrics:read", project: string | null) =>
      (await h.security.auth.authorize(p, perm, project)).allowed;
    expect(await allowed("project:write", "p1")).toBe(true);
    expect(await allowed("project:write", "p2")).toBe(false);
    expect(await allowed("project:write", null)).toBe(false);
    expect(await allowed("metrics:read", "p2")).toBe(true); // via the global viewer role
    await h.security.users.removeRole("pat", LOCAL, "p1");
    const again = await h.security.auth.authenticate(
      (await h.security.auth.login("pat", PASSWORD)).accessToken,
    );
    expect((await h.security.auth.authorize(again, "project:write", "p1")).allowed).toBe(false);
  });
});
