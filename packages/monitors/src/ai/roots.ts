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
export function processSourceEnvironment(): SourceEnvironment {
  return { env: process.env, home: homedir() };
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

/** Directory listings remembered between reads, keyed by path, valid while the mtime holds. */
export type DirectoryCache = Map<string, { mtimeMs: number; files: string[]; dirs: string[] }>;

/**
 * Every file below `dir` whose name passes `accept`, sorted; `[]` when `dir` does not exist.
 * With a `cache`, a directory whose mtime has not changed (and is over a second old) is not
 * listed again: new and removed entries change a directory's mtime, appends to files do not.
 */
export function listFiles(
  dir: string,
  accept: (name: string) => boolean,
  cache?: DirectoryCache,
): string[] {
  if (!isDir(dir)) return [];
  const out: string[] = [];
  const now = Date.now();
  const walk = (d: string, depth: number): void => {
    if (depth > 12) return;
    let mtimeMs = -1;
    if (cache) {
      try {
        mtimeMs = statSync(d).mtimeMs;
      } catch {
        cache.delete(d);
        return;
      }
      const hit = cache.get(d);
      if (hit && hit.mtimeMs === mtimeMs && now - mtimeMs > 1000) {
        for (const f of hit.files) if (accept(f.slice(f.lastIndexOf("/") + 1))) out.push(f);
        for (const sub of hit.dirs) walk(sub, depth + 1);
        return;
      }
    }
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    const files: string[] = [];
    const dirs: string[] = [];
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) dirs.push(p);
      else if (e.isFile()) files.push(p);
    }
    cache?.set(d, { mtimeMs, files, dirs });
    for (const f of files) if (accept(f.slice(f.lastIndexOf("/") + 1))) out.push(f);
    for (const sub of dirs) walk(sub, depth + 1);
  };
  walk(dir, 0);
  return out.sort();
}

/** True when `dir` exists and is a directory. */
export function directoryExists(dir: string): boolean {
  return isDir(dir);
}
