// Reads of the working tree and of git for the analyses (moved here from @devflow/analyzers):
// lines of code per file, added lines per commit and file, and blame origins, on real
// temporary files and repositories, with hand-counted expectations.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countLinesOfCode, countNonBlankLines, gitLineReader } from "../src/index.js";
import { commitFile, git, makeRepo, tempDir } from "./git-helpers.js";

describe("lines of code", () => {
  it("counts non-blank lines of text files and leaves out binary, missing and oversized files", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/a.ts"), "one\n\n  \ntwo\r\n\tthree");
    writeFileSync(join(dir, "bin.dat"), Buffer.from([1, 2, 0, 3]));
    writeFileSync(join(dir, "big.txt"), "x\n".repeat(100));
    const loc = await countLinesOfCode(
      dir,
      ["src/a.ts", "bin.dat", "gone.txt", "big.txt", "../escape"],
      { maxBytes: 150 },
    );
    expect([...loc]).toEqual([["src/a.ts", 3]]);
    expect(countNonBlankLines(Buffer.from("a\n\nb\n"))).toBe(2);
    expect(countNonBlankLines(Buffer.from([0, 65]))).toBeNull();
  });
});

describe("gitLineReader", () => {
  it("reads added lines per commit and file, newest first, and blame origins", async () => {
    const repo = makeRepo(); // README.md: 1 line
    const c1 = commitFile(repo, "a.txt", "1\n2\n3\n", "feat: a");
    writeFileSync(join(repo, "bin.dat"), Buffer.from([0, 1, 2]));
    git(repo, "add", "bin.dat");
    const c2 = commitFile(repo, "a.txt", "1\nTWO\n3\n4\n", "fix: a\n\nbody");
    const reader = gitLineReader(repo);
    const commits = await reader.commitLines(["HEAD"]);
    expect(commits.map((c) => [c.hash, c.message, c.isMerge, [...c.added]])).toEqual([
      [c2, "fix: a\n\nbody", false, [["a.txt", 2]]], // TWO and 4; the binary file is left out
      [c1, "feat: a", false, [["a.txt", 3]]],
      [commits[2]!.hash, "chore: init", false, [["README.md", 1]]],
    ]);
    expect(commits.every((c) => c.committedAt > 0 && c.committedAt % 1000 === 0)).toBe(true);
    // Line 2 and 4 come from c2 (its lines 2 and 4); lines 1 and 3 from c1 (its lines 1 and 3).
    expect(await reader.blameOrigins("HEAD", "a.txt")).toEqual([
      { commit: c1, line: 1 },
      { commit: c2, line: 2 },
      { commit: c1, line: 3 },
      { commit: c2, line: 4 },
    ]);
    expect(await reader.blameOrigins(c1, "missing.txt")).toBeNull();
  });

  it("fails with MONITORS_GIT_FAILED outside a repository", async () => {
    const dir = tempDir();
    await expect(gitLineReader(dir).commitLines(["HEAD"])).rejects.toMatchObject({
      code: "MONITORS_GIT_FAILED",
    });
  });
});
