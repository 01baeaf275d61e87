// DORA on a scripted history with release tags, a production branch, reverts and hotfixes:
// every figure equals the hand-computed value, with deployments from merges into main and
// from release tags. Tier boundaries are tested on both sides.
import { beforeAll, describe, expect, it } from "vitest";
import {
  changeFailureRateTier,
  computeDora,
  DAY_MS,
  type DoraCommit,
  type DoraDeployment,
  doraFromGit,
  deploymentFrequencyTier,
  gitDoraInput,
  leadTimeTier,
  lowerMedian,
  readDoraCommits,
  recoveryTimeTier,
  type TagRef,
  upperMedian,
} from "../../src/index.js";
import { forFile, git, loadHistory, openTempStorage, ScriptedRepo } from "../helpers/git-repo.js";

const DEV = "Dev <dev@example.com>";
const H = 3_600_000;
const t = (iso: string) => Date.parse(`2024-04-${iso}:00Z`);

function buildHistory() {
  const repo = new ScriptedRepo();
  const c = (at: string, message: string, files: Record<string, string>) =>
    repo.commit({ author: DEV, at: `2024-04-${at}:00Z`, message, files });
  const branch = (name: string) => repo.git("checkout", "-q", "-b", name, "main");
  const merge = (name: string, at: string) => {
    repo.git("checkout", "-q", "main");
    return repo.merge(name, DEV, `2024-04-${at}:00Z`);
  };
  const revert = (hash: string, at: string) => {
    git(repo.dir, ["revert", "--no-edit", hash], ScriptedRepo.identity(DEV, `2024-04-${at}:00Z`));
    return repo.head();
  };
  const h: Record<string, string> = {};
  h.m0 = c("01T08:00", "chore: init", { "README.md": "hi\n" });
  branch("f1");
  h.f1a = c("01T09:00", "feat: a", { "a.txt": "a\n" });
  h.f1b = c("01T10:00", "feat: a2", { "a.txt": "a\na2\n" });
  h.M1 = merge("f1", "01T12:00");
  repo.tag("v1.0.0", "2024-04-01T12:30:00Z");
  branch("f2");
  h.f2a = c("02T09:00", "feat: b", { "b.txt": "b\n" });
  h.M2 = merge("f2", "03T09:00");
  repo.tag("v1.1.0", "2024-04-03T10:00:00Z");
  branch("r1");
  h.rv = revert(h.f2a, "03T11:00");
  h.M3 = merge("r1", "03T13:00");
  repo.tag("v1.1.1", "2024-04-03T13:30:00Z");
  branch("hotfix/login");
  h.hf1 = c("05T08:00", "fix login crash", { "login.txt": "ok\n" });
  h.M4 = merge("hotfix/login", "05T09:00");
  repo.tag("v1.1.2", "2024-04-05T09:15:00Z");
  h.hx = c("08T10:00", "hotfix: null check", { "a.txt": "a\na2\nnull\n" });
  repo.tag("v1.1.3", "2024-04-08T11:00:00Z");
  branch("f3");
  h.f3a = c("09T09:00", "feat: c", { "c.txt": "c\n" });
  h.M5 = merge("f3", "10T09:00");
  repo.tag("v1.2.0-rc1", "2024-04-10T09:30:00Z");
  repo.tag("v1.2.0", "2024-04-10T15:00:00Z");
  branch("f4");
  h.f4a = c("11T09:00", "feat: d", { "d.txt": "d\n" });
  h.f4b = revert(h.f4a, "11T10:00");
  h.M6 = merge("f4", "12T09:00");
  repo.tag("v1.3.0", "2024-04-12T10:00:00Z");
  const tags: TagRef[] = repo
    .git(
      "for-each-ref",
      "refs/tags",
      "--format=%(refname:strip=2)\t%(*objectname)\t%(creatordate:unix)",
    )
    .trim()
    .split("\n")
    .map((line) => {
      const [name, commit, at] = line.split("\t");
      return { name: name!, commit: commit!, at: Number(at) * 1000 };
    });
  return { repo, h, tags };
}

