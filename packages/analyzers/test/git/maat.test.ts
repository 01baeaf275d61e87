// code-maat's analyses on a scripted repository, every figure computed by hand (see
// test/helpers/git-fixtures.ts): ties, a rename (delete + add), a merge, a commit above the
// changeset limit and an author with two identities merged through .mailmap.
import { beforeAll, describe, expect, it } from "vitest";
import type { Storage } from "@devflow/storage";
import {
  absoluteChurn,
  authorChurn,
  authors,
  buildAggregates,
  codeAge,
  communication,
  coupling,
  entityChurn,
  entityEffort,
  entityOwnership,
  fragmentation,
  type GitAggregates,
  mainDeveloper,
  messageMatches,
  parseComponentGroups,
  revisions,
  sumOfCoupling,
  summary,
} from "../../src/index.js";
import { buildMaatRepo, GEN_FILES } from "../helpers/git-fixtures.js";
import { forFile, loadHistory, openTempStorage } from "../helpers/git-repo.js";

let storage: Storage;
let agg: GitAggregates;
const P = { projectId: "p" };
const gen = (values: Record<string, unknown>) => GEN_FILES.map((entity) => ({ entity, ...values }));

beforeAll(() =>
  forFile(() => {
    const { repo } = buildMaatRepo();
    storage = openTempStorage();
    expect(loadHistory(storage, repo.dir)).toBe(8);
    agg = buildAggregates(storage.commits, P);
  }),
);

