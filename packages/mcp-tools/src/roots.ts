/**
 * Project roots as an allowlist: every path a tool touches is resolved (symlinks included) and
 * must lie inside one of the allowed roots; `..`, symlinks that leave a root and sibling
 * prefixes (`/repo-evil` next to `/repo`) are refused.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { DevflowError } from "@devflow/events";
import { canonicalPath } from "@devflow/storage";

/** Re-exported from `@devflow/storage`, where the project resolver uses it. */
export { canonicalPath };

function outside(path: string): DevflowError {
  return new DevflowError(
    "TOOLS_PATH_OUTSIDE_ROOTS",
    "That path is outside the project roots this server may read; use a path inside a registered project.",
    { data: { path: path.slice(0, 512) } },
  );
}

/** The allowed roots, canonicalised once. */
export class ProjectRoots {
  readonly #roots: string[];

  /** @param roots absolute or relative directories; an empty list allows nothing. */
  constructor(roots: readonly string[]) {
    this.#roots = [...new Set(roots.map((r) => canonicalPath(r)))];
  }

  /** The canonical roots. */
  get roots(): readonly string[] {
    return this.#roots;
  }

  /** True when the canonical `path` is a root or inside one. */
  contains(path: string): boolean {
    return this.#roots.some((root) => {
      const rel = relative(root, path);
      return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    });
  }

  /**
   * Resolves `path` (relative to `base`, default the first root) to its canonical absolute
   * form and checks it is inside a root.
   * @throws DevflowError `TOOLS_PATH_OUTSIDE_ROOTS`, `TOOLS_BAD_PATH` (NUL bytes, over 4096 chars).
   */
  resolve(path: string, base?: string): string {
    if (
      typeof path !== "string" ||
      path.length === 0 ||
      path.length > 4096 ||
      path.includes("\0")
    ) {
      throw new DevflowError("TOOLS_BAD_PATH", "Give a non-empty path of at most 4096 characters.");
    }
    const from = base ?? this.#roots[0];
    if (from === undefined) throw outside(path);
    const canonical = canonicalPath(resolve(from, path));
    if (!this.contains(canonical)) throw outside(path);
    return canonical;
  }
}