const PERIOD = { from: t("01T00:00"), to: t("15T00:00") };

describe("DORA from git alone", () => {
  let h: Record<string, string>;
  let tags: TagRef[];
  let commits: DoraCommit[];
  let production: { name: string; tip: string };
  beforeAll(() =>
    forFile(() => {
      const built = buildHistory();
      ({ h, tags } = built);
      const storage = openTempStorage();
      loadHistory(storage, built.repo.dir);
      commits = readDoraCommits(storage.commits, "p");
      production = { name: "main", tip: h.M6! };
    }),
  );

  it("deployments = merges into the production branch", () => {
    const r = doraFromGit(commits, {
      ...PERIOD,
      productionBranch: production,
      deployments: "merges",
    });
    expect(r.deployments.map((d) => [d.commit, d.at, d.changes, d.failed, d.rework])).toEqual([
      [h.M1, t("01T12:00"), 3, false, false],
      [h.M2, t("03T09:00"), 1, true, false],
      [h.M3, t("03T13:00"), 1, true, true],
      [h.M4, t("05T09:00"), 1, true, true],
      [h.M5, t("10T09:00"), 2, false, true],
      [h.M6, t("12T09:00"), 2, false, false],
    ]);
    expect(r.deploymentFrequency).toMatchObject({
      deployments: 6,
      deploymentDays: 5,
      weeks: 2,
      months: 1,
      medianDeploymentDaysPerWeek: 2,
      medianDeploymentDaysPerMonth: 1,
      tier: "high",
    });
    expect(r.leadTimeForChanges).toMatchObject({ changes: 10, medianMs: 23 * H, tier: "high" });
    expect(r.changeFailureRate).toMatchObject({
      failedDeployments: 3,
      deployments: 6,
      rate: 0.5,
      tier: "low",
    });
    expect(r.failedDeploymentRecoveryTime).toMatchObject({
      incidents: 3,
      medianMs: 44 * H,
      tier: "medium",
    });
    expect(r.deploymentReworkRate).toMatchObject({
      reworkDeployments: 3,
      deployments: 6,
      rate: 0.5,
      tier: null,
    });
    expect(
      r.incidents.map((i) => [i.kind, i.commit, i.createdAt, i.counted ?? true, i.recoveryMs]),
    ).toEqual([
      ["revert", h.rv, t("03T11:00"), true, 4 * H],
      ["hotfix-branch", h.M4, t("05T08:00"), true, 44 * H],
      ["hotfix", h.hx, t("08T10:00"), true, 120 * H],
      ["revert", h.f4b, t("11T10:00"), false, null],
    ]);
    expect(r.incidents[3]!.note).toMatch(/not in production when reverted/);
    expect(r.deploymentFrequency.inputs.join("\n")).toMatch(/6 merges into main/);
    expect(r.changeFailureRate.inputs.join("\n")).toMatch(/2 revert, 1 hotfix, 1 hotfix-branch/);
  });

  it("deployments = release tags (pre-release tags excluded); auto picks tags", () => {
    const r = doraFromGit(commits, { ...PERIOD, tags, productionBranch: production });
    expect(r.deployments.map((d) => [d.name, d.at, d.changes])).toEqual([
      ["v1.0.0", t("01T12:30"), 3],
      ["v1.1.0", t("03T10:00"), 1],
      ["v1.1.1", t("03T13:30"), 1],
      ["v1.1.2", t("05T09:15"), 1],
      ["v1.1.3", t("08T11:00"), 1],
      ["v1.2.0", t("10T15:00"), 1],
      ["v1.3.0", t("12T10:00"), 2],
    ]);
    expect(r.deploymentFrequency).toMatchObject({
      deploymentDays: 6,
      medianDeploymentDaysPerWeek: 3,
      tier: "elite",
    });
    expect(r.leadTimeForChanges).toMatchObject({ changes: 10, medianMs: 4.5 * H, tier: "high" });
    expect(r.changeFailureRate).toMatchObject({
      failedDeployments: 3,
      deployments: 7,
      tier: "low",
    });
    expect(r.changeFailureRate.rate).toBeCloseTo(3 / 7, 12);
    expect(r.failedDeploymentRecoveryTime).toMatchObject({ medianMs: 43.75 * H, tier: "medium" });
    expect(r.incidents.filter((i) => i.counted !== false).map((i) => i.recoveryMs)).toEqual([
      3.5 * H,
      43.75 * H,
      73.75 * H,
    ]);
    expect(r.deploymentReworkRate).toMatchObject({ reworkDeployments: 3, deployments: 7 });
    expect(r.deploymentFrequency.inputs[0]).toMatch(/7 release tags matching/);
  });

  it("both sources count a tagged merge once, at the later time", () => {
    const input = gitDoraInput(commits, {
      tags,
      productionBranch: production,
      deployments: "both",
    });
    expect(input.deployments).toHaveLength(7);
    expect(input.deployments[0]).toMatchObject({
      commit: h.M1,
      at: t("01T12:30"),
      source: "tag+merge",
    });
    expect(input.sources!.join("\n")).toMatch(
      /6 deployments of an already deployed commit counted once/,
    );
  });

  it("a period filter keeps only deployments and incidents inside it", () => {
    const r = doraFromGit(commits, {
      from: t("08T00:00"),
      to: t("15T00:00"),
      productionBranch: production,
      deployments: "merges",
    });
    expect(r.deploymentFrequency).toMatchObject({
      deployments: 2,
      weeks: 1,
      medianDeploymentDaysPerWeek: 2,
    });
    expect(r.changeFailureRate).toMatchObject({ failedDeployments: 0, rate: 0, tier: "elite" });
    // hx was caused by the 04-05 deployment (outside), resolved inside: not a recovery of the period.
    expect(r.failedDeploymentRecoveryTime).toMatchObject({
      incidents: 0,
      medianMs: null,
      tier: null,
    });
    expect(r.deploymentReworkRate).toMatchObject({ reworkDeployments: 1, rate: 0.5 });
  });

  it("says when there is nothing to compute from", () => {
    const r = doraFromGit(commits, { ...PERIOD, deployments: "merges" });
    expect(r.deploymentFrequency).toMatchObject({ deployments: 0, tier: null });
    expect(r.leadTimeForChanges.tier).toBeNull();
    expect(r.deploymentFrequency.inputs[0]).toMatch(/no production branch given/);
    expect(() => doraFromGit(commits, { from: 10, to: 5 })).toThrow(/start before it ends/);
    expect(() => doraFromGit(commits, { to: 5, tagPattern: "(" })).toThrow(/invalid tag pattern/);
  });
});