describe("code-maat analyses over stored facts", () => {
  it("summary counts changes with files (not the merge), entities, modifications, authors", () => {
    expect(summary(agg)).toEqual([
      { statistic: "number-of-commits", value: 7 },
      { statistic: "number-of-entities", value: 36 },
      { statistic: "number-of-entities-changed", value: 44 },
      { statistic: "number-of-authors", value: 3 },
    ]);
  });

  it("revisions: renamed paths are two entities, the 32-file commit counts, ties by name", () => {
    expect(revisions(agg)).toEqual([
      { entity: "a.txt", revisions: 5 },
      { entity: "b.txt", revisions: 3 },
      { entity: "c.txt", revisions: 2 },
      { entity: "e.txt", revisions: 2 },
      { entity: "d/b.txt", revisions: 1 },
      ...gen({ revisions: 1 }),
    ]);
  });

  it("authors: the two identities of Ada count as one author", () => {
    expect(authors(agg).slice(0, 5)).toEqual([
      { entity: "a.txt", authors: 3, revisions: 5 },
      { entity: "b.txt", authors: 2, revisions: 3 },
      { entity: "e.txt", authors: 2, revisions: 2 },
      { entity: "c.txt", authors: 1, revisions: 2 },
      { entity: "d/b.txt", authors: 1, revisions: 1 },
    ]);
  });

  it("absolute, author and entity churn", () => {
    expect(absoluteChurn(agg)).toEqual([
      { date: "2024-01-01", added: 18, deleted: 1, commits: 2 },
      { date: "2024-01-02", added: 7, deleted: 0, commits: 1 },
      { date: "2024-01-05", added: 9, deleted: 6, commits: 1 },
      { date: "2024-01-06", added: 6, deleted: 0, commits: 2 },
      { date: "2024-02-01", added: 32, deleted: 0, commits: 1 },
    ]);
    expect(authorChurn(agg)).toEqual([
      { author: "Ada", added: 19, deleted: 1, commits: 3 },
      { author: "Bob", added: 12, deleted: 0, commits: 2 },
      { author: "Cy", added: 41, deleted: 6, commits: 2 },
    ]);
    expect(entityChurn(agg)).toEqual([
      { entity: "a.txt", added: 17, deleted: 1, commits: 5 },
      { entity: "b.txt", added: 6, deleted: 6, commits: 3 },
      { entity: "c.txt", added: 6, deleted: 0, commits: 2 },
      { entity: "d/b.txt", added: 6, deleted: 0, commits: 1 },
      { entity: "e.txt", added: 6, deleted: 0, commits: 2 },
      ...gen({ added: 1, deleted: 0, commits: 1 }),
    ]);
  });

  it("entity ownership and main developers by lines added, removed and revisions (ties by name)", () => {
    expect(entityOwnership(agg).slice(0, 8)).toEqual([
      { entity: "a.txt", author: "Ada", added: 13, deleted: 1 },
      { entity: "a.txt", author: "Bob", added: 3, deleted: 0 },
      { entity: "a.txt", author: "Cy", added: 1, deleted: 0 },
      { entity: "b.txt", author: "Ada", added: 6, deleted: 0 },
      { entity: "b.txt", author: "Cy", added: 0, deleted: 6 },
      { entity: "c.txt", author: "Bob", added: 6, deleted: 0 },
      { entity: "d/b.txt", author: "Cy", added: 6, deleted: 0 },
      { entity: "e.txt", author: "Bob", added: 3, deleted: 0 },
    ]);
    const first5 = (by: "added" | "removed" | "revisions") =>
      mainDeveloper(agg, { by }).slice(0, 5);
    expect(first5("added")).toEqual([
      { entity: "a.txt", mainDev: "Ada", contribution: 13, total: 17, ownership: 0.76 },
      { entity: "b.txt", mainDev: "Ada", contribution: 6, total: 6, ownership: 1 },
      { entity: "c.txt", mainDev: "Bob", contribution: 6, total: 6, ownership: 1 },
      { entity: "d/b.txt", mainDev: "Cy", contribution: 6, total: 6, ownership: 1 },
      { entity: "e.txt", mainDev: "Bob", contribution: 3, total: 6, ownership: 0.5 },
    ]);
    expect(first5("removed")).toEqual([
      { entity: "a.txt", mainDev: "Ada", contribution: 1, total: 1, ownership: 1 },
      { entity: "b.txt", mainDev: "Cy", contribution: 6, total: 6, ownership: 1 },
      { entity: "c.txt", mainDev: "Bob", contribution: 0, total: 0, ownership: 0 },
      { entity: "d/b.txt", mainDev: "Cy", contribution: 0, total: 0, ownership: 0 },
      { entity: "e.txt", mainDev: "Bob", contribution: 0, total: 0, ownership: 0 },
    ]);
    expect(first5("revisions")).toEqual([
      { entity: "a.txt", mainDev: "Ada", contribution: 3, total: 5, ownership: 0.6 },
      { entity: "b.txt", mainDev: "Ada", contribution: 2, total: 3, ownership: 0.67 },
      { entity: "c.txt", mainDev: "Bob", contribution: 2, total: 2, ownership: 1 },
      { entity: "d/b.txt", mainDev: "Cy", contribution: 1, total: 1, ownership: 1 },
      { entity: "e.txt", mainDev: "Bob", contribution: 1, total: 2, ownership: 0.5 },
    ]);
  });

  it("entity effort, fragmentation and communication", () => {
    expect(entityEffort(agg).slice(0, 5)).toEqual([
      { entity: "a.txt", author: "Ada", authorRevisions: 3, totalRevisions: 5 },
      { entity: "a.txt", author: "Bob", authorRevisions: 1, totalRevisions: 5 },
      { entity: "a.txt", author: "Cy", authorRevisions: 1, totalRevisions: 5 },
      { entity: "b.txt", author: "Ada", authorRevisions: 2, totalRevisions: 3 },
      { entity: "b.txt", author: "Cy", authorRevisions: 1, totalRevisions: 3 },
    ]);
    expect(fragmentation(agg).slice(0, 6)).toEqual([
      { entity: "a.txt", fractalValue: 0.56, totalRevisions: 5 },
      { entity: "e.txt", fractalValue: 0.5, totalRevisions: 2 },
      { entity: "b.txt", fractalValue: 0.44, totalRevisions: 3 },
      { entity: "c.txt", fractalValue: 0, totalRevisions: 2 },
      { entity: "d/b.txt", fractalValue: 0, totalRevisions: 1 },
      { entity: "gen/g01.txt", fractalValue: 0, totalRevisions: 1 },
    ]);
    expect(communication(agg)).toEqual([
      { author: "Ada", peer: "Bob", shared: 1, average: 3, strength: 33 },
      { author: "Bob", peer: "Ada", shared: 1, average: 3, strength: 33 },
      { author: "Ada", peer: "Cy", shared: 2, average: 19, strength: 10 },
      { author: "Bob", peer: "Cy", shared: 2, average: 19, strength: 10 },
      { author: "Cy", peer: "Ada", shared: 2, average: 19, strength: 10 },
      { author: "Cy", peer: "Bob", shared: 2, average: 19, strength: 10 },
    ]);
  });

  it("code age in whole months, on both sides of a month boundary", () => {
    const age = (now: string) =>
      codeAge(agg, { now: Date.parse(now) }).map((r) => [r.entity, r.ageMonths]);
    expect(age("2024-06-15T00:00:00Z").slice(0, 3)).toEqual([
      ["a.txt", 4],
      ...GEN_FILES.slice(0, 2).map((f) => [f, 4]),
    ]);
    expect(age("2024-06-15T00:00:00Z").slice(32)).toEqual([
      ["b.txt", 5],
      ["c.txt", 5],
      ["d/b.txt", 5],
      ["e.txt", 5],
    ]);
    // b.txt last changed 2024-01-05T08:00: five months exactly at 06-05T08:00, four a minute before.
    const b = (now: string) => age(now).find(([e]) => e === "b.txt")![1];
    expect(b("2024-06-05T08:00:00Z")).toBe(5);
    expect(b("2024-06-05T07:59:00Z")).toBe(4);
    // Entities changed after "now" are left out.
    expect(age("2024-01-06T10:00:00Z").map(([e]) => e)).toEqual([
      "b.txt",
      "c.txt",
      "d/b.txt",
      "e.txt",
    ]);
  });

  it("sum of coupling uses every change (no changeset limit) and code-maat's strict min-revs", () => {
    expect(sumOfCoupling(agg)).toEqual([{ entity: "a.txt", soc: 34 }, ...gen({ soc: 31 })]);
    expect(sumOfCoupling(agg, { minRevs: 1 }).slice(-4)).toEqual([
      { entity: "b.txt", soc: 4 },
      { entity: "e.txt", soc: 3 },
      { entity: "c.txt", soc: 2 },
      { entity: "d/b.txt", soc: 2 },
    ]);
  });

  it("coupling: degree = shared ÷ mean revisions, thresholds and the changeset limit", () => {
    const loose = { minRevs: 1, minSharedRevs: 1, minCoupling: 40 };
    const rows = coupling(storage.commits, agg, loose).map((r) => [
      r.entity,
      r.coupled,
      r.degree,
      r.averageRevs,
      r.sharedRevs,
    ]);
    expect(rows).toEqual([
      ["d/b.txt", "e.txt", 66, 2, 1],
      ["a.txt", "b.txt", 57, 4, 2],
      ["b.txt", "d/b.txt", 50, 2, 1],
      ["c.txt", "e.txt", 50, 2, 1],
      ["b.txt", "e.txt", 40, 3, 1],
    ]);
    expect(coupling(storage.commits, P)).toEqual([]); // code-maat's defaults need 5 shared revisions
    expect(
      coupling(storage.commits, agg, { ...loose, maxCoupling: 60 }).map((r) => r.degree),
    ).toEqual([57, 50, 50, 40]);
    // Raising the limit to 40 lets the 32-file commit in: 465 generated pairs at 100 %.
    const wide = coupling(storage.commits, P, { ...loose, maxChangesetSize: 40 });
    expect(wide).toHaveLength(465 + 5);
    expect(wide.filter((r) => r.degree === 100)).toHaveLength(465);
    expect(wide.find((r) => r.entity === "a.txt" && r.coupled === "b.txt")?.degree).toBe(50);
  });

  it("messages: files most often touched by fix commits", () => {
    const r = messageMatches(storage.commits, P, { pattern: "^fix" });
    expect(r.rows).toEqual([
      { entity: "a.txt", matches: 2 },
      { entity: "b.txt", matches: 1 },
    ]);
    expect(r).toMatchObject({ changes: 7, changesWithoutMessage: 0 });
  });
});

