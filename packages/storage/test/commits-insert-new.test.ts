// CommitRepository.insertNew: the hashes newly stored, so a monitor emits each commit once.
import { describe, expect, it } from "vitest";
import { openTemp, readRows, T0 } from "./helpers.js";

const commit = (hash: string, projectId = "p1") => ({
  projectId,
  hash,
  parents: [],
  authorName: "Ada",
  authorEmail: "ada@example.com",
  authoredAt: T0,
  files: [{ path: `src/${hash}.ts`, insertions: 1, deletions: 0 }],
});

describe("commits repository: insertNew", () => {
  it("returns exactly the newly stored hashes in input order, once each", () => {
    const storage = openTemp();
    expect(storage.commits.insertNew([commit("bbbbbbb"), commit("aaaaaaa")])).toEqual([
      "bbbbbbb",
      "aaaaaaa",
    ]);
    expect(
      storage.commits.insertNew([
        commit("aaaaaaa"),
        commit("ccccccc"),
        commit("ccccccc"),
        commit("aaaaaaa", "p2"),
      ]),
    ).toEqual(["ccccccc", "aaaaaaa"]);
    expect(storage.commits.insertNew([commit("bbbbbbb")])).toEqual([]);
    expect(storage.commits.insertNew([])).toEqual([]);
    expect(storage.commits.count("p1")).toBe(3);
    expect(storage.commits.count("p2")).toBe(1);
    const files = readRows(storage.path, "SELECT COUNT(*) AS n FROM commit_files");
    expect(files).toEqual([{ n: 4 }]);
    expect(() => storage.commits.insertNew([commit("ddddddd"), commit("nope")])).toThrow(
      /commits\[1\]\.hash/,
    );
    expect(storage.commits.count("p1")).toBe(3);
  });
});
