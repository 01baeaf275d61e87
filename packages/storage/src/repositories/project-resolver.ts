/**
 * @module project-resolver
 * The one way a project reference (what a user types: an id, a name or a path) becomes a
 * registered project — a pure function over the project list, shared by the CLI (through
 * `@devflow/runtime`) and the MCP tools.
 */
import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { DevflowError } from "@devflow/events";
import type { Project } from "./projects.js";

/** How {@link resolveProjectRef} reads paths and which projects it may pick. */
export interface ResolveProjectOptions {
  /**
   * Canonicalises a path (and may refuse it by throwing, e.g. outside an allowlist); default
   * `path.resolve` against the current directory. Registered roots go through it too.
   */
  readonly canonical?: ((path: string) => string) | undefined;
  /**
   * Canonicalises the reference when it is a path (relative paths against a base of the
   * caller's choosing; throwing refuses it); default {@link ResolveProjectOptions.canonical}.
   */
  readonly path?: ((path: string) => string) | undefined;
  /** Keeps only projects whose canonical root passes (the MCP server's roots). */
  readonly allow?: ((canonicalRoot: string) => boolean) | undefined;
  /** Appended to the errors: where to see the projects (`see \`devflow project list\``). */
  readonly hint?: string | undefined;
  /** The home directory `~` stands for; default `os.homedir()`. */
  readonly home?: string | undefined;
}

/** The canonical form of `path`: symlinks resolved, also for paths that do not exist yet. */
export function canonicalPath(path: string): string {
  return real(resolve(path));
}

function real(path: string, hops = 0): string {
  try {
    return realpathSync.native(path);
  } catch {
    // a dangling symlink: follow it to where a write would land (bounded against loops)
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      // does not exist at all
    }
    if (link && hops < 40) return real(resolve(dirname(path), readlinkSync(path)), hops + 1);
    // a path that does not exist yet: resolve its nearest existing parent
    const parent = resolve(path, "..");
    if (parent === path) return path;
    return resolve(real(parent, hops), relative(parent, path));
  }
}

/** The most projects an error message lists. */
export const MAX_LISTED_PROJECTS = 20;

/**
 * True when `ref` reads as a path rather than a name: absolute, `.`/`..`, starting with `./`,
 * `../` or `~`, or containing a path separator. A bare word (`vue`) is a name.
 */
export function looksLikePath(ref: string): boolean {
  return (
    isAbsolute(ref) ||
    ref === "." ||
    ref === ".." ||
    ref.startsWith("~") ||
    ref.includes("/") ||
    ref.includes(sep)
  );
}

/** `id (name, root), …` of at most {@link MAX_LISTED_PROJECTS} projects. */
export function listProjects(projects: readonly Project[]): string {
  if (projects.length === 0) return "none is registered";
  const shown = projects
    .slice(0, MAX_LISTED_PROJECTS)
    .map((p) => `${p.id} (${p.name}, ${p.rootPath})`)
    .join(", ");
  const more = projects.length - MAX_LISTED_PROJECTS;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function suffix(options: ResolveProjectOptions): string {
  return options.hint ? ` (${options.hint})` : "";
}

function unknown(
  message: string,
  ref: string | undefined,
  choices: readonly Project[],
  options: ResolveProjectOptions,
): DevflowError {
  return new DevflowError(
    "STORAGE_UNKNOWN_PROJECT",
    `${message}; the projects are: ${listProjects(choices)}${suffix(options)}`,
    {
      data: {
        project: ref?.slice(0, 512),
        choices: choices.slice(0, MAX_LISTED_PROJECTS).map((p) => p.id),
      },
    },
  );
}

function ambiguous(
  message: string,
  matches: readonly Project[],
  options: ResolveProjectOptions,
): DevflowError {
  return new DevflowError(
    "STORAGE_AMBIGUOUS_PROJECT",
    `${message}; pass one of: ${listProjects(matches)}${suffix(options)}`,
    { data: { choices: matches.slice(0, MAX_LISTED_PROJECTS).map((p) => p.id) } },
  );
}

function expandHome(ref: string, home: string): string {
  if (ref === "~") return home;
  if (ref.startsWith("~/") || ref.startsWith(`~${sep}`)) return resolve(home, ref.slice(2));
  return ref;
}

/**
 * The project `ref` names, among `projects` (filtered by `options.allow`): by id, else — for a
 * bare word — by exact name, else — for text that looks like a path ({@link looksLikePath}) —
 * the project whose canonical root is the deepest one containing the canonical path. With
 * `ref` omitted, the only project.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` when nothing matches (or nothing is
 *   registered), `STORAGE_AMBIGUOUS_PROJECT` when a name matches several projects or `ref` is
 *   omitted with several to choose from; both list the choices as `id (name, root)`. Errors of
 *   `options.canonical` (a path outside an allowlist) pass through.
 */
export function resolveProjectRef(
  projects: readonly Project[],
  ref: string | undefined,
  options: ResolveProjectOptions = {},
): Project {
  const canonical = options.canonical ?? ((p: string) => resolve(p));
  const roots = new Map<Project, string>();
  const rootOf = (p: Project): string => {
    let root = roots.get(p);
    if (root === undefined) {
      root = canonical(p.rootPath);
      roots.set(p, root);
    }
    return root;
  };
  const allow = options.allow;
  const candidates = allow ? projects.filter((p) => allow(rootOf(p))) : [...projects];
  if (ref === undefined) {
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length === 0)
      throw unknown("no project is registered", ref, candidates, options);
    throw ambiguous("several projects are registered and none was named", candidates, options);
  }
  const text = ref.trim();
  if (text === "") throw unknown("an empty project name", ref, candidates, options);
  const byId = candidates.find((p) => p.id === text);
  if (byId) return byId;
  if (!looksLikePath(text)) {
    const named = candidates.filter((p) => p.name === text);
    if (named.length === 1) return named[0]!;
    if (named.length > 1) {
      throw ambiguous(`${named.length} projects are named "${text}"`, named, options);
    }
    throw unknown(
      `no registered project is "${text}" (a bare word is a project name or id; write ./${text} for a path)`,
      ref,
      candidates,
      options,
    );
  }
  const path = (options.path ?? canonical)(expandHome(text, options.home ?? homedir()));
  const match = candidates
    .map((p) => ({ p, root: rootOf(p) }))
    .filter(
      ({ root }) => path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`),
    )
    .sort((a, b) => b.root.length - a.root.length)[0]?.p;
  if (!match) {
    throw unknown(
      `no registered project is "${text}" or contains ${path}`,
      ref,
      candidates,
      options,
    );
  }
  return match;
}