describe("scopes: temporal grouping, components, path filters, date range", () => {
  it("temporal grouping joins one author's commits of a day, not other authors'", () => {
    const day = buildAggregates(storage.commits, { ...P, temporalPeriodDays: 1 });
    expect(summary(day)[0]).toEqual({ statistic: "number-of-commits", value: 6 });
    expect(revisions(day).slice(0, 2)).toEqual([
      { entity: "a.txt", revisions: 4 },
      { entity: "b.txt", revisions: 2 },
    ]);
    expect(entityChurn(day)[0]).toEqual({ entity: "a.txt", added: 17, deleted: 1, commits: 4 });
    expect(authorChurn(day)[0]).toEqual({ author: "Ada", added: 19, deleted: 1, commits: 2 });
    // A week from Monday 2024-01-01: Ada's three commits and Bob's two become one change each.
    const week = buildAggregates(storage.commits, { ...P, temporalPeriodDays: 7 });
    expect(revisions(week)[0]).toEqual({ entity: "a.txt", revisions: 3 });
    expect(summary(week)[0]!.value).toBe(4);
  });

  it("component grouping by regex (unmatched paths dropped) and by directory", () => {
    const groups = parseComponentGroups("# layers\n^(a|b)\\.txt$ => Core\nd => Dir\n");
    const g = buildAggregates(storage.commits, { ...P, groups });
    expect(revisions(g)).toEqual([
      { entity: "Core", revisions: 6 },
      { entity: "Dir", revisions: 1 },
    ]);
    expect(entityChurn(g)[0]).toEqual({ entity: "Core", added: 23, deleted: 7, commits: 6 });
  });

  it("path include/exclude and a date range", () => {
    const noGen = buildAggregates(storage.commits, { ...P, exclude: ["gen"] });
    expect(summary(noGen)[1]!.value).toBe(5);
    expect(noGen.entities[noGen.dict.entities.find("a.txt")!]!.couplingRevisions).toBe(5);
    const onlyD = buildAggregates(storage.commits, { ...P, include: ["d/**"] });
    expect(revisions(onlyD)).toEqual([{ entity: "d/b.txt", revisions: 1 }]);
    const txt = buildAggregates(storage.commits, {
      ...P,
      include: ["*.txt"],
      exclude: ["g0*.txt", "g1*"],
    });
    expect(revisions(txt).map((r) => r.entity)).toEqual([
      "a.txt",
      "b.txt",
      "c.txt",
      "e.txt",
      "d/b.txt",
      "gen/g20.txt",
      "gen/g21.txt",
      "gen/g22.txt",
      "gen/g23.txt",
      "gen/g24.txt",
      "gen/g25.txt",
      "gen/g26.txt",
      "gen/g27.txt",
      "gen/g28.txt",
      "gen/g29.txt",
      "gen/g30.txt",
      "gen/g31.txt",
    ]);
    const jan = buildAggregates(storage.commits, {
      ...P,
      since: Date.parse("2024-01-02T00:00:00Z"),
      until: Date.parse("2024-02-01T00:00:00Z"),
    });
    expect(revisions(jan).slice(0, 1)).toEqual([{ entity: "a.txt", revisions: 2 }]);
    expect(summary(jan)[0]!.value).toBe(4);
  });

  it("rejects bad options with a clear error", () => {
    expect(() => buildAggregates(storage.commits, { ...P, since: 10, until: 5 })).toThrow(
      /since must be before until/,
    );
    expect(() => buildAggregates(storage.commits, { ...P, timeZone: "Mars/Base" })).toThrow(
      /unknown time zone "Mars\/Base"/,
    );
    expect(() => coupling(storage.commits, P, { minCoupling: 80, maxCoupling: 50 })).toThrow(
      /minCoupling must not exceed maxCoupling/,
    );
    expect(() => parseComponentGroups("src\n")).toThrow(/line 1 is not "pattern => name"/);
    expect(() => messageMatches(storage.commits, P, { pattern: "(" })).toThrow(
      /invalid message expression/,
    );
  });
});
