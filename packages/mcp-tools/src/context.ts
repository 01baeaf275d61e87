/**
 * What every tool runs with: the storage, the project-root allowlist, the caller and its
 * access check, the security services, and the live runtime status when there is one.
 */
import { DevflowError, type Logger } from "@devflow/events";
import type {
  AccountAdmin,
  ApiKeyAdmin,
  AuthPrincipal,
  AuthService,
  Permission,
} from "@devflow/security";
import type { Project, Storage } from "@devflow/storage";
import { sep } from "node:path";
import { canonicalPath, type ProjectRoots } from "./roots.js";

/** The security services the security toolset and the access checks use. */
export interface ToolSecurity {
  readonly auth: AuthService;
  readonly users: AccountAdmin;
  readonly apiKeys: ApiKeyAdmin;
}

/** The local operator (stdio): whoever started the server with access to the DevFlow home. */
export interface LocalCaller {
  readonly kind: "local";
  readonly name: string;
}

/** A monitor's health as the runtime reports it. */
export interface MonitorHealth {
  readonly name: string;
  readonly projectId?: string | null;
  readonly health: string;
  readonly message?: string | null;
  readonly fix?: string | null;
  readonly counters: Readonly<Record<string, number>>;
}

/** What the running DevFlow (this process or another one) reports. */
export interface RuntimeStatusSnapshot {
  readonly running: boolean;
  readonly pid: number | null;
  readonly startedAt: number | null;
  readonly monitors: readonly MonitorHealth[];
}

/** Everything a tool may use. */
export interface ToolContext {
  readonly storage: Storage;
  readonly roots: ProjectRoots;
  readonly home: string;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly caller: AuthPrincipal | LocalCaller;
  readonly security?: ToolSecurity;
  /** The live runtime status (monitors), or null when DevFlow is not running. */
  readonly runtimeStatus?: () => RuntimeStatusSnapshot | null;
  /**
   * The project an operation uses when its `project` argument is omitted and the reference
   * resolves (the command line passes the current directory); else the only allowed project.
   */
  readonly defaultProject?: string;
  /** The IANA zone of days, weeks and months when a call gives none (default UTC). */
  readonly defaultTimeZone?: string;
}

/**
 * Checks that the caller holds `permission` (on `projectId`). Local callers hold everything;
 * principals are checked by `@devflow/security`, which audits denials.
 * @throws DevflowError `SECURITY_FORBIDDEN`.
 */
export async function requireAccess(
  ctx: ToolContext,
  permission: Permission,
  projectId: string | null,
): Promise<void> {
  if (ctx.caller.kind === "local") return;
  if (ctx.security === undefined) {
    throw new DevflowError("SECURITY_FORBIDDEN", "This server has no access control configured.");
  }
  await ctx.security.auth.require(ctx.caller, permission, projectId);
}

/** Registered projects whose roots are inside the allowlist. */
export function allowedProjects(ctx: ToolContext): Project[] {
  return ctx.storage.projects.list().filter((p) => ctx.roots.contains(canonicalPath(p.rootPath)));
}

function containing(ctx: ToolContext, allowed: Project[], ref: string): Project | undefined {
  const path = ctx.roots.resolve(ref);
  return allowed
    .map((p) => ({ p, root: canonicalPath(p.rootPath) }))
    .filter(({ root }) => path === root || path.startsWith(`${root}${sep}`))
    .sort((a, b) => b.root.length - a.root.length)[0]?.p;
}

/**
 * The project a tool works on: by id, by a path inside it, or — when omitted — the only
 * allowed project. Paths outside the roots, unknown ids and projects outside the roots are
 * refused with what to pass instead.
 */
export function projectFor(ctx: ToolContext, project: string | undefined): Project {
  const allowed = allowedProjects(ctx);
  if (project === undefined && ctx.defaultProject !== undefined) {
    let around: Project | undefined;
    try {
      around = containing(ctx, allowed, ctx.defaultProject);
    } catch {
      around = undefined; // outside the roots: fall back to the only allowed project
    }
    if (around) return around;
  }
  if (project === undefined) {
    if (allowed.length === 1) return allowed[0]!;
    if (allowed.length === 0) {
      throw new DevflowError(
        "TOOLS_NO_PROJECT",
        "No project is registered inside this server's roots; call register_project with a path first.",
      );
    }
    throw new DevflowError(
      "TOOLS_PROJECT_REQUIRED",
      `Several projects are available; pass project as one of: ${allowed
        .slice(0, 20)
        .map((p) => `${p.id} (${p.name})`)
        .join(", ")}.`,
    );
  }
  const byId = allowed.find((p) => p.id === project);
  if (byId) return byId;
  const match = containing(ctx, allowed, project);
  if (!match) {
    throw new DevflowError(
      "TOOLS_UNKNOWN_PROJECT",
      "No registered project has that id or contains that path; call list_projects to see them.",
    );
  }
  return match;
}
