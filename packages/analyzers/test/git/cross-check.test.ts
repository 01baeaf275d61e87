// Cross-check on a generated history of 5,200 commits (renames, deletions, merges, commits
// above the changeset limit): revisions, entity churn and coupling over the stored facts equal
// an independent computation over `git log --numstat --no-renames`, row for row.
import { describe, expect, it } from "vitest";
import {
  buildAggregates,
  coupling,
  couplingFromAggregates,
  type CouplingThresholds,
  entityChurn,
  GitAnalyticsIndex,
  revisions,
} from "../../src/index.js";
import { generateHistory, git, loadHistory, openTempStorage } from "../helpers/git-repo.js";

interface Commit {
  files: Array<{ path: string; added: number; deleted: number }>;
}

/** Parses `git log --numstat` output with plain string processing. */
function parseLog(out: string): Commit[] {
  const commits: Commit[] = [];
  let current: Commit | null = null;
  for (const line of out.split("\n")) {
    if (line.startsWith("--commit--")) {
      current = { files: [] };
      commits.push(current);
    } else if (line.trim() !== "" && current) {
      const [a, d, path] = line.split("\t");
      current.files.push({
        path: path!,
        added: a === "-" ? 0 : Number(a),
        deleted: d === "-" ? 0 : Number(d),
      });
    }
  }
  return commits.filter((c) => c.files.length > 0);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function expectedRevisions(commits: Commit[]): Array<[string, number]> {
  const n = new Map<string, number>();
  for (const c of commits) for (const f of c.files) n.set(f.path, (n.get(f.path) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
}

function expectedChurn(commits: Commit[]): Array<[string, number, number, number]> {
  const n = new Map<string, [number, number, number]>();
  for (const c of commits) {
    for (const f of c.files) {
      const v = n.get(f.path) ?? [0, 0, 0];
      n.set(f.path, [v[0] + f.added, v[1] + f.deleted, v[2] + 1]);
    }
  }
  return [...n]
    .map(([p, [a, d, r]]): [string, number, number, number] => [p, a, d, r])
    .sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]));
}

function expectedCoupling(commits: Commit[], t: Required<CouplingThresholds>): string[] {
  const revs = new Map<string, number>();
  const shared = new Map<string, number>();
  for (const c of commits) {
    if (c.files.length > t.maxChangesetSize) continue;
    const paths = c.files.map((f) => f.path).sort();
    for (const p of paths) revs.set(p, (revs.get(p) ?? 0) + 1);
    for (let i = 0; i < paths.length; i++) {
      for (let j = i + 1; j < paths.length; j++) {
        const key = `${paths[i]}\t${paths[j]}`;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const rows: Array<[string, string, number, number]> = [];
  for (const [key, s] of shared) {
    const [a, b] = key.split("\t") as [string, string];
    const avg = (revs.get(a)! + revs.get(b)!) / 2;
    const degree = (s * 100) / avg;
    if (
      avg >= t.minRevs &&
      s >= t.minSharedRevs &&
      degree >= t.minCoupling &&
      Math.floor(degree) <= t.maxCoupling
    )
      rows.push([a, b, Math.floor(degree), Math.ceil(avg)]);
  }
  return rows
    .sort((x, y) => y[2] - x[2] || y[3] - x[3] || cmp(x[0], y[0]) || cmp(x[1], y[1]))
    .map((r) => r.join(","));
}

describe("git analytics cross-check against git log --numstat", () => {
  it("revisions, entity churn and coupling equal an independent computation, row for row", () => {
    const repo = generateHistory(5200);
    const storage = openTempStorage();
    const stored = loadHistory(storage, repo);
    expect(stored).toBe(Number(git(repo, ["rev-list", "--count", "--branches", "--tags"]).trim()));
    expect(stored).toBeGreaterThanOrEqual(5000);

    const log = git(repo, [
      "-c",
      "core.quotePath=false",
      "log",
      "--numstat",
      "--no-renames",
      "--format=--commit--%H",
      "--branches",
      "--tags",
    ]);
    const commits = parseLog(log);
    const big = commits.filter((c) => c.files.length > 30).length;
    expect(big).toBeGreaterThan(5); // the changeset limit matters

    const agg = buildAggregates(storage.commits, { projectId: "p" });
    const revs = revisions(agg).map((r): [string, number] => [r.entity, r.revisions]);
    expect(revs).toEqual(expectedRevisions(commits));
    expect(revs.some(([p]) => p.includes("-r"))).toBe(true); // renamed paths are entities

    const churn = entityChurn(agg).map((r): [string, number, number, number] => [
      r.entity,
      r.added,
      r.deleted,
      r.commits,
    ]);
    expect(churn).toEqual(expectedChurn(commits));

    const defaults = {
      minRevs: 5,
      minSharedRevs: 5,
      minCoupling: 30,
      maxCoupling: 100,
      maxChangesetSize: 30,
    };
    const loose = {
      minRevs: 2,
      minSharedRevs: 2,
      minCoupling: 5,
      maxCoupling: 90,
      maxChangesetSize: 8,
    };
    for (const t of [defaults, loose]) {
      const rows = coupling(storage.commits, agg, t).map((r) =>
        [r.entity, r.coupled, r.degree, r.averageRevs].join(","),
      );
      const expected = expectedCoupling(commits, t);
      expect(expected.length).toBeGreaterThan(10);
      expect(rows).toEqual(expected);
    }

    // The incremental index (every pair counted) gives the same coupling as the two-pass one.
    const index = new GitAnalyticsIndex(storage.commits, { projectId: "p" });
    index.refresh();
    expect(revisions(index.aggregates)).toEqual(revisions(agg));
    expect(couplingFromAggregates(index.aggregates, defaults)).toEqual(
      coupling(storage.commits, agg, defaults),
    );
  }, 120_000);
});
