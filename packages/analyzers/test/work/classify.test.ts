/**
 * Activity classification from paths and line counts: file roles, commit rules, file events,
 * conventional types, and that the message never changes a prediction.
 */
import { describe, expect, it } from "vitest";
import {
  categoryOfConventional,
  classifyCommitFiles,
  classifyCommits,
  classifyFileChange,
  describePath,
  evaluateClassification,
  parseConventionalSubject,
  PATH_ROLE_RULES,
} from "../../src/index.js";

const f = (path: string, insertions: number | null, deletions: number | null) => ({
  path,
  insertions,
  deletions,
});

describe("describePath", () => {
  it.each([
    ["CHANGELOG.md", "release"],
    ["packages/core/CHANGELOG.md", "release"],
    [".github/workflows/ci.yml", "ci"],
    [".gitlab-ci.yml", "ci"],
    ["pnpm-lock.yaml", "lockfile"],
    ["go.sum", "lockfile"],
    ["package.json", "manifest"],
    ["requirements-dev.txt", "manifest"],
    ["Dockerfile", "build"],
    ["deploy/helm/values.yaml", "build"],
    ["vite.config.ts", "build"],
    ["src/components/Button.test.tsx", "test"],
    ["tests/test_user.py", "test"],
    ["internal/core/store_test.go", "test"],
    ["src/test/java/com/acme/UserServiceTest.java", "test"],
    ["features/checkout.feature", "test"],
    ["ROADMAP.md", "planning"],
    ["docs/adr/0001-use-sqlite.md", "planning"],
    ["docs/PRD.md", "planning"],
    ["design/app.fig", "design"],
    ["docs/diagrams/login.puml", "design"],
    ["README.md", "docs"],
    ["docs/usage.rst", "docs"],
    ["db/migrations/001_init.sql", "schema"],
    ["prisma/schema.prisma", "schema"],
    [".eslintrc.json", "config"],
    ["tsconfig.json", "config"],
    [".golangci.yml", "config"],
    ["config/settings.yaml", "config"],
    ["monitoring/prometheus.yml", "config"],
    ["prometheus.yml", "config"],
    ["src/api/users.ts", "source"],
    ["app/services/billing.py", "source"],
    ["public/logo.png", "asset"],
    ["src/i18n/en.json", "data"],
  ])("%s is %s", (path, role) => {
    expect(describePath(path).role).toBe(role);
  });

  it("finds test kinds, areas and the stem shared by code and test", () => {
    expect(describePath("e2e/login.spec.ts")).toMatchObject({ testKind: "e2e" });
    expect(describePath("test/integration/api.test.ts")).toMatchObject({ testKind: "integration" });
    expect(describePath("src/lib/math.test.ts")).toMatchObject({
      testKind: "unit",
      area: "shared",
    });
    expect(describePath("src/components/Button.tsx").area).toBe("frontend");
    expect(describePath("src/api/users.ts").area).toBe("backend");
    for (const [code, test] of [
      ["src/UserService.ts", "test/user-service.test.ts"],
      ["app/user_service.py", "tests/test_user_service.py"],
      ["pkg/user_service.go", "pkg/user_service_test.go"],
      ["src/main/java/UserService.java", "src/test/java/UserServiceTest.java"],
    ] as const) {
      expect(describePath(code).stem).toBe(describePath(test).stem);
    }
    // Test markers are stripped only from test files.
    expect(describePath("src/Contest.java").stem).toBe("contest");
  });

  it("has a reason for every role rule", () => {
    for (const rule of PATH_ROLE_RULES) expect(rule.why.length).toBeGreaterThan(3);
  });
});

describe("classifyCommitFiles", () => {
  it.each([
    ["docs only", "docs", [f("README.md", 20, 3), f("docs/guide.md", 40, 0)]],
    ["tests only", "test", [f("src/a.test.ts", 40, 0)]],
    ["a workflow", "build/ci", [f(".github/workflows/ci.yml", 5, 2)]],
    ["a dependency bump", "build/ci", [f("package.json", 1, 1), f("pnpm-lock.yaml", 120, 80)]],
    ["a version bump", "release", [f("CHANGELOG.md", 14, 0), f("package.json", 1, 1)]],
    ["a design file", "design", [f("design/app.fig", null, null)]],
    ["a roadmap", "planning", [f("ROADMAP.md", 30, 4)]],
    ["lint settings", "config", [f(".eslintrc.json", 3, 1)]],
    [
      "a new module with its test",
      "feature",
      [f("src/cart.ts", 80, 0), f("src/cart.test.ts", 40, 0)],
    ],
    ["a two-line edit", "fix", [f("src/cart.ts", 2, 1)]],
    [
      "a move",
      "refactor",
      [f("src/old/cart.ts", 0, 80), f("src/new/cart.ts", 82, 0), f("src/index.ts", 1, 1)],
    ],
    ["a big removal", "refactor", [f("src/a.ts", 2, 120), f("src/b.ts", 0, 40)]],
    [
      "a test commit tweaking a line of code",
      "test",
      [f("src/a.test.ts", 60, 5), f("src/a.ts", 1, 1)],
    ],
  ])("%s → %s", (_name, category, files) => {
    const seen = new Set([
      "src/cart.ts",
      "src/a.ts",
      "src/b.ts",
      "src/a.test.ts",
      "src/old/cart.ts",
      "src/index.ts",
    ]);
    if (category === "feature") seen.delete("src/cart.ts");
    const result = classifyCommitFiles(files, seen);
    expect(result.category).toBe(category);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(0.95);
    expect(result.reasons.length).toBeGreaterThan(0);
  });

  it("says when there is no evidence (merges and empty commits)", () => {
    expect(classifyCommitFiles([])).toEqual({
      category: "feature",
      confidence: 0,
      reasons: ["no-files"],
    });
  });

  it("without history, a file that only gained lines is taken as new", () => {
    expect(classifyCommitFiles([f("src/cart.ts", 80, 0)]).category).toBe("feature");
    expect(classifyCommitFiles([f("src/cart.ts", 3, 2)]).category).toBe("fix");
  });
});

