/**
 * @module line-history
 * Read-only git reads of the AI collaboration analysis: added lines per commit and file
 * (`git log --numstat`) and the origin of each line of a file (`git blame --porcelain`). The
 * analysis itself (`collaborationReport` in `@devflow/analyzers`) takes a {@link GitLineReader}.
 */
import { execFile } from "node:child_process";
import { DevflowError } from "@devflow/events";
import { gitEnv } from "./run-git.js";

/** Runs a read-only git command in `root` and returns its output. */
function gitRead(root: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "core.quotePath=false", ...args],
      {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 1024 * 1024 * 1024,
        env: gitEnv(),
      },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new DevflowError(
              "MONITORS_GIT_FAILED",
              `git ${args[0]} failed in ${root}: ${stderr.trim() || err.message}`,
              { cause: err },
            ),
          );
        } else resolve(stdout);
      },
    );
  });
}

/** A commit with its added-line counts per file. */
export interface GitCommitLines {
  hash: string;
  committedAt: number;
  message: string;
  isMerge: boolean;
  /** Added lines per path (binary files left out). */
  added: Map<string, number>;
}

/**
 * Commits of `revisions` (newest first) with numstat, parsed from one `git log` run.
 */
export async function commitLines(
  root: string,
  revisions: readonly string[],
  extra: readonly string[] = [],
): Promise<GitCommitLines[]> {
  const out = await gitRead(root, [
    "log",
    ...extra,
    "--numstat",
    "--no-renames",
    "--format=%x1e%H%x1f%P%x1f%ct%x1f%B%x1d",
    ...revisions,
    "--",
  ]);
  const commits: GitCommitLines[] = [];
  for (const record of out.split("\u001e").slice(1)) {
    const [head = "", stat = ""] = record.split("\u001d");
    const [hash = "", parents = "", ct = "0", message = ""] = head.split("\u001f");
    const added = new Map<string, number>();
    for (const line of stat.split("\n")) {
      const m = /^(\d+)\t\d+\t(.+)$/.exec(line);
      if (m && Number(m[1]) > 0) added.set(m[2]!, Number(m[1]));
    }
    commits.push({
      hash,
      committedAt: Number(ct) * 1000,
      message: message.trim(),
      isMerge: parents.split(" ").filter(Boolean).length > 1,
      added,
    });
  }
  return commits;
}

/** `git blame --porcelain` of a file at a revision: origin commit and original line per line. */
export async function blameOrigins(
  root: string,
  rev: string,
  path: string,
): Promise<Array<{ commit: string; line: number }> | null> {
  let out: string;
  try {
    out = await gitRead(root, ["blame", "--porcelain", rev, "--", path]);
  } catch {
    return null; // the file does not exist at `rev`
  }
  const origins: Array<{ commit: string; line: number }> = [];
  for (const line of out.split("\n")) {
    const m = /^([0-9a-f]{40,64}) (\d+) \d+/.exec(line);
    if (m) origins.push({ commit: m[1]!, line: Number(m[2]) });
  }
  return origins;
}

/** The git reads of one repository that the AI collaboration analysis needs. */
export interface GitLineReader {
  /** Commits of `revisions` (newest first) with added lines per file; `extra` are log flags. */
  commitLines(revisions: readonly string[], extra?: readonly string[]): Promise<GitCommitLines[]>;
  /** Origin commit and original line of each line of `path` at `rev`; `null` when absent. */
  blameOrigins(rev: string, path: string): Promise<Array<{ commit: string; line: number }> | null>;
}

/**
 * The {@link GitLineReader} of the repository at `root` (read-only git, no optional locks).
 *
 * @throws {@link DevflowError} `MONITORS_GIT_FAILED` (from its reads) when git fails there.
 */
export function gitLineReader(root: string): GitLineReader {
  return {
    commitLines: (revisions, extra = []) => commitLines(root, revisions, extra),
    blameOrigins: (rev, path) => blameOrigins(root, rev, path),
  };
}
