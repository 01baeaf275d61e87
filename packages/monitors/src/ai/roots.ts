import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Where the readers look: an environment and a home directory (tests pass their own). */
export interface SourceEnvironment {
  /** Environment variables (default `process.env` is never read by the readers themselves). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  home: string;
}

/** The process environment and home: what `devflow` passes in production. */
function processSourceEnvironment(): SourceEnvironment {
  return { env: process.env, home: homedir() };
}

/** Configured record locations (`monitors.ai.roots`): each wins over the environment. */
export interface AiSourceRoots {
  claudeCode?: readonly string[];
  codex?: string;
  geminiCli?: string;
}

/**
 * The source environment of DevFlow: `base` (default the process environment and home) with the
 * configured roots put in the variables the readers honour.
 */
export function aiSourceEnvironment(
  roots: AiSourceRoots = {},
  base: SourceEnvironment = processSourceEnvironment(),
): SourceEnvironment {
  return {
    home: base.home,
    env: {
      ...base.env,
      ...(roots.claudeCode ? { CLAUDE_CONFIG_DIR: roots.claudeCode.join(",") } : {}),
      ...(roots.codex ? { CODEX_HOME: roots.codex } : {}),
      ...(roots.geminiCli ? { GEMINI_DATA_DIR: roots.geminiCli } : {}),
    },
  };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Claude Code's `projects/` directories: each entry of the `CLAUDE_CONFIG_DIR` comma list (a
 * config directory, or its `projects/` itself), else `$XDG_CONFIG_HOME/claude` (default
 * `~/.config/claude`) and `~/.claude`, combined. Missing directories are listed too (the
 * caller reports them as not found).
 */
export function claudeProjectDirs(src: SourceEnvironment): string[] {
  const list = (src.env.CLAUDE_CONFIG_DIR ?? "").trim();
  const candidates =
    list !== ""
      ? list
          .split(",")
          .map((p) => p.trim())
          .filter((p) => p !== "")
      : [
          join(src.env.XDG_CONFIG_HOME?.trim() || join(src.home, ".config"), "claude"),
          join(src.home, ".claude"),
        ];
  const out: string[] = [];
  for (const c of candidates) {
    const dir = resolve(c);
    const projects =
      dir.endsWith("/projects") && !isDir(join(dir, "projects")) ? dir : join(dir, "projects");
    if (!out.includes(projects)) out.push(projects);
  }
  return out;
}

/** Codex CLI's session directories: `$CODEX_HOME` (default `~/.codex`) `sessions/` and `archived_sessions/`. */
export function codexSessionDirs(src: SourceEnvironment): { active: string; archived: string } {
  const home = resolve(src.env.CODEX_HOME?.trim() || join(src.home, ".codex"));
  return { active: join(home, "sessions"), archived: join(home, "archived_sessions") };
}

/** Gemini CLI's data directory: `$GEMINI_DATA_DIR` (default `~/.gemini/tmp`). */
export function geminiDataDir(src: SourceEnvironment): string {
  return resolve(src.env.GEMINI_DATA_DIR?.trim() || join(src.home, ".gemini", "tmp"));
}

/** One remembered directory listing: entry names, valid while the directory's mtime holds. */
export interface DirListing {
  mtimeMs: number;
  /** Names of the regular files in the directory. */
  files: string[];
  /** Names of its subdirectories. */
  dirs: string[];
}

/** Directory listings by absolute path (plain JSON, part of a reader's state). */
export type DirectoryCache = Record<string, DirListing>;

/**
 * Every file below `dir` whose name passes `accept` (each directory's files by name, then its
 * subdirectories by name); `[]` when `dir` does not exist.
 * With a `cache`, a directory whose mtime has not changed (and is over a second old) is not
 * listed again but taken from `cache.prev`: new and removed entries change a directory's mtime,
 * appends to files do not. Every directory visited is put in `cache.next` (an unchanged one with
 * its entry from `prev`, the same object).
 */
export function listFiles(
  dir: string,
  accept: (name: string) => boolean,
  cache?: { prev: DirectoryCache; next: DirectoryCache },
): string[] {
  if (!isDir(dir)) return [];
  const out: string[] = [];
  const now = Date.now();
  const walk = (d: string, depth: number): void => {
    if (depth > 12) return;
    const prefix = d.endsWith("/") ? d : `${d}/`;
    let listing: DirListing | undefined;
    let mtimeMs = -1;
    if (cache) {
      try {
        mtimeMs = statSync(d).mtimeMs;
      } catch {
        return;
      }
      const hit = cache.prev[d];
      if (hit && hit.mtimeMs === mtimeMs && now - mtimeMs > 1000) listing = hit;
    }
    if (listing === undefined) {
      let entries;
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      listing = { mtimeMs, files: [], dirs: [] };
      for (const e of entries) {
        if (e.isDirectory()) listing.dirs.push(e.name);
        else if (e.isFile()) listing.files.push(e.name);
      }
      listing.files.sort();
      listing.dirs.sort();
    }
    if (cache) cache.next[d] = listing;
    for (const f of listing.files) if (accept(f)) out.push(prefix + f);
    for (const sub of listing.dirs) walk(prefix + sub, depth + 1);
  };
  walk(resolve(dir), 0);
  return out;
}

/** True when `dir` exists and is a directory. */
export function directoryExists(dir: string): boolean {
  return isDir(dir);
}
