// The streaming git log parser on tricky input, synthetic and from a real repository.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  gitLogArgs,
  GitLogParser,
  parseGitLog,
  type ParsedCommit,
  unquoteGitPath,
} from "../src/index.js";
import { git, makeRepo } from "./git-helpers.js";

const H1 = "1".repeat(40);
const H2 = "2".repeat(40);
const H3 = "3".repeat(40);
const H4 = "4".repeat(40);

/** One record as `git log` prints it in GIT_LOG_FORMAT with --numstat. */
function record(hash: string, parents: string[], message: string, numstat: string[] = []): string {
  const header = ["\x1e" + hash, parents.join(" "), "", "Ada", "ada@example.com", "1700000000"]
    .concat(["Bob", "bob@example.com", "1700000060", `${message}\n\x1d`])
    .join("\x1f");
  return numstat.length ? `${header}\n\n${numstat.join("\n")}\n` : `${header}\n`;
}

const tricky = [
  record(H4, [H2, H3], "Merge branch 'topic'"),
  record(H3, [H1], "empty commit"),
  record(
    H2,
    [H1],
    "feat: x\n\nfirst paragraph\n\n\nsecond paragraph\n\nSigned-off-by: Ada <ada@example.com>",
    [
      "-\t-\tassets/logo.png",
      "3\t1\tsrc/ünï/cödé.ts",
      '1\t0\t"tab\\there \\"quoted\\" \\303\\274.txt"',
      "0\t7\tdocs/a file with spaces.md",
    ],
  ),
  record(H1, [], "root\x1e not a new record", ["10\t0\tREADME.md"]),
].join("");

function expectTricky(commits: ParsedCommit[]): void {
  expect(commits.map((c) => c.hash)).toEqual([H4, H3, H2, H1]);
  const [merge, empty, normal, root] = commits as [
    ParsedCommit,
    ParsedCommit,
    ParsedCommit,
    ParsedCommit,
  ];
  expect(merge).toMatchObject({ parents: [H2, H3], message: "Merge branch 'topic'", files: [] });
  expect(empty).toMatchObject({ parents: [H1], message: "empty commit", files: [] });
  expect(normal).toEqual({
    hash: H2,
    parents: [H1],
    source: "",
    authorName: "Ada",
    authorEmail: "ada@example.com",
    authoredAt: 1_700_000_000_000,
    committerName: "Bob",
    committerEmail: "bob@example.com",
    committedAt: 1_700_000_060_000,
    message:
      "feat: x\n\nfirst paragraph\n\n\nsecond paragraph\n\nSigned-off-by: Ada <ada@example.com>",
    files: [
      { path: "assets/logo.png", insertions: null, deletions: null },
      { path: "src/ünï/cödé.ts", insertions: 3, deletions: 1 },
      { path: 'tab\there "quoted" ü.txt', insertions: 1, deletions: 0 },
      { path: "docs/a file with spaces.md", insertions: 0, deletions: 7 },
    ],
  });
  expect(root).toMatchObject({ parents: [], message: "root\x1e not a new record" });
  expect(root.files).toEqual([{ path: "README.md", insertions: 10, deletions: 0 }]);
}

describe("git log parser", () => {
  it("parses merges, empty commits, binary numstat, blank lines, unicode and quoted paths", () => {
    expectTricky(parseGitLog(tricky));
  });

  it("gives the same result however the bytes are split (even inside UTF-8 characters)", () => {
    const bytes = Buffer.from(tricky, "utf8");
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const commits: ParsedCommit[] = [];
      const parser = new GitLogParser((c) => commits.push(c));
      for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size));
      parser.end();
      expectTricky(commits);
      expect(parser.malformed).toBe(0);
    }
  });

  it("hands each commit over as soon as the next one starts (streaming)", () => {
    const seen: string[] = [];
    const parser = new GitLogParser((c) => seen.push(c.hash));
    parser.push(record(H2, [H1], "two", ["1\t1\ta"]));
    expect(seen).toEqual([]);
    parser.push(record(H1, [], "one"));
    expect(seen).toEqual([H2]);
    parser.end();
    expect(seen).toEqual([H2, H1]);
  });

  it("handles empty output and counts malformed records", () => {
    expect(parseGitLog("")).toEqual([]);
    const parser = new GitLogParser(() => undefined);
    parser.push(`\x1e${H1}\x1fbroken`);
    parser.end();
    expect(parser.malformed).toBe(1);
  });

  it("unquotes git's C-style paths", () => {
    expect(unquoteGitPath('"a\\\\b\\nc\\"d"')).toBe('a\\b\nc"d');
    expect(unquoteGitPath('"\\346\\227\\245\\346\\234\\254.txt"')).toBe("日本.txt");
    expect(unquoteGitPath("plain/path.ts")).toBe("plain/path.ts");
  });

  it("parses real git output: binary files, unicode paths, quoted names, a merge", () => {
    const dir = makeRepo();
    git(dir, "checkout", "-q", "-b", "topic");
    mkdirSync(join(dir, "dír"));
    writeFileSync(join(dir, "dír", "ünïcode.txt"), "a\nb\n");
    writeFileSync(join(dir, "bin.dat"), Buffer.from([0, 1, 2, 0, 255]));
    writeFileSync(join(dir, 'we"ird\tname'), "x\n");
    git(dir, "add", "-A");
    git(
      dir,
      "commit",
      "-q",
      "-m",
      "feat: files\n\nwith a body\n\nCo-authored-by: Bob <bob@example.com>",
    );
    git(dir, "checkout", "-q", "main");
    writeFileSync(join(dir, "README.md"), "hello\nworld\n");
    git(dir, "commit", "-q", "-am", "docs: readme");
    git(dir, "merge", "-q", "--no-ff", "topic", "-m", "Merge branch 'topic'");
    git(dir, "commit", "-q", "--allow-empty", "-m", "chore: empty");
    const out = git(dir, ...gitLogArgs(["--topo-order", "--branches"]));
    const commits = parseGitLog(out);
    const by = new Map(commits.map((c) => [c.message.split("\n")[0], c]));
    expect([...by.keys()].sort()).toEqual([
      "Merge branch 'topic'",
      "chore: empty",
      "chore: init",
      "docs: readme",
      "feat: files",
    ]);
    expect(commits[0]!.message).toBe("chore: empty");
    expect(by.get("chore: empty")!.files).toEqual([]);
    expect(by.get("Merge branch 'topic'")!.parents).toHaveLength(2);
    expect(by.get("Merge branch 'topic'")!.files).toEqual([]);
    expect(by.get("docs: readme")!.files).toEqual([
      { path: "README.md", insertions: 1, deletions: 0 },
    ]);
    const feat = by.get("feat: files")!;
    expect(feat.files).toEqual([
      { path: "bin.dat", insertions: null, deletions: null },
      { path: "dír/ünïcode.txt", insertions: 2, deletions: 0 },
      { path: 'we"ird\tname', insertions: 1, deletions: 0 },
    ]);
    expect(feat.message).toBe(
      "feat: files\n\nwith a body\n\nCo-authored-by: Bob <bob@example.com>",
    );
    expect(by.get("chore: init")!.parents).toEqual([]);
    expect(commits.every((c) => c.authorEmail === "ada@example.com" && c.authoredAt > 0)).toBe(
      true,
    );
  });
});
