/**
 * Role-based access control: roles, permissions, the one policy table (as in the design
 * document), project-scoped role bindings and the authorisation decision.
 */
import { DevflowError } from "@devflow/events";
import { z } from "zod";

/** The four roles, most privileged first. */
export const ROLES = ["admin", "developer", "viewer", "guest"] as const;

/** Every permission, `resource:action`. */
export const PERMISSIONS = [
  "project:read",
  "project:write",
  "metrics:read",
  "metrics:write",
  "security:read",
  "security:write",
  "security:admin",
  "system:read",
  "system:write",
  "system:admin",
] as const;

/** A role name. */
export type Role = (typeof ROLES)[number];
/** A permission name. */
export type Permission = (typeof PERMISSIONS)[number];

/** Zod schema of a role name. */
export const RoleSchema = z.enum(ROLES);
/** Zod schema of a permission name. */
export const PermissionSchema = z.enum(PERMISSIONS);

/**
 * The policy table, exactly as the design document's `rolePermissions` (devflow-architecture,
 * 권한 시스템): admin has everything; developer project read/write, metrics read, security read,
 * system read; viewer project/metrics/system read; guest project read.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  admin: Object.freeze([...PERMISSIONS]),
  developer: Object.freeze([
    "project:read",
    "project:write",
    "metrics:read",
    "security:read",
    "system:read",
  ] as const),
  viewer: Object.freeze(["project:read", "metrics:read", "system:read"] as const),
  guest: Object.freeze(["project:read"] as const),
});

/** A role granted to a principal, globally (`projectId: null`) or on one project. */
export interface RoleBinding {
  readonly principalId: string;
  readonly role: Role;
  /** The project the binding is scoped to; `null` = global (applies everywhere). */
  readonly projectId: string | null;
}

/** Zod schema of a {@link RoleBinding}. */
export const RoleBindingSchema = z.object({
  principalId: z.string().min(1).max(256),
  role: RoleSchema,
  projectId: z.string().min(1).max(256).nullable(),
});

/** Who is asking: an id and its role bindings. */
export interface Principal {
  readonly id: string;
  readonly bindings: readonly RoleBinding[];
}

/** The outcome of {@link authorize}. */
export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** A short machine-readable reason: `granted-global`, `granted-project`, `no-binding`, … */
  readonly reason: "granted-global" | "granted-project" | "no-binding" | "not-permitted";
  /** The binding that granted access, when allowed. */
  readonly via?: RoleBinding;
}

/** True when `role` grants `permission` by the policy table. */
export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

function parsePermission(permission: string): Permission {
  const parsed = PermissionSchema.safeParse(permission);
  if (!parsed.success) {
    throw new DevflowError("SECURITY_INVALID_PERMISSION", "Unknown permission.", {
      data: { permission },
    });
  }
  return parsed.data;
}

/** Validates a role name; throws `SECURITY_INVALID_ROLE` when unknown. */
export function parseRole(role: string): Role {
  const parsed = RoleSchema.safeParse(role);
  if (!parsed.success) {
    throw new DevflowError("SECURITY_INVALID_ROLE", "Unknown role.", { data: { role } });
  }
  return parsed.data;
}

/**
 * Decides whether `principal` holds `permission`, optionally on `projectId`.
 * A global binding applies everywhere; a project binding applies only to its own project;
 * without a `projectId`, only global bindings count. Bindings of another principal are ignored.
 * Throws `SECURITY_INVALID_PERMISSION` / `SECURITY_INVALID_ROLE` for unknown names.
 */
export function authorize(
  principal: Principal,
  permission: Permission | (string & {}),
  projectId?: string | null,
): AuthorizationDecision {
  const perm = parsePermission(permission);
  let applicable = false;
  let projectGrant: RoleBinding | undefined;
  for (const binding of principal.bindings) {
    if (binding.principalId !== principal.id) continue;
    const role = parseRole(binding.role);
    const scopeApplies =
      binding.projectId === null || (projectId != null && binding.projectId === projectId);
    if (!scopeApplies) continue;
    applicable = true;
    if (!roleHasPermission(role, perm)) continue;
    if (binding.projectId === null)
      return { allowed: true, reason: "granted-global", via: binding };
    projectGrant ??= binding;
  }
  if (projectGrant) return { allowed: true, reason: "granted-project", via: projectGrant };
  return { allowed: false, reason: applicable ? "not-permitted" : "no-binding" };
}

/**
 * Like {@link authorize} but throws `SECURITY_FORBIDDEN` when denied. The error names only the
 * permission, never the principal's roles or other projects.
 */
export function assertAuthorized(
  principal: Principal,
  permission: Permission | (string & {}),
  projectId?: string | null,
): RoleBinding {
  const decision = authorize(principal, permission, projectId);
  if (!decision.allowed || !decision.via) {
    throw new DevflowError("SECURITY_FORBIDDEN", `Forbidden: missing permission ${permission}.`, {
      data: { permission },
    });
  }
  return decision.via;
}
