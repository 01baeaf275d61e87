/**
 * What every tool runs with: the storage, the project-root allowlist, the caller and its
 * access check, the security services, and the live runtime status when there is one.
 */
import type { BottleneckUpdate, MetricsReport } from "@devflow/analyzers";
import { DevflowError, type Logger } from "@devflow/events";
import type {
  AccountAdmin,
  ApiKeyAdmin,
  AuthPrincipal,
  AuthService,
  Permission,
} from "@devflow/security";
import { type Project, resolveProjectRef, type Storage } from "@devflow/storage";
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

/**
 * The persisting analyses a tool may run before it answers, so stored stages, bottlenecks and
 * metrics are current (`AnalysisJobs` of `@devflow/runtime` implements it; events go through
 * the engine). Without it, tools answer from what is stored.
 */
export interface ToolAnalysis {
  /** Analyses the project's new events before `until` and stores the stage transitions found. */
  refreshStages(
    projectId: string,
    until?: number,
  ): Promise<{ readonly processed: number; readonly stored: number }>;
  /** Detects the project's bottlenecks at `at`, opening and resolving findings. */
  refreshBottlenecks(projectId: string, at: number): Promise<BottleneckUpdate>;
  /** Stores a metrics report's samples; returns how many. */
  recordMetrics(report: MetricsReport): number;
}

/**
 * Project writes that must reach the running DevFlow (so it starts or stops monitoring at
 * once): implemented by `@devflow/runtime` over its control channel or in-process instance.
 */
export interface ToolControl {
  /** Registers a project and starts monitoring it; `monitoring` is false when nothing runs. */
  addProject(
    path: string,
    name?: string,
  ): Promise<{ project: Project; created: boolean; monitoring: boolean }>;
  /** Stops a project's monitors and unregisters it (its data is kept). */
  removeProject(id: string): Promise<{ removed: boolean }>;
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
  /** The persisting analyses (stages, bottlenecks, metrics), when this process may write. */
  readonly analysis?: ToolAnalysis;
  /** Project writes through the running DevFlow, when this server has one to talk to. */
  readonly control?: ToolControl;
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

/**
 * The project a tool works on, by the one resolver of `@devflow/storage`: an id, else a bare
 * word as an exact project name, else a path (absolute, `./…`, `~/…`, or with a separator;
 * relative to the first root) inside the deepest registered root containing it — or, when
 * omitted, the only allowed project. Only projects inside the server's roots are candidates.
 *
 * @throws DevflowError `STORAGE_UNKNOWN_PROJECT` / `STORAGE_AMBIGUOUS_PROJECT` listing the
 *   choices as `id (name, root)`, `TOOLS_PATH_OUTSIDE_ROOTS` for a path outside the roots,
 *   `TOOLS_BAD_PATH` for NUL bytes or more than 4096 characters.
 */
export function projectFor(ctx: ToolContext, project: string | undefined): Project {
  if (project !== undefined && (project.length > 4096 || project.includes("\0"))) {
    throw new DevflowError(
      "TOOLS_BAD_PATH",
      "Give a project id, name or path of at most 4096 characters, without NUL bytes.",
    );
  }
  const projects = ctx.storage.projects.list();
  const options = {
    canonical: canonicalPath,
    allow: (root: string) => ctx.roots.contains(root),
    hint: "call list_projects to see them, or register_project with a path",
    path: (text: string) => ctx.roots.resolve(text),
  };
  if (project === undefined && ctx.defaultProject !== undefined) {
    try {
      return resolveProjectRef(projects, ctx.defaultProject, options);
    } catch {
      // not inside an allowed project: fall back to the only allowed project
    }
  }
  return resolveProjectRef(projects, project, options);
}
