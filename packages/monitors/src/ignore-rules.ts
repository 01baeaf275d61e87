/**
 * @module ignore-rules
 * Which paths of a project the file monitor must never watch: `.git`, `node_modules`, editor
 * temp/swap files, and whatever `.gitignore` files (nested ones too) and the configured
 * patterns exclude. Shaped as chokidar's `ignored(path, stats)` so that an ignored directory is
 * pruned before chokidar descends into it.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import ignore from "ignore";

type Ignore = ignore.Ignore;

/** What {@link IgnoreMatcher.ignores} needs of a `Stats` or `Dirent`. */
export interface PathKind {
  isDirectory(): boolean;
}

/** Decides whether a path of one project is ignored. Create it with {@link createIgnoreMatcher}. */
export interface IgnoreMatcher {
  /** The absolute project root the patterns are relative to. */
  readonly root: string;
  /**
   * True when `path` (absolute, inside the root) is ignored. Pass `stats` (or a `Dirent`) when
   * known: directory-only patterns such as `dist/` match only when it says "directory".
   * Bound, so it can be handed to chokidar as `ignored` directly.
   */
  readonly ignores: (path: string, stats?: PathKind) => boolean;
  /** Forgets the rules of `dir` (absolute) and its subdirectories, e.g. after a `.gitignore` changed. */
  invalidate(dir: string): void;
  /** Distinct directories found ignored so far: each was pruned before being descended. */
  readonly ignoredDirCount: number;
}

/** Options of {@link createIgnoreMatcher}. */
export interface IgnoreMatcherOptions {
  /** Called once per distinct directory found ignored (absolute path). */
  onIgnoredDir?: (path: string) => void;
}

/** Names never watched, whatever the rules say (a `.git` file marks a worktree or submodule). */
const ALWAYS_IGNORED = new Set([".git"]);
/** Names ignored even without a `.gitignore`: watching them would exhaust inotify watches. */
const DEFAULT_IGNORED = new Set(["node_modules"]);
/** Editor temp, swap and backup files (vim, emacs, JetBrains safe-write, Sublime, generic). */
const TEMP_SUFFIXES = [".swp", ".swo", ".swx", "~", "___jb_tmp___", "___jb_old___", ".tmp"];

/** True for names of editor temp/swap files: `*.swp`, `*~`, `.#*`, `#*#`, `*___jb_tmp___`, `*.tmp`. */
export function isTempFileName(name: string): boolean {
  if (name.startsWith(".#")) return true;
  if (name.length > 1 && name.startsWith("#") && name.endsWith("#")) return true;
  for (const suffix of TEMP_SUFFIXES) if (name.endsWith(suffix)) return true;
  return false;
}

/** An `ignore` instance re-created now and then: it caches every path it was asked about. */
const CACHE_RESET_EVERY = 10_000;
const ignoreCase = process.platform === "darwin" || process.platform === "win32";

/** The rules of one `.gitignore` (the root's also holds the configured patterns). */
class Scope {
  /** Directory of the rules, relative to the root with `/` ('' for the root). */
  readonly dir: string;
  readonly #patterns: string[];
  #ig: Ignore;
  #tests = 0;

  constructor(dir: string, patterns: string[]) {
    this.dir = dir;
    this.#patterns = patterns;
    this.#ig = Scope.#build(patterns);
  }

  static #build(patterns: readonly string[]): Ignore {
    return ignore({ ignorecase: ignoreCase, allowRelativePaths: true }).add(patterns);
  }

  /** Tests a path relative to this scope's directory (`x/` for a directory). */
  test(rel: string): { ignored: boolean; unignored: boolean } {
    if (++this.#tests > CACHE_RESET_EVERY) {
      this.#tests = 0;
      this.#ig = Scope.#build(this.#patterns);
    }
    return this.#ig.test(rel);
  }
}

function readPatterns(file: string): string[] {
  if (!existsSync(file)) return []; // cheaper than a thrown ENOENT, once per directory
  try {
    return readFileSync(file, "utf8").split(/\r?\n/);
  } catch {
    return [];
  }
}

