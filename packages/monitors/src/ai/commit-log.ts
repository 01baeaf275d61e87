import { StringDecoder } from "node:string_decoder";
import { streamGit } from "../git/run-git.js";
import { unquoteGitPath } from "../git/git-log-parser.js";

/** A commit with its added lines (text, 1-based line number in the commit's version). */
export interface CommitWithLines {
  hash: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  /** ms UTC. */
  authoredAt: number;
  committedAt: number;
  message: string;
  /** Added lines per file path (new path, relative to the repository root). */
  added: Map<string, Array<{ line: number; text: string }>>;
}

const FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%cn%x1f%ce%x1f%at%x1f%ct%x1f%B%x1d";

/**
 * Streams `git log -p --unified=0` of a repository, oldest first, calling `onCommit` with each
 * commit's identity, message and added lines. Merges come without lines (git shows no diff
 * for them by default); binary files have none.
 */
export async function readCommitsWithLines(
  root: string,
  options: { since?: number; revisions?: readonly string[] },
  onCommit: (c: CommitWithLines) => void,
): Promise<void> {
  const args = [
    "-c",
    "core.quotePath=false",
    "log",
    "--reverse",
    "--topo-order",
    `--format=${FORMAT}`,
    "-p",
    "--unified=0",
    "--no-color",
    "--no-renames",
    "--no-ext-diff",
    ...(options.since !== undefined ? [`--since=${Math.floor(options.since / 1000)}`] : []),
    ...(options.revisions ?? ["HEAD", "--branches"]),
    "--",
  ];
  let pending = "";
  let current: CommitWithLines | undefined;
  let header: string | undefined;
  let file: string | undefined;
  let next = 0;
  let inHeader = false;
  const decoder = new StringDecoder("utf8");
  const finish = (): void => {
    if (current) onCommit(current);
    current = undefined;
  };
  const onLine = (line: string): void => {
    if (header !== undefined) {
      const end = line.indexOf("\u001d");
      if (end < 0) {
        header += `${line}\n`;
        return;
      }
      header += line.slice(0, end);
      const f = header.split("\u001f");
      current = {
        hash: f[0] ?? "",
        parents: (f[1] ?? "").split(" ").filter((p) => p !== ""),
        authorName: f[2] ?? "",
        authorEmail: f[3] ?? "",
        committerName: f[4] ?? "",
        committerEmail: f[5] ?? "",
        authoredAt: Number(f[6]) * 1000,
        committedAt: Number(f[7]) * 1000,
        message: (f[8] ?? "").trim(),
        added: new Map(),
      };
      header = undefined;
      file = undefined;
      return;
    }
    if (line.startsWith("\u001e")) {
      finish();
      header = "";
      onLine(line.slice(1));
      return;
    }
    if (!current) return;
    if (line.startsWith("diff --git ")) {
      inHeader = true;
      file = undefined;
      return;
    }
    if (inHeader && line.startsWith("+++ ")) {
      const p = line.slice(4);
      file = p === "/dev/null" ? undefined : unquoteGitPath(p).replace(/^b\//, "");
      return;
    }
    if (line.startsWith("@@")) {
      inHeader = false;
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      next = m ? Number(m[1]) : 0;
      return;
    }
    if (!inHeader && file !== undefined && line.startsWith("+")) {
      let list = current.added.get(file);
      if (!list) current.added.set(file, (list = []));
      list.push({ line: next++, text: line.slice(1) });
    }
  };
  await streamGit({
    cwd: root,
    args,
    onData: (chunk) => {
      const text = pending + decoder.write(chunk);
      const lines = text.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) onLine(l);
    },
  });
  pending += decoder.end();
  if (pending !== "") onLine(pending);
  finish();
}
