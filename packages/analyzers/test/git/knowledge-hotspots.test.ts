// Hotspots, bus factor, knowledge loss and commit statistics on the scripted repository of
// test/helpers/git-fixtures.ts, with hand-computed expectations; lines of code come from the
// repository's real working tree, counted here by a plain reading of the files (the product's
// reader is `countLinesOfCode` of @devflow/monitors, tested there).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Storage } from "@devflow/storage";
import {
  buildAggregates,
  busFactor,
  commitStats,
  type GitAggregates,
  hotspots,
  knowledgeLoss,
} from "../../src/index.js";
import { buildMaatRepo, GEN_FILES } from "../helpers/git-fixtures.js";
import { forFile, loadHistory, openTempStorage, type ScriptedRepo } from "../helpers/git-repo.js";

let storage: Storage;
let agg: GitAggregates;
let repo: ScriptedRepo;
const P = { projectId: "p" };
const CURRENT = ["a.txt", "c.txt", "d/b.txt", "e.txt", ...GEN_FILES];

beforeAll(() =>
  forFile(() => {
    repo = buildMaatRepo().repo;
    storage = openTempStorage();
    loadHistory(storage, repo.dir);
    agg = buildAggregates(storage.commits, P);
  }),
);

/** Non-blank lines of each existing file (an independent count for the hotspots' input). */
async function countLinesOfCode(
  root: string,
  paths: readonly string[],
): Promise<Map<string, number>> {
  const loc = new Map<string, number>();
  for (const path of paths) {
    const file = join(root, path);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    loc.set(path, lines.length);
  }
  return Promise.resolve(loc);
}

describe("lines of code", () => {
  it("reads the scripted working tree", async () => {
    const loc = await countLinesOfCode(repo.dir, CURRENT);
    expect(loc.get("a.txt")).toBe(16);
    expect(loc.get("c.txt")).toBe(6);
    expect(loc.size).toBe(35);
  });
});

