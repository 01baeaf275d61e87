/**
 * Methodology scores: TDD from the order of test and implementation changes (file events, then
 * commits), and DDD, BDD and EDA from their building blocks, with evidence; and the report over
 * a real database.
 */
import { describe, expect, it } from "vitest";
import { analyzeMethodology, type MethodologyScore, methodologyReport } from "../../src/index.js";
import { DAY, ev, HOUR, store, T0, workStorage } from "@devflow/test-utils/work";

const M = 60_000;
const byName = (scores: MethodologyScore[]) =>
  Object.fromEntries(scores.map((s) => [s.methodology, s]));
const change = (path: string, minutes: number, type = "file.changed") => ({
  type,
  path,
  timestamp: T0 + minutes * M,
});

describe("TDD", () => {
  it("credits a test changed before its implementation fully, with it by half", () => {
    const tdd = byName(
      analyzeMethodology({
        fileEvents: [
          // cart: test first (5 min before).
          change("test/cart.test.ts", 0, "file.created"),
          change("src/cart.ts", 5, "file.created"),
          change("src/cart.ts", 12),
          // price: test with the code (3 min after its last change).
          change("src/price.ts", 100),
          change("src/price.test.ts", 103),
          // tax: test changed 2 hours later, outside both windows.
          change("src/tax.ts", 200),
          change("src/tax.test.ts", 320),
          // util: no test at all.
          change("src/util.ts", 400),
        ],
        commits: [],
      }),
    ).tdd!;
    // Four episodes (cart, price, tax, util): one test first, one with, one after, one untested.
    expect(tdd.facts).toMatchObject({
      episodes: 4,
      testFirst: 1,
      together: 1,
      testAfter: 1,
      untested: 1,
      fromFileEvents: 1,
    });
    expect(tdd.score).toBe(Math.round((100 * (1 + 0.5)) / 4));
    expect(tdd.level).toBe("low");
    expect(tdd.evidence).toContain("test first: test/cart.test.ts 5 min before src/cart.ts");
    expect(tdd.evidence).toContain("test with code: src/price.test.ts with src/price.ts");
  });

  it("splits a file's changes into episodes by idle gaps", () => {
    const tdd = byName(
      analyzeMethodology({
        fileEvents: [
          change("src/a.test.ts", 0),
          change("src/a.ts", 10),
          change("src/a.ts", 30),
          change("src/a.ts", 200),
        ],
        commits: [],
      }),
    ).tdd!;
    // 10 and 30 are one episode (gap 20 min), 200 another; the test preceded only the first.
    expect(tdd.facts).toMatchObject({ episodes: 2, testFirst: 1, testAfter: 1 });
    expect(tdd.score).toBe(50);
  });

  it("falls back to commits when there are no file events", () => {
    const commit = (hash: string, hours: number, paths: string[]) => ({
      hash: hash.repeat(8),
      authoredAt: T0 + hours * HOUR,
      files: paths.map((path) => ({ path })),
    });
    const tdd = byName(
      analyzeMethodology({
        fileEvents: [],
        commits: [
          commit("a", 0, ["tests/test_cart.py"]),
          commit("b", 2, ["app/cart.py"]),
          commit("c", 3, ["app/price.py", "tests/test_price.py"]),
          commit("d", 4, ["app/tax.py"]),
        ],
      }),
    ).tdd!;
    expect(tdd.facts).toMatchObject({
      episodes: 3,
      testFirst: 1,
      together: 1,
      untested: 1,
      fromFileEvents: 0,
    });
    expect(tdd.score).toBe(50);
  });
});

describe("DDD, BDD and EDA", () => {
  it("scores building blocks by share and variety, with evidence", () => {
    const paths = [
      "src/ordering/domain/entities/order.entity.ts",
      "src/ordering/domain/value-objects/money.ts",
      "src/ordering/domain/aggregates/order.aggregate.ts",
      "src/ordering/domain/order.repository.ts",
      "src/ordering/domain/events/order-placed.event.ts",
      "src/ordering/application/place-order.ts",
      "src/shared/logger.ts",
      "features/checkout.feature",
      "features/steps/checkout.steps.ts",
      "src/messaging/consumers/payment.consumer.ts",
      "src/messaging/kafka.ts",
    ];
    const scores = byName(
      analyzeMethodology({ fileEvents: paths.map((p, i) => change(p, i)), commits: [] }),
    );
    expect(scores.ddd!.score).toBe(100);
    expect(scores.ddd!.level).toBe("high");
    expect(scores.ddd!.evidence).toContain(
      "value_object: src/ordering/domain/value-objects/money.ts",
    );
    expect(scores.bdd!.facts).toMatchObject({ blocks: 2 });
    // 2 of 11 code files (18 %) → 0.5 × 0.18/0.3; 2 of 3 blocks → 0.5 × 2/3.
    expect(scores.bdd!.score).toBe(Math.round(100 * (0.5 * (2 / 11 / 0.3) + 0.5 * (2 / 3))));
    expect(scores.eda!.facts.blocks).toBeGreaterThanOrEqual(3);
    expect(scores.eda!.score).toBeGreaterThan(50);
  });

  it("scores zero with no code changes and says why", () => {
    const scores = byName(
      analyzeMethodology({ fileEvents: [change("README.md", 0)], commits: [] }),
    );
    for (const s of Object.values(scores)) expect(s.score).toBe(0);
    expect(scores.ddd!.summary).toBe("no DDD building blocks among 0 changed code files");
    expect(scores.tdd!.summary).toBe("no implementation changes to order against tests");
  });
});

describe("methodologyReport", () => {
  it("reads a period's file events and commits from storage", () => {
    const { storage, project } = workStorage();
    const p = { projectId: project.id };
    store(storage, [
      ev("file.created", T0, { path: "src/cart.test.ts" }, p),
      ev("file.created", T0 + 5 * M, { path: "src/cart.ts" }, p),
      ev("file.created", T0 + 2 * DAY, { path: "src/tax.ts" }, p),
      ev("file.changed", T0 - DAY, { path: "src/old.ts" }, p),
    ]);
    storage.commits.insertMany([
      {
        projectId: project.id,
        hash: "a".repeat(40),
        authorName: "A",
        authorEmail: "a@x",
        authoredAt: T0 + HOUR,
        files: [{ path: "src/cart.ts", insertions: 10, deletions: 0 }],
      },
    ]);
    const report = methodologyReport(storage, project.id, { from: T0, to: T0 + 7 * DAY });
    expect(report).toMatchObject({ fileEvents: 3, commits: 1 });
    const tdd = report.scores.find((s) => s.methodology === "tdd")!;
    expect(tdd.facts).toMatchObject({ episodes: 2, testFirst: 1, untested: 1 });
    // Every file event and commit also gets an activity category.
    expect(report.activity.test).toEqual({ fileEvents: 1, commits: 0 });
    expect(report.activity.feature).toEqual({ fileEvents: 2, commits: 1 });
    expect(Object.values(report.activity).reduce((n, a) => n + a.fileEvents, 0)).toBe(3);
  });
});
