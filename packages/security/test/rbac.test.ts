import { describe, expect, it } from "vitest";
import {
  PERMISSIONS,
  ROLES,
  ROLE_PERMISSIONS,
  assertAuthorized,
  authorize,
  parseRole,
  type Permission,
  type Principal,
  type Role,
} from "../src/index.js";

/** Independent transcription of the design document's rolePermissions table. */
const EXPECTED: Record<string, string> = {
  admin:
    "project:read project:write metrics:read metrics:write security:read security:write security:admin system:read system:write system:admin",
  developer: "project:read project:write metrics:read security:read system:read",
  viewer: "project:read metrics:read system:read",
  guest: "project:read",
};
const grants = (role: string, perm: string): boolean => EXPECTED[role]!.split(" ").includes(perm);

type Scenario = "global" | "own-project" | "other-project" | "no-project";
const SCENARIOS: Scenario[] = ["global", "own-project", "other-project", "no-project"];

function run(role: Role, perm: Permission, scenario: Scenario): boolean {
  const projectId = scenario === "global" ? null : "p1";
  const principal: Principal = { id: "u1", bindings: [{ principalId: "u1", role, projectId }] };
  const checkOn =
    scenario === "global" || scenario === "own-project"
      ? "p1"
      : scenario === "other-project"
        ? "p2"
        : undefined;
  return authorize(principal, perm, checkOn).allowed;
}

function expected(role: string, perm: string, scenario: Scenario): boolean {
  if (scenario === "other-project" || scenario === "no-project") return false;
  return grants(role, perm);
}

describe("rbac", () => {
  it("has the documented roles and permissions", () => {
    expect([...ROLES]).toEqual(["admin", "developer", "viewer", "guest"]);
    expect(PERMISSIONS).toHaveLength(10);
    for (const role of ROLES) {
      expect([...ROLE_PERMISSIONS[role]].sort()).toEqual(EXPECTED[role]!.split(" ").sort());
    }
  });

  it("matches the expectation for every role × permission × scope (100 %)", () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (const role of ROLES)
      for (const perm of PERMISSIONS)
        for (const scenario of SCENARIOS) {
          checked++;
          if (run(role, perm, scenario) !== expected(role, perm, scenario))
            mismatches.push(`${role} ${perm} ${scenario}`);
        }
    expect(checked).toBe(4 * 10 * 4);
    expect(mismatches).toEqual([]);
  });

  it("a global binding also applies when no project is given", () => {
    const p: Principal = {
      id: "a",
      bindings: [{ principalId: "a", role: "viewer", projectId: null }],
    };
    expect(authorize(p, "metrics:read")).toMatchObject({ allowed: true, reason: "granted-global" });
    expect(authorize(p, "metrics:write").allowed).toBe(false);
  });

  it("denies cross-project access and ignores other principals' bindings", () => {
    const p: Principal = {
      id: "a",
      bindings: [
        { principalId: "a", role: "admin", projectId: "p1" },
        { principalId: "b", role: "admin", projectId: null },
      ],
    };
    expect(authorize(p, "project:write", "p1")).toMatchObject({
      allowed: true,
      reason: "granted-project",
      via: { projectId: "p1" },
    });
    expect(authorize(p, "project:read", "p2")).toEqual({ allowed: false, reason: "no-binding" });
    expect(authorize(p, "project:read").allowed).toBe(false);
  });

  it("combines a weak global binding with a strong project binding", () => {
    const p: Principal = {
      id: "a",
      bindings: [
        { principalId: "a", role: "guest", projectId: null },
        { principalId: "a", role: "developer", projectId: "p1" },
      ],
    };
    expect(authorize(p, "project:write", "p1").allowed).toBe(true);
    expect(authorize(p, "project:write", "p2")).toEqual({
      allowed: false,
      reason: "not-permitted",
    });
    expect(authorize(p, "project:read", "p2").allowed).toBe(true);
  });

  it("rejects unknown roles and permissions", () => {
    const p: Principal = {
      id: "a",
      bindings: [{ principalId: "a", role: "admin", projectId: null }],
    };
    expect(() => authorize(p, "project:delete")).toThrow(
      expect.objectContaining({ code: "SECURITY_INVALID_PERMISSION" }),
    );
    expect(() => parseRole("root")).toThrow(
      expect.objectContaining({ code: "SECURITY_INVALID_ROLE" }),
    );
    const bad = {
      id: "a",
      bindings: [{ principalId: "a", role: "root" as Role, projectId: null }],
    };
    expect(() => authorize(bad, "project:read")).toThrow(
      expect.objectContaining({ code: "SECURITY_INVALID_ROLE" }),
    );
  });

  it("assertAuthorized throws SECURITY_FORBIDDEN naming only the permission", () => {
    const p: Principal = {
      id: "user-42",
      bindings: [{ principalId: "user-42", role: "viewer", projectId: "secret-project" }],
    };
    expect(assertAuthorized(p, "metrics:read", "secret-project").role).toBe("viewer");
    let err: unknown;
    try {
      assertAuthorized(p, "system:admin", "secret-project");
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "SECURITY_FORBIDDEN" });
    const message = (err as Error).message;
    expect(message).toContain("system:admin");
    expect(message).not.toContain("viewer");
    expect(message).not.toContain("secret-project");
    expect(message).not.toContain("user-42");
  });
});