describe("classifyFileChange", () => {
  it("classifies file events by role and what happened", () => {
    expect(classifyFileChange({ type: "file.created", path: "src/a.ts" }).category).toBe("feature");
    expect(classifyFileChange({ type: "file.renamed", path: "src/b.ts" }).category).toBe(
      "refactor",
    );
    expect(classifyFileChange({ type: "file.deleted", path: "src/b.ts" }).category).toBe(
      "refactor",
    );
    expect(
      classifyFileChange({ type: "file.changed", path: "src/b.ts", linesAdded: 2, linesRemoved: 1 })
        .category,
    ).toBe("fix");
    expect(
      classifyFileChange({
        type: "file.changed",
        path: "src/b.ts",
        linesAdded: 1,
        linesRemoved: 30,
      }).category,
    ).toBe("refactor");
    expect(
      classifyFileChange({ type: "file.changed", path: "src/b.ts", linesAdded: 40 }).category,
    ).toBe("feature");
    expect(classifyFileChange({ type: "file.changed", path: "README.md" }).category).toBe("docs");
    expect(classifyFileChange({ type: "file.changed", path: "Dockerfile" }).category).toBe(
      "build/ci",
    );
    expect(classifyFileChange({ type: "file.created", path: "src/b.spec.ts" }).category).toBe(
      "test",
    );
  });
});

describe("conventional types", () => {
  it("parses subjects and maps types and chore scopes to categories", () => {
    expect(parseConventionalSubject("feat(api)!: drop v1\n\nbody")).toEqual({
      type: "feat",
      scope: "api",
    });
    expect(parseConventionalSubject("Merge branch 'x'")).toBeUndefined();
    expect(categoryOfConventional("feat")).toBe("feature");
    expect(categoryOfConventional("perf")).toBe("refactor");
    expect(categoryOfConventional("chore")).toBe("config");
    expect(categoryOfConventional("chore", "release")).toBe("release");
    expect(categoryOfConventional("chore", "deps")).toBe("build/ci");
    expect(categoryOfConventional("revert")).toBeUndefined();
    expect(categoryOfConventional(null)).toBeUndefined();
    expect(categoryOfConventional("constructor")).toBeUndefined();
  });
});

describe("classifyCommits", () => {
  const commits = [
    {
      hash: "a1",
      authoredAt: 1,
      isMerge: false,
      message: "feat: cart",
      files: [f("src/cart.ts", 80, 0)],
    },
    {
      hash: "a2",
      authoredAt: 2,
      isMerge: false,
      message: "fix: cart total",
      files: [f("src/cart.ts", 12, 0)],
    },
    {
      hash: "a3",
      authoredAt: 3,
      isMerge: false,
      message: "chore(release): 1.0.0",
      conventionalType: "chore",
      files: [f("CHANGELOG.md", 10, 0), f("package.json", 1, 1)],
    },
    {
      hash: "a4",
      authoredAt: 4,
      isMerge: false,
      message: "Update stuff",
      files: [f("src/cart.ts", 1, 1)],
    },
  ];

  it("knows files from earlier commits and never reads the message for the prediction", () => {
    const rows = classifyCommits(commits);
    // src/cart.ts was seen in a1, so 12 added lines in a2 are an edit, not a new file.
    expect(rows.map((r) => r.category)).toEqual(["feature", "fix", "release", "fix"]);
    expect(rows.map((r) => r.conventionalType)).toEqual(["feat", "fix", "chore", null]);
    expect(rows.map((r) => r.conventionalCategory)).toEqual(["feature", "fix", "release", null]);
    expect(rows.map((r) => r.agrees)).toEqual([true, true, true, null]);
    const lying = classifyCommits(
      commits.map((c) => ({ ...c, message: "docs: everything", conventionalType: "docs" })),
    );
    expect(lying.map((r) => [r.category, r.confidence, r.reasons])).toEqual(
      rows.map((r) => [r.category, r.confidence, r.reasons]),
    );
  });

  it("limits rows to a period but still learns from the history before it", () => {
    const rows = classifyCommits(commits, { from: 2, to: 3 });
    expect(rows.map((r) => r.hash)).toEqual(["a2"]);
    expect(rows[0]!.category).toBe("fix");
  });
});

describe("evaluateClassification", () => {
  it("computes accuracy, per-class precision and recall, and the confusion matrix", () => {
    const report = evaluateClassification([
      { label: "feature", predicted: "feature" },
      { label: "feature", predicted: "fix" },
      { label: "fix", predicted: "fix" },
      { label: "docs", predicted: "docs" },
      { label: null, predicted: "docs" },
    ]);
    expect(report.total).toBe(4);
    expect(report.accuracy).toBe(0.75);
    expect(report.perClass.feature).toMatchObject({
      support: 2,
      predicted: 1,
      precision: 1,
      recall: 0.5,
    });
    expect(report.perClass.fix).toMatchObject({
      support: 1,
      predicted: 2,
      precision: 0.5,
      recall: 1,
    });
    expect(report.perClass.test).toMatchObject({
      support: 0,
      predicted: 0,
      precision: null,
      recall: null,
    });
    expect(report.confusion.feature.fix).toBe(1);
    // F1: feature 2/3, fix 2/3, docs 1 → mean 0.7778.
    expect(report.macroF1).toBe(0.7778);
  });
});
