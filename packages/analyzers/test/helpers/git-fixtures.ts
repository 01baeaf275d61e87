// The scripted repository the hand-computed expectations of the git analytics tests refer to.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { lines, ScriptedRepo } from "./git-repo.js";

const ADA = "Ada <ada@example.com>";
const ADA_OLD = "ada lovelace <ada@old.example>"; // merged into ADA by .mailmap
const BOB = "Bob <bob@example.com>";
const CY = "Cy <cy@example.com>";

/**
 * c1 Ada 2024-01-01T09:00  a.txt +10, b.txt +5                   "feat: start"
 * c3 ada (old) 01-01T15:00 a.txt +2 −1, b.txt +1                 "fix: bug in a"   (mailmap → Ada)
 * c2 Bob 01-02T10:00       a.txt +3, c.txt +4                     "feat: more"
 * c4 Cy 01-05T08:00        b.txt → d/b.txt (0/6 and 6/0), e.txt +3 "refactor: move b"
 * c5 Bob 01-06T09:00 (branch feature) c.txt +2, e.txt +3          "feat: c and e"
 * c6 Ada 01-06T11:00       a.txt +1                               "fix: typo"
 * c7 Ada 01-07T09:00       merge feature (no files)
 * c8 Cy 02-01T12:00        gen/g01…g31 +1 each, a.txt +1 (32 files) "chore: generate"
 * `.mailmap` is written to the work tree (untracked) before loading.
 */
export function buildMaatRepo(): { repo: ScriptedRepo; hashes: Record<string, string> } {
  const repo = new ScriptedRepo();
  const a = lines(10, "a");
  const hashes: Record<string, string> = {};
  hashes.c1 = repo.commit({
    author: ADA,
    at: "2024-01-01T09:00:00Z",
    message: "feat: start",
    files: { "a.txt": a, "b.txt": lines(5, "b") },
  });
  const a3 = a.replace("a 1\n", "A 1\n") + "a3 1\n";
  hashes.c3 = repo.commit({
    author: ADA_OLD,
    at: "2024-01-01T15:00:00Z",
    message: "fix: bug in a",
    files: { "a.txt": a3, "b.txt": lines(5, "b") + "b2 1\n" },
  });
  const a2 = a3 + lines(3, "a2");
  hashes.c2 = repo.commit({
    author: BOB,
    at: "2024-01-02T10:00:00Z",
    message: "feat: more",
    files: { "a.txt": a2, "c.txt": lines(4, "c") },
  });
  hashes.c4 = repo.commit({
    author: CY,
    at: "2024-01-05T08:00:00Z",
    message: "refactor: move b",
    renames: [["b.txt", "d/b.txt"]],
    files: { "e.txt": lines(3, "e") },
  });
  repo.git("checkout", "-q", "-b", "feature");
  hashes.c5 = repo.commit({
    author: BOB,
    at: "2024-01-06T09:00:00Z",
    message: "feat: c and e",
    files: { "c.txt": lines(4, "c") + lines(2, "c2"), "e.txt": lines(3, "e") + lines(3, "e2") },
  });
  repo.git("checkout", "-q", "main");
  const a6 = a2 + "a6 1\n";
  hashes.c6 = repo.commit({
    author: ADA,
    at: "2024-01-06T11:00:00Z",
    message: "fix: typo",
    files: { "a.txt": a6 },
  });
  hashes.c7 = repo.merge("feature", ADA, "2024-01-07T09:00:00Z");
  const gen: Record<string, string> = { "a.txt": a6 + "a8 1\n" };
  for (let i = 1; i <= 31; i++) gen[`gen/g${String(i).padStart(2, "0")}.txt`] = `g ${i}\n`;
  hashes.c8 = repo.commit({
    author: CY,
    at: "2024-02-01T12:00:00Z",
    message: "chore: generate",
    files: gen,
  });
  writeFileSync(join(repo.dir, ".mailmap"), `${ADA} ${ADA_OLD}\n`);
  return { repo, hashes };
}

/** The 31 generated files of {@link buildMaatRepo}, sorted. */
export const GEN_FILES = Array.from(
  { length: 31 },
  (_, i) => `gen/g${String(i + 1).padStart(2, "0")}.txt`,
);
