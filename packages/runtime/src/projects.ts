import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { DevflowError } from "@devflow/events";
import { canonicalPath, type Project, resolveProjectRef, type Storage } from "@devflow/storage";

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
 * Finds a registered project by the one resolver of `@devflow/storage`: by id, else a bare
 * word as an exact project name, else a path (absolute, `./…`, `~/…`, or with a separator,
 * relative to the current directory) inside the deepest registered root containing it.
 * Symlinks are resolved on both sides.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` / `STORAGE_AMBIGUOUS_PROJECT` listing
 *   the choices as `id (name, root)`.
 */
export function resolveProject(storage: Storage, idOrPath: string): Project {
  return resolveProjectRef(storage.projects.list(), idOrPath, {
    canonical: canonicalPath,
    hint: "see `devflow project list`",
  });
}
