// Shared helpers of the git analytics tests: real repositories in temp dirs (scripted commits
// with fixed authors and dates, or fast-import histories), real SQLite storage, and a loader
// that stores a repository's history the way `importGitHistory` does (same `git log` options:
// numstat without renames, `%aN`/`%aE` through .mailmap, every branch and tag).
import { mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CommitInput, Storage } from "@devflow/storage";
import { forFile, openTempStorage as openTemp, runGit, tempDir } from "@devflow/test-utils";

export { forFile };

/** A storage on a temp file (synchronous OFF: these tests never survive a power loss), closed after the test. */
export function openTempStorage(): Storage {
  return openTemp({ synchronous: "OFF" });
}

/** Runs git in `cwd` with `env` added, returning stdout. */
export function git(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): string {
  return runGit(cwd, args, { env, ...(input === undefined ? {} : { input }) });
}

/** `n` distinct lines `<tag> 1` … `<tag> n`, newline-terminated. */
export function lines(n: number, tag = "line"): string {
  return Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join("");
}

/** One scripted commit. */
export interface CommitSpec {
  /** `Name <email>`. */
  author: string;
  /** ISO time, e.g. `2024-01-01T10:00:00Z` (author and committer date). */
  at: string;
  message: string;
  /** Files to write (content) or delete (`null`). */
  files?: Record<string, string | null>;
  /** `[from, to]` paths to `git mv` before writing files. */
  renames?: Array<[string, string]>;
}

/** A repository built commit by commit with fixed identities and dates. */
export class ScriptedRepo {
  readonly dir: string;

  constructor(branch = "main") {
    this.dir = tempDir("devflow-repo-");
    git(this.dir, ["init", "-q", "-b", branch]);
    git(this.dir, ["config", "commit.gpgsign", "false"]);
    git(this.dir, ["config", "tag.gpgsign", "false"]);
  }

  /** Runs git here. */
  git(...args: string[]): string {
    return git(this.dir, args);
  }

