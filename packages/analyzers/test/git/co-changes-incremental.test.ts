// The co-change check (A and B always change together: changing A alone reports B at 100 %)
// and the incremental index (new commits are folded in without reading the old ones again,
// with the same results as a full recomputation).
import { describe, expect, it } from "vitest";
import {
  authors,
  buildAggregates,
  coChanges,
  communication,
  coupling,
  couplingFromAggregates,
  entityChurn,
  GitAnalyticsIndex,
  mainDeveloper,
  revisions,
  sumOfCoupling,
  summary,
} from "../../src/index.js";
import {
  generateHistory,
  git,
  lines,
  loadHistory,
  openTempStorage,
  ScriptedRepo,
} from "../helpers/git-repo.js";
import { sqliteOf } from "@devflow/storage/testing";

const DEV = "Dev <dev@example.com>";

function coupledRepo(): ScriptedRepo {
  const repo = new ScriptedRepo();
  let day = 1;
  const at = () => `2024-03-${String(day++).padStart(2, "0")}T10:00:00Z`;
  const touch = (files: string[], n: number) =>
    repo.commit({
      author: DEV,
      at: at(),
      message: `change ${n}`,
      files: Object.fromEntries(files.map((f) => [f, lines(n, f)])),
    });
  touch(["A.ts", "B.ts", "C.ts"], 1);
  for (let n = 2; n <= 6; n++)
    touch(n <= 2 ? ["A.ts", "B.ts", "C.ts", "D.ts"] : ["A.ts", "B.ts", "D.ts"], n);
  touch(["C.ts"], 7);
  touch(["C.ts"], 8);
  touch(["D.ts"], 9);
  const big: Record<string, string> = { "A.ts": lines(10, "A") };
  for (let i = 1; i <= 30; i++) big[`E${i}.ts`] = "e\n";
  repo.commit({ author: DEV, at: at(), message: "big", files: big });
  return repo;
}

describe("co-change check", () => {
  it("changing A alone reports B (always changed together) at 100 %, and D above the thresholds", () => {
    const repo = coupledRepo();
    const storage = openTempStorage();
    loadHistory(storage, repo.dir);
    const r = coChanges(storage.commits, { projectId: "p" }, ["A.ts"]);
    expect(r.changed).toEqual(["A.ts"]);
    expect(r.rows).toEqual([
      {
        changed: "A.ts",
        missing: "B.ts",
        degree: 100,
        sharedRevs: 6,
        averageRevs: 6,
        changedRevs: 6,
        missingRevs: 6,
      },
      {
        changed: "A.ts",
        missing: "D.ts",
        degree: 83,
        sharedRevs: 5,
        averageRevs: 6,
        changedRevs: 6,
        missingRevs: 6,
      },
    ]);
    // C shares only 2 revisions with A: below code-maat's min-shared-revs of 5.
    expect(r.rows.some((x) => x.missing === "C.ts")).toBe(false);
    expect(
      coChanges(storage.commits, { projectId: "p" }, ["A.ts"], { minSharedRevs: 2 }).rows.map(
        (x) => x.missing,
      ),
    ).toEqual(["B.ts", "D.ts", "C.ts"]);
    // With A and B both changed, only D is missing (coupled with each of them).
    expect(
      coChanges(storage.commits, { projectId: "p" }, ["B.ts", "A.ts"]).rows.map(
        (x) => `${x.changed}>${x.missing}`,
      ),
    ).toEqual(["A.ts>D.ts", "B.ts>D.ts"]);
    // The 31-file commit counts only when the changeset limit allows it.
    expect(
      coChanges(storage.commits, { projectId: "p" }, ["A.ts"], { maxChangesetSize: 31 }).rows[0],
    ).toMatchObject({
      missing: "B.ts",
      degree: 92,
      changedRevs: 7,
    });
    expect(coChanges(storage.commits, { projectId: "p" }, ["new.ts"]).rows).toEqual([]);
    expect(
      coChanges(storage.commits, { projectId: "p", exclude: ["B.ts"] }, ["A.ts", "B.ts"]),
    ).toMatchObject({
      ignored: ["B.ts"],
      changed: ["A.ts"],
    });
  });
});

describe("incremental index", () => {
  it("folds in only new commits and matches a full recomputation", () => {
    const repo = generateHistory(1500, { files: 80, seed: 3 });
    const storage = openTempStorage();
    const P = { projectId: "p" };
    loadHistory(storage, repo, "p", ["main~400"]);
    const index = new GitAnalyticsIndex(storage.commits, P);
    const first = index.refresh();
    expect(first.mode).toBe("full");
    const before = storage.commits.count("p");

    loadHistory(storage, repo);
    const added = storage.commits.count("p") - before;
    expect(added).toBeGreaterThan(400);
    const second = index.refresh();
    expect(second.mode).toBe("incremental");
    const fresh = Number(
      git(repo, ["rev-list", "--count", "--no-merges", "--branches", "^main~400"]).trim(),
    );
    expect(second.commitsRead).toBeLessThanOrEqual(fresh);
    expect(second.commitsRead).toBeGreaterThan(fresh - 10); // a few new commits may touch no file
    expect(index.refresh()).toEqual({ mode: "incremental", commitsRead: 0, rowsRead: 0 });

    const full = buildAggregates(storage.commits, P);
    const inc = index.aggregates;
    for (const analysis of [
      summary,
      revisions,
      authors,
      entityChurn,
      communication,
      sumOfCoupling,
    ] as const) {
      expect(analysis(inc)).toEqual(analysis(full));
    }
    expect(mainDeveloper(inc)).toEqual(mainDeveloper(full));
    const t = { minRevs: 3, minSharedRevs: 3, minCoupling: 20 };
    const expected = coupling(storage.commits, P, t);
    expect(expected.length).toBeGreaterThan(0);
    expect(couplingFromAggregates(inc, t)).toEqual(expected);

    // Rows vanishing (a project deleted and imported again) make the next refresh a full one.
    sqliteOf(storage).prepare("DELETE FROM commits WHERE project_id = 'p'").run();
    loadHistory(storage, repo, "p", ["main~400"]);
    expect(index.refresh().mode).toBe("full");
    expect(revisions(index.aggregates)).toEqual(revisions(buildAggregates(storage.commits, P)));
    expect(summary(index.aggregates)).not.toEqual(summary(full));
  }, 60_000);

  it("refuses temporal grouping", () => {
    expect(
      () =>
        new GitAnalyticsIndex(openTempStorage().commits, { projectId: "p", temporalPeriodDays: 1 }),
    ).toThrow(/temporal grouping/);
  });
});
