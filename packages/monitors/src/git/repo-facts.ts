/**
 * Facts read from a repository's working tree and refs (not from stored history): tracked
 * files, the working tree's changes, tags and the production branch. Used by the git analytics
 * of the CLI and the MCP tools.
 */
import { execFile } from "node:child_process";
import { DevflowError } from "@devflow/events";

/** A tag pointing (peeled) at a commit; `at` is the tagger date, else the commit date (ms). */
export interface GitTagRef {
  name: string;
  commit: string;
  at: number;
}

/** Runs git in `root` and returns its standard output. */
function gitOutput(root: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "core.quotePath=false", ...args],
      { cwd: root, maxBuffer: 512 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        reject(
          new DevflowError(
            "MONITORS_GIT_FAILED",
            `git ${args[0]} failed in ${root}: ${(stderr || err.message).trim().split("\n")[0]}`,
            { cause: err },
          ),
        );
      },
    );
  });
}

const splitZ = (out: string): string[] => out.split("\0").filter((p) => p !== "");

/** Paths git tracks in the working tree (`git ls-files`), relative to `root`. */
export async function trackedFiles(root: string): Promise<string[]> {
  return splitZ(await gitOutput(root, ["ls-files", "-z"]));
}

/**
 * The changed paths of the working tree: staged and unstaged changes against HEAD (against the
 * index in a repository without commits), renames as a delete plus an add.
 */
export async function workingTreeChanges(root: string): Promise<string[]> {
  const hasHead = await gitOutput(root, ["rev-parse", "--verify", "-q", "HEAD"]).then(
    () => true,
    () => false,
  );
  const base = hasHead ? ["HEAD"] : ["--cached"];
  const out = await gitOutput(root, ["diff", "--name-only", "--no-renames", "-z", ...base]);
  return [...new Set(splitZ(out))].sort();
}

/** Every tag that points (peeled) at a commit, with its tagger date (commit date if light). */
export async function readTags(root: string): Promise<GitTagRef[]> {
  const out = await gitOutput(root, [
    "for-each-ref",
    "--format=%(refname:strip=2)%09%(objecttype)%09%(objectname)%09%(*objecttype)%09%(*objectname)%09%(creatordate:unix)",
    "refs/tags",
  ]);
  const tags: GitTagRef[] = [];
  for (const line of out.split("\n")) {
    const [name, type, object, peeledType, peeled, at] = line.split("\t");
    if (!name || !at) continue;
    const commit = type === "commit" ? object : peeledType === "commit" ? peeled : undefined;
    if (commit) tags.push({ name, commit, at: Number(at) * 1000 });
  }
  return tags;
}

/**
 * The production branch and its tip: `name` when given (it must exist), else `main` or
 * `master`, whichever exists; `null` when neither does.
 *
 * @throws {@link DevflowError} `MONITORS_BAD_ARGUMENT` when the named branch does not exist.
 */
export async function productionBranch(
  root: string,
  name: string | undefined,
): Promise<{ name: string; tip: string } | null> {
  for (const candidate of name ? [name] : ["main", "master"]) {
    const tip = await gitOutput(root, [
      "rev-parse",
      "--verify",
      "-q",
      `refs/heads/${candidate}^{commit}`,
    ]).then(
      (out) => out.trim(),
      () => null,
    );
    if (tip) return { name: candidate, tip };
  }
  if (name) throw new DevflowError("MONITORS_BAD_ARGUMENT", `no branch "${name}" in ${root}`);
  return null;
}