describe("hotspots", () => {
  it("ranks current files by revisions × lines of code, with the churn trend", async () => {
    const loc = await countLinesOfCode(repo.dir, [...CURRENT, "b.txt"]);
    const rows = hotspots(agg, { loc, now: Date.parse("2024-02-15T00:00:00Z"), trendMonths: 3 });
    expect(rows.slice(0, 5).map((r) => [r.rank, r.entity, r.revisions, r.loc, r.score])).toEqual([
      [1, "a.txt", 5, 16, 80],
      [2, "c.txt", 2, 6, 12],
      [3, "e.txt", 2, 6, 12],
      [4, "d/b.txt", 1, 6, 6],
      [5, "gen/g01.txt", 1, 1, 1],
    ]);
    expect(rows).toHaveLength(35); // b.txt is gone from the working tree
    expect(rows[0]!.trend).toEqual({
      months: [
        { month: "2023-12", added: 0, deleted: 0, revisions: 0 },
        { month: "2024-01", added: 16, deleted: 1, revisions: 4 },
        { month: "2024-02", added: 1, deleted: 0, revisions: 1 },
      ],
      slope: 0.5,
      direction: "rising",
    });
    const two = hotspots(agg, {
      loc,
      now: Date.parse("2024-02-15T00:00:00Z"),
      trendMonths: 2,
      limit: 1,
    });
    expect(two).toHaveLength(1);
    expect(two[0]!.trend).toMatchObject({ slope: -16, direction: "falling" });
    const later = hotspots(agg, { loc, now: Date.parse("2024-09-01T00:00:00Z"), limit: 1 });
    expect(later[0]!.trend.direction).toBe("flat");
  });

  it("sums lines of code per component", async () => {
    const loc = await countLinesOfCode(repo.dir, CURRENT);
    const g = buildAggregates(storage.commits, {
      ...P,
      include: ["gen"],
      groups: [{ pattern: /^gen\//, name: "Generated" }],
    });
    expect(
      hotspots(g, { loc, now: Date.parse("2024-03-01T00:00:00Z") }).map((r) => [
        r.entity,
        r.revisions,
        r.loc,
      ]),
    ).toEqual([["Generated", 1, 31]]);
  });
});

describe("knowledge", () => {
  it("bus factor of the project and folders", () => {
    expect(busFactor(agg, { files: CURRENT })).toEqual([
      { folder: ".", files: 35, busFactor: 1, owners: [{ author: "Cy", files: 32 }] },
      { folder: "gen", files: 31, busFactor: 1, owners: [{ author: "Cy", files: 31 }] },
      { folder: "d", files: 1, busFactor: 1, owners: [{ author: "Cy", files: 1 }] },
    ]);
    // Four files: Bob owns two, Ada and Cy one each; losing Bob orphans exactly half, not more.
    expect(busFactor(agg, { files: ["a.txt", "c.txt", "d/b.txt", "e.txt"], depth: 0 })).toEqual([
      {
        folder: ".",
        files: 4,
        busFactor: 2,
        owners: [
          { author: "Bob", files: 2 },
          { author: "Ada", files: 1 },
        ],
      },
    ]);
    // Without a file list every entity of the history counts (b.txt too, owned by Ada).
    expect(busFactor(agg, { depth: 0 })[0]).toMatchObject({ files: 36, busFactor: 1 });
  });

  it("knowledge loss: files whose main developer has been inactive, on both sides of the threshold", () => {
    const now = Date.parse("2024-06-01T00:00:00Z");
    const loss = knowledgeLoss(agg, { now, inactiveDays: 121, files: CURRENT });
    expect(loss.rows.map((r) => [r.entity, r.mainDev, r.inactiveDays])).toEqual([
      ["a.txt", "Ada", 146],
      ["c.txt", "Bob", 146],
      ["e.txt", "Bob", 146],
    ]);
    expect(loss).toMatchObject({ files: 35, share: 0.09 });
    expect(loss.authors.map((a) => [a.author, a.files])).toEqual([
      ["Bob", 2],
      ["Ada", 1],
    ]);
    expect(knowledgeLoss(agg, { now, inactiveDays: 120, files: CURRENT }).rows).toHaveLength(35);
  });
});

describe("commit statistics", () => {
  it("per author, day, weekday, hour and month; merges only on request", () => {
    const s = commitStats(storage.commits, P);
    expect(s.totals).toMatchObject({
      commits: 7,
      authors: 3,
      activeDays: 5,
      insertions: 72,
      deletions: 7,
    });
    expect(
      s.authors.map((a) => [
        a.author,
        a.commits,
        a.insertions,
        a.deletions,
        a.activeDays,
        a.percent,
      ]),
    ).toEqual([
      ["Ada", 3, 19, 1, 2, 42.9],
      ["Bob", 2, 12, 0, 2, 28.6],
      ["Cy", 2, 41, 6, 2, 28.6],
    ]);
    expect(s.weekdays.map((w) => w.commits)).toEqual([2, 1, 0, 1, 1, 2, 0]);
    expect(s.hours.filter((h) => h.commits).map((h) => [h.hour, h.commits])).toEqual([
      [8, 1],
      [9, 2],
      [10, 1],
      [11, 1],
      [12, 1],
      [15, 1],
    ]);
    expect(s.months.slice(0, 3).map((m) => m.commits)).toEqual([6, 1, 0]);
    expect(s.days.map((d) => [d.date, d.commits])).toEqual([
      ["2024-01-01", 2],
      ["2024-01-02", 1],
      ["2024-01-05", 1],
      ["2024-01-06", 2],
      ["2024-02-01", 1],
    ]);
    const merges = commitStats(storage.commits, P, { includeMerges: true });
    expect(merges.authors[0]).toMatchObject({ author: "Ada", commits: 4, activeDays: 3 });
  });

  it("uses the time zone for days and hours, and only in-scope files for lines", () => {
    const tokyo = commitStats(storage.commits, { ...P, timeZone: "Asia/Tokyo" });
    // 15:00Z on Monday is 00:00 on Tuesday in Tokyo.
    expect(tokyo.weekdays.map((w) => w.commits)).toEqual([1, 2, 0, 1, 1, 2, 0]);
    expect(tokyo.hours[0]!.commits).toBe(1);
    const period = commitStats(storage.commits, {
      ...P,
      exclude: ["gen"],
      since: Date.parse("2024-01-05T00:00:00Z"),
    });
    expect(period.authors.map((a) => [a.author, a.commits, a.insertions])).toEqual([
      ["Cy", 2, 10],
      ["Ada", 1, 1],
      ["Bob", 1, 5],
    ]);
  });
});