/**
 * Creates the ignore matcher of a project. Rules, highest precedence first:
 * 1. `.git`, `node_modules` and editor temp/swap files are always ignored (no `.gitignore`
 *    needed, and no negation re-includes them);
 * 2. a nested `.gitignore` applies to its directory, relative to it, and overrides the rules of
 *    the directories above (git's precedence, negations included);
 * 3. the root `.gitignore`, followed by `extraPatterns` (gitignore syntax, relative to the root,
 *    so `!pattern` there re-includes what the root `.gitignore` excludes).
 *
 * `.gitignore` files are read lazily, the first time a path in their directory is tested, so
 * the ones inside ignored trees are never read.
 *
 * @example
 * const matcher = createIgnoreMatcher("/repo", ["*.log"]);
 * chokidar.watch("/repo", { ignored: matcher.ignores });
 */
export function createIgnoreMatcher(
  root: string,
  extraPatterns: readonly string[] = [],
  options: IgnoreMatcherOptions = {},
): IgnoreMatcher {
  const absRoot = resolve(root);
  const prefixLength = absRoot.length + 1;
  const chains = new Map<string, readonly Scope[]>();
  const ignoredDirs = new Set<string>();

  const load = (dirRel: string): Scope | undefined => {
    const dirAbs = dirRel === "" ? absRoot : `${absRoot}/${dirRel}`;
    const patterns = readPatterns(`${dirAbs}/.gitignore`);
    if (dirRel === "") patterns.push(...extraPatterns);
    return patterns.some((p) => p.trim() !== "" && !p.startsWith("#"))
      ? new Scope(dirRel, patterns)
      : undefined;
  };

  const chainOf = (dirRel: string): readonly Scope[] => {
    const cached = chains.get(dirRel);
    if (cached) return cached;
    const slash = dirRel.lastIndexOf("/");
    const parent = dirRel === "" ? [] : chainOf(slash < 0 ? "" : dirRel.slice(0, slash));
    const own = load(dirRel);
    const chain = own ? [...parent, own] : parent;
    chains.set(dirRel, chain);
    return chain;
  };

  const ignores = (path: string, stats?: PathKind): boolean => {
    if (path.length <= prefixLength || !path.startsWith(absRoot)) return false;
    const sepChar = path.charCodeAt(absRoot.length);
    if (sepChar !== 47 && sepChar !== 92) return false; // a sibling such as /repo-other
    let rel = path.slice(prefixLength);
    if (rel.includes("\\")) rel = rel.replaceAll("\\", "/");
    const slash = rel.lastIndexOf("/");
    const name = slash < 0 ? rel : rel.slice(slash + 1);
    const isDir = stats?.isDirectory() === true;
    let ignored: boolean;
    if (ALWAYS_IGNORED.has(name) || DEFAULT_IGNORED.has(name) || isTempFileName(name)) {
      ignored = true;
    } else {
      ignored = false;
      for (const scope of chainOf(slash < 0 ? "" : rel.slice(0, slash))) {
        const sub = scope.dir === "" ? rel : rel.slice(scope.dir.length + 1);
        const result = scope.test(isDir ? `${sub}/` : sub);
        if (result.ignored) ignored = true;
        else if (result.unignored) ignored = false;
      }
    }
    if (ignored && isDir && !ignoredDirs.has(rel)) {
      ignoredDirs.add(rel);
      options.onIgnoredDir?.(path);
    }
    return ignored;
  };

  return {
    root: absRoot,
    ignores,
    invalidate(dir: string): void {
      const abs = resolve(dir);
      if (abs !== absRoot && !abs.startsWith(`${absRoot}/`)) return;
      const rel = abs === absRoot ? "" : abs.slice(prefixLength).replaceAll("\\", "/");
      for (const key of chains.keys()) {
        if (rel === "" || key === rel || key.startsWith(`${rel}/`)) chains.delete(key);
      }
    },
    get ignoredDirCount(): number {
      return ignoredDirs.size;
    },
  };
}