describe("DORA tiers on both sides of every boundary", () => {
  it("lead time, recovery time and change failure rate", () => {
    expect(
      [H - 1, H, 7 * DAY_MS - 1, 7 * DAY_MS, 180 * DAY_MS - 1, 180 * DAY_MS].map(leadTimeTier),
    ).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
    expect(
      [H - 1, H, DAY_MS - 1, DAY_MS, 7 * DAY_MS - 1, 7 * DAY_MS].map(recoveryTimeTier),
    ).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
    expect([0, 0.05, 0.0501, 0.1, 0.1001, 0.15, 0.1501].map(changeFailureRateTier)).toEqual([
      "elite",
      "elite",
      "high",
      "high",
      "medium",
      "medium",
      "low",
    ]);
    expect(
      [
        [3, 1],
        [2.99, 1],
        [1, 0],
        [0.99, 1],
        [0, 1],
        [0, 0.99],
      ].map(([w, m]) => deploymentFrequencyTier(w!, m!)),
    ).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
    expect([
      lowerMedian([4, 1, 3, 2]),
      upperMedian([4, 1, 3, 2]),
      lowerMedian([]),
      upperMedian([5]),
    ]).toEqual([2, 3, null, 5]);
  });

  const dep = (day: string, i = 0): DoraDeployment => ({
    id: `${day}-${i}`,
    name: day,
    at: Date.parse(`${day}T12:00:00Z`),
    source: "test",
  });
  const april = {
    from: Date.parse("2024-04-01T00:00:00Z"),
    to: Date.parse("2024-04-29T00:00:00Z"),
  };
  const df = (days: string[], period = april) =>
    computeDora({ deployments: days.map((d, i) => dep(d, i)), changes: [], incidents: [] }, period)
      .deploymentFrequency;
  const weeks = [1, 8, 15, 22].map((d) =>
    [0, 1, 2].map((k) => `2024-04-${String(d + k).padStart(2, "0")}`),
  );

  it("deployment frequency through computeDora: elite ↔ high ↔ medium ↔ low", () => {
    expect(df(weeks.flat())).toMatchObject({ medianDeploymentDaysPerWeek: 3, tier: "elite" });
    // Two deployments on one day are one deployment day.
    expect(df([...weeks.flat(), "2024-04-01"])).toMatchObject({
      deploymentDays: 12,
      tier: "elite",
    });
    expect(df(weeks.flat().filter((d) => d !== "2024-04-03"))).toMatchObject({
      medianDeploymentDaysPerWeek: 3,
      tier: "elite",
    });
    expect(df(weeks.flat().filter((d) => !["2024-04-03", "2024-04-10"].includes(d)))).toMatchObject(
      {
        medianDeploymentDaysPerWeek: 2,
        tier: "high",
      },
    );
    expect(df(weeks.map((w) => w[0]!))).toMatchObject({
      medianDeploymentDaysPerWeek: 1,
      tier: "high",
    });
    expect(df([weeks[0]![0]!, weeks[1]![0]!])).toMatchObject({
      medianDeploymentDaysPerWeek: 0,
      medianDeploymentDaysPerMonth: 1,
      tier: "medium",
    });
    const q1 = { from: Date.parse("2024-01-01T00:00:00Z"), to: Date.parse("2024-04-01T00:00:00Z") };
    expect(df(["2024-01-10", "2024-02-10"], q1)).toMatchObject({
      months: 3,
      medianDeploymentDaysPerMonth: 1,
      tier: "medium",
    });
    expect(df(["2024-01-10", "2024-01-20"], q1)).toMatchObject({
      medianDeploymentDaysPerMonth: 0,
      tier: "low",
    });
  });

  it("lead time, failure rate and recovery through computeDora, with DevLake's incident rule", () => {
    const deployments = Array.from({ length: 20 }, (_, i) =>
      dep(`2024-04-${String(i + 1).padStart(2, "0")}`),
    );
    const lead = (ms: number) =>
      computeDora(
        {
          deployments,
          changes: [
            { id: "c", firstCommitAt: deployments[5]!.at - ms, deploymentId: deployments[5]!.id },
          ],
          incidents: [],
        },
        april,
      ).leadTimeForChanges.tier;
    expect([lead(H - 1), lead(H)]).toEqual(["elite", "high"]);
    const failing = (n: number, recovery = H) =>
      computeDora(
        {
          deployments,
          changes: [],
          // No causedBy: attached to the last deployment at or before the incident (DevLake).
          incidents: Array.from({ length: n }, (_, i) => ({
            id: `i${i}`,
            kind: "incident",
            createdAt: deployments[i * 2]!.at + 60_000,
            resolvedAt: deployments[i * 2]!.at + recovery,
          })),
        },
        april,
      );
    expect([1, 2, 3, 4].map((n) => failing(n).changeFailureRate.tier)).toEqual([
      "elite",
      "high",
      "medium",
      "low",
    ]);
    expect(failing(3).changeFailureRate.rate).toBeCloseTo(0.15, 12);
    expect(
      [H - 1, H, DAY_MS - 1, DAY_MS].map((r) => failing(1, r).failedDeploymentRecoveryTime.tier),
    ).toEqual(["elite", "high", "high", "medium"]);
    expect(() =>
      computeDora(
        {
          deployments,
          changes: [{ id: "x", firstCommitAt: 0, deploymentId: "nope" }],
          incidents: [],
        },
        april,
      ),
    ).toThrow(/change x names unknown deployment "nope"/);
  });
});