  /** The environment that makes `spec`'s author and date. */
  static identity(author: string, at: string): NodeJS.ProcessEnv {
    const m = /^(.*) <(.*)>$/.exec(author);
    if (!m) throw new Error(`bad author ${author}`);
    const date = `@${Math.floor(Date.parse(at) / 1000)} +0000`;
    return {
      GIT_AUTHOR_NAME: m[1],
      GIT_AUTHOR_EMAIL: m[2],
      GIT_COMMITTER_NAME: m[1],
      GIT_COMMITTER_EMAIL: m[2],
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
  }

  /** Makes one commit; returns its hash. */
  commit(spec: CommitSpec): string {
    for (const [from, to] of spec.renames ?? []) {
      mkdirSync(dirname(join(this.dir, to)), { recursive: true });
      git(this.dir, ["mv", from, to]);
    }
    for (const [path, content] of Object.entries(spec.files ?? {})) {
      const file = join(this.dir, path);
      if (content === null) unlinkSync(file);
      else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
    git(this.dir, ["add", "-A"]);
    git(
      this.dir,
      ["commit", "-q", "--allow-empty", "-m", spec.message],
      ScriptedRepo.identity(spec.author, spec.at),
    );
    return this.head();
  }

  /** `git merge --no-ff <branch>` as `author` at `at`; returns the merge commit. */
  merge(branch: string, author: string, at: string, message?: string): string {
    git(
      this.dir,
      ["merge", "-q", "--no-ff", ...(message ? ["-m", message] : []), branch],
      ScriptedRepo.identity(author, at),
    );
    return this.head();
  }

  /** An annotated tag dated `at`. */
  tag(name: string, at: string, ref = "HEAD"): void {
    git(
      this.dir,
      ["tag", "-a", name, "-m", name, ref],
      ScriptedRepo.identity("Release Bot <bot@example.com>", at),
    );
  }

  head(): string {
    return git(this.dir, ["rev-parse", "HEAD"]).trim();
  }
}

const FORMAT = "--format=%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%ct%x1f%B%x1d";

/**
 * Stores `repo`'s history (every branch and tag) in `storage` as `importGitHistory` does:
 * one `git log --numstat --no-renames`, `.mailmap` applied through `%aN`/`%aE`, binary files
 * with null line counts, merges without file rows. Returns the commits git listed (already
 * stored ones are skipped, as in the import).
 */
export function loadHistory(
  storage: Storage,
  repo: string,
  projectId = "p",
  revs: string[] = ["--branches", "--tags"],
): number {
  const out = git(repo, [
    "-c",
    "core.quotePath=false",
    "log",
    "--numstat",
    "--no-renames",
    "--no-color",
    FORMAT,
    ...revs,
  ]);
  const commits: CommitInput[] = [];
  for (const record of out.split("\x1e").slice(1)) {
    const end = record.indexOf("\x1d");
    const [hash, parents, name, email, at, ct, message] = record.slice(0, end).split("\x1f");
    const files = record
      .slice(end + 1)
      .split("\n")
      .filter((l) => l.includes("\t"))
      .map((l) => {
        const [ins, del, path] = l.split("\t");
        return {
          path: path!,
          insertions: ins === "-" ? null : Number(ins),
          deletions: del === "-" ? null : Number(del),
        };
      });
    commits.push({
      projectId,
      hash: hash!,
      parents: parents ? parents.split(" ") : [],
      authorName: name!,
      authorEmail: email!,
      authoredAt: Number(at) * 1000,
      committedAt: Number(ct) * 1000,
      message: message!.trimEnd(),
      files,
    });
  }
  for (let i = 0; i < commits.length; i += 2000)
    storage.commits.insertMany(commits.slice(i, i + 2000));
  return commits.length;
}

/**
 * A fast-import history of `commits` commits on `main` with `authors` authors: each commit
 * touches 1–`maxFiles` of `files` files (a few commits touch more than 30, to exercise the
 * changeset limit), one commit in 40 deletes a file, one in 50 renames one; a `side` branch is
 * merged every 700 commits. Deterministic for a given seed.
 */
export function generateHistory(
  commits: number,
  options: { files?: number; authors?: number; seed?: number } = {},
): string {
  const files = options.files ?? 300;
  const authors = options.authors ?? 9;
  const dir = tempDir("devflow-hist-");
  git(dir, ["init", "-q", "-b", "main"]);
  let seed = options.seed ?? 7;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor(seed / 65536) % n;
  };
  const names = Array.from({ length: files }, (_, f) => `src/m${f % 17}/f${f}.ts`);
  const content = Array.from({ length: files }, () => [] as string[]);
  const exists = new Array<boolean>(files).fill(false);
  const parts: string[] = [];
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  let mainHead = 0;
  const commit = (ref: string, from: number, merge: number, i: number): number => {
    mark++;
    const who = `Dev ${i % authors} <dev${i % authors}@example.com> ${1_600_000_000 + i * 3607} +0000`;
    parts.push(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`);
    parts.push(
      data(merge ? "Merge branch 'side'" : `${i % 6 === 0 ? "fix" : "feat"}: change ${i}`),
    );
    if (from) parts.push(`from :${from}\n`);
    if (merge) parts.push(`merge :${merge}\n`);
    if (merge) return (parts.push("\n"), mark);
    const onSide = ref !== "refs/heads/main";
    const big = i % 397 === 5;
    const touched = big ? 31 + rand(10) : 1 + rand(4);
    const seen = new Set<number>();
    const picks: number[] = [];
    for (let k = 0; k < touched; k++) {
      const f = rand(files);
      picks.push(f);
      // Files 10n and 10n+1 usually change together: coupling with real degrees.
      if (f % 10 === 0 && f + 1 < files && rand(10) < 7) picks.push(f + 1);
    }
    for (let k = 0; k < picks.length; k++) {
      const f = picks[k]!;
      if (seen.has(f)) continue;
      seen.add(f);
      const op = rand(100);
      // The side branch only edits existing files, so both branches agree on which exist.
      if (onSide && (!exists[f] || op < 4)) continue;
      if (exists[f] && op < 2) {
        parts.push(`D ${names[f]}\n`);
        exists[f] = false;
        content[f] = [];
        continue;
      }
      if (exists[f] && op < 4) {
        const to = `${names[f]!.replace(/\.ts$/, "")}-r${i}.ts`;
        parts.push(`R ${names[f]} ${to}\n`);
        names[f] = to;
        continue;
      }
      const lines = content[f]!;
      const edits = 1 + rand(5);
      for (let e = 0; e < edits; e++) {
        const at = lines.length ? rand(lines.length) : 0;
        const what = rand(3);
        if (what === 0 && lines.length > 3) lines.splice(at, 1);
        else if (what === 1 || lines.length === 0) lines.splice(at, 0, `line ${i}.${k}.${e}`);
        else lines[at] = `edit ${i}.${k}.${e}`;
      }
      exists[f] = true;
      parts.push(`M 100644 inline ${names[f]}\n`, data(`${lines.join("\n")}\n`));
    }
    parts.push("\n");
    return mark;
  };
  let i = 0;
  while (i < commits) {
    if (i > 0 && i % 700 === 0 && i + 3 <= commits) {
      let side = commit("refs/heads/side", mainHead, 0, i++);
      side = commit("refs/heads/side", side, 0, i++);
      mainHead = commit("refs/heads/main", mainHead, side, i++);
      continue;
    }
    mainHead = commit("refs/heads/main", mainHead, 0, i++);
  }
  git(dir, ["fast-import", "--quiet"], {}, parts.join(""));
  git(dir, ["reset", "-q", "--hard", "main"]);
  return dir;
}
