/**
 * Writes a generated history (see `history.ts`) into a real git repository with
 * `git fast-import`: every commit with its author, date, message and file contents, so that
 * `git log --numstat` reports exactly the generated line counts. Merge commits are left out
 * (they change no files).
 */
import { execFileSync } from "node:child_process";
import type { GeneratedCommit } from "./history.js";

/** Environment for git in tests: no user or system config, a fixed identity. */
const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

/** Runs git in `cwd` and returns its output. */
function git(cwd: string, args: string[], input?: Buffer | string): string {
  return execFileSync("git", args, {
    cwd,
    env: GIT_ENV,
    input,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
}

/**
 * Creates a repository in `dir` (branch `main`) holding the non-merge `commits`, oldest first.
 * Returns the commits written.
 */
export function writeHistoryToGit(
  dir: string,
  commits: readonly GeneratedCommit[],
): GeneratedCommit[] {
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "commit.gpgsign", "false"]);
  const written = commits.filter((c) => !c.isMerge && c.contents.size > 0);
  const parts: Buffer[] = [];
  const text = (s: string) => parts.push(Buffer.from(s));
  const data = (bytes: Buffer) => {
    text(`data ${bytes.length}\n`);
    parts.push(bytes);
    text("\n");
  };
  written.forEach((c, i) => {
    const when = `${Math.floor(c.authoredAt / 1000)} +0000`;
    text(`commit refs/heads/main\nmark :${i + 1}\n`);
    text(
      `author ${c.author.name} <${c.author.email}> ${when}\ncommitter ${c.author.name} <${c.author.email}> ${when}\n`,
    );
    data(Buffer.from(c.message));
    if (i > 0) text(`from :${i}\n`);
    for (const [path, content] of c.contents) {
      if (content === null) {
        text(`D ${path}\n`);
      } else {
        text(`M 100644 inline ${path}\n`);
        data(Buffer.isBuffer(content) ? content : Buffer.from(`${content.join("\n")}\n`));
      }
    }
    text("\n");
  });
  git(dir, ["fast-import", "--quiet"], Buffer.concat(parts));
  git(dir, ["checkout", "-q", "-f", "main"]);
  return written;
}
