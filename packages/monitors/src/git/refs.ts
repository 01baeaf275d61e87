import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { SimpleGit } from "simple-git";
import { DevflowError } from "@devflow/events";

/** One branch or tag as the monitor remembers it. */
interface RefTip {
  /** The object the ref points to (a tag object for annotated tags). */
  object: string;
  /** The commit it peels to; `null` when it is not a commit (a tag of a tree or blob). */
  commit: string | null;
  /** True for annotated tags. */
  annotated: boolean;
}

/** Branches and tags by full ref name (`refs/heads/main`, `refs/tags/v1`). */
export type RefSnapshot = Record<string, RefTip>;

/** Where a repository keeps HEAD (per worktree) and refs (shared). */
export interface GitDirs {
  /** The worktree's git dir: HEAD, ORIG_HEAD, logs/HEAD, rebase-merge, rebase-apply. */
  gitDir: string;
  /** The common dir: refs, packed-refs, logs/refs/stash. */
  commonDir: string;
}

const FOR_EACH_REF_FORMAT =
  "%(refname)%09%(objectname)%09%(objecttype)%09%(*objectname)%09%(*objecttype)";

/** The absolute git dirs of the repository containing `git`'s base dir. */
export async function resolveGitDirs(git: SimpleGit): Promise<GitDirs> {
  const out = await git.raw([
    "rev-parse",
    "--path-format=absolute",
    "--git-dir",
    "--git-common-dir",
  ]);
  const [gitDir, commonDir] = out.trim().split("\n");
  if (!gitDir || !commonDir)
    throw new DevflowError("MONITORS_GIT_FAILED", `unexpected rev-parse output: ${out}`);
  return { gitDir, commonDir };
}

/** Every local branch and tag, with peeled commits (one `git for-each-ref`). */
export async function readRefs(git: SimpleGit): Promise<RefSnapshot> {
  const out = await git.raw([
    "for-each-ref",
    `--format=${FOR_EACH_REF_FORMAT}`,
    "refs/heads",
    "refs/tags",
  ]);
  return parseRefs(out);
}

/** Parses `for-each-ref` output in {@link FOR_EACH_REF_FORMAT}. */
function parseRefs(out: string): RefSnapshot {
  const refs: RefSnapshot = {};
  for (const line of out.split("\n")) {
    if (line === "") continue;
    const [name, object, type, peeled, peeledType] = line.split("\t");
    if (!name || !object) continue;
    const annotated = type === "tag";
    const commit = annotated
      ? peeledType === "commit"
        ? peeled!
        : null
      : type === "commit"
        ? object
        : null;
    refs[name] = { object, commit, annotated };
  }
  return refs;
}

/** The branch HEAD is on (`main`), or `null` when detached or unreadable. */
export async function readHeadBranch(dirs: GitDirs): Promise<string | null> {
  try {
    const head = (await readFile(join(dirs.gitDir, "HEAD"), "utf8")).trim();
    const match = /^ref:\s*refs\/heads\/(.+)$/.exec(head);
    return match ? match[1]! : null;
  } catch {
    return null;
  }
}

/** `refs/heads/main` → `main`; `undefined` for other refs. */
export function branchName(ref: string): string | undefined {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
}

/** `refs/tags/v1` → `v1`; `undefined` for other refs. */
export function tagName(ref: string): string | undefined {
  return ref.startsWith("refs/tags/") ? ref.slice("refs/tags/".length) : undefined;
}

/** The distinct commits the refs peel to. */
export function tipCommits(refs: RefSnapshot): string[] {
  const tips = new Set<string>();
  for (const tip of Object.values(refs)) if (tip.commit) tips.add(tip.commit);
  return [...tips];
}

/** What a rebase in progress (`rebase-merge` or `rebase-apply` present) has recorded. */
export interface RebaseInProgress {
  branch?: string;
  onto?: string;
  origHead?: string;
}

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The rebase in progress, or `null` when none is. */
export async function readRebaseInProgress(dirs: GitDirs): Promise<RebaseInProgress | null> {
  for (const dir of ["rebase-merge", "rebase-apply"]) {
    const base = join(dirs.gitDir, dir);
    const isDir = await stat(base).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) continue;
    const [headName, onto, origHead] = await Promise.all([
      readTrimmed(join(base, "head-name")),
      readTrimmed(join(base, "onto")),
      readTrimmed(join(base, "orig-head")),
    ]);
    const branch = headName ? branchName(headName) : undefined;
    return {
      ...(branch ? { branch } : {}),
      ...(onto ? { onto } : {}),
      ...(origHead ? { origHead } : {}),
    };
  }
  return null;
}
