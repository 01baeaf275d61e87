import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./cleanup.js";

/** Environment of test git commands: no user or system config, a fixed identity, no editors. */
export const GIT_TEST_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Ada Lovelace",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada Lovelace",
  GIT_COMMITTER_EMAIL: "ada@example.com",
  GIT_EDITOR: "true",
  GIT_SEQUENCE_EDITOR: "true",
  GIT_MERGE_AUTOEDIT: "no",
};

/** Extra environment and standard input of one git command. */
export interface GitRunOptions {
  /** Added to (and overriding) `GIT_TEST_ENV`. */
  env?: NodeJS.ProcessEnv;
  input?: Buffer | string;
}

/** Runs the real git in `cwd` and returns its standard output (throws on a non-zero exit). */
export function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): string {
  return execFileSync("git", args, {
    cwd,
    env: { ...GIT_TEST_ENV, ...options.env },
    input: options.input,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** A new repository in a temp dir (removed after the test) on branch `main`, one commit. */
export function makeRepo(prefix = "devflow-git-"): string {
  const dir = tempDir(prefix);
  runGit(dir, ["init", "-q", "-b", "main"]);
  commitFile(dir, "README.md", "hello\n", "chore: init");
  return dir;
}

/** Writes a file, stages it and commits it; returns the new commit's hash. */
export function commitFile(dir: string, path: string, content: string, message: string): string {
  writeFileSync(join(dir, path), content);
  runGit(dir, ["add", "--", path]);
  runGit(dir, ["commit", "-q", "-m", message]);
  return runGit(dir, ["rev-parse", "HEAD"]).trim();
}
