import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { DevflowError } from "@devflow/events";
import type { Project, Storage } from "@devflow/storage";

/** The nearest directory at or above `start` that holds a `.git`, or `null`. */
export function findRepositoryRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Registers a project by path (or returns the one already registered there).
 *
 * @throws {@link DevflowError} `RUNTIME_BAD_PROJECT` when the path is not an existing directory.
 */
export function ensureProject(
  storage: Storage,
  path: string,
  name?: string,
): { project: Project; created: boolean } {
  const rootPath = resolve(path);
  if (!existsSync(rootPath) || !statSync(rootPath).isDirectory()) {
    throw new DevflowError("RUNTIME_BAD_PROJECT", `${rootPath}: not an existing directory`);
  }
  const existing = storage.projects.get(rootPath);
  if (existing) return { project: existing, created: false };
  return {
    project: storage.projects.add({ name: name ?? basename(rootPath), rootPath }),
    created: true,
  };
}

/**
 * Finds a registered project by id or by a path inside it (the deepest registered root that
 * contains the path wins).
 *
 * @throws {@link DevflowError} `RUNTIME_UNKNOWN_PROJECT` naming what was looked up.
 */
export function resolveProject(storage: Storage, idOrPath: string): Project {
  const byId = storage.projects.get(idOrPath);
  if (byId) return byId;
  const path = resolve(idOrPath);
  const match = storage.projects
    .list()
    .filter((p) => path === p.rootPath || path.startsWith(`${p.rootPath}/`))
    .sort((a, b) => b.rootPath.length - a.rootPath.length)[0];
  if (!match) {
    throw new DevflowError(
      "RUNTIME_UNKNOWN_PROJECT",
      `no registered project is "${idOrPath}" or contains ${path} (see \`devflow project list\`)`,
    );
  }
  return match;
}
