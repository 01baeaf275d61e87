/**
 * Project archetypes for the labelled-history generator: where real projects of a few common
 * shapes keep their code, tests, docs, CI, build files, manifests, changelogs, designs and plans.
 * Nothing here knows the classifier; the layouts follow widespread conventions.
 */

/** How a project lays out its files. */
export interface Archetype {
  name: string;
  /** Directories holding code modules, with the extension used there. */
  sourceDirs: Array<{ dir: string; ext: string }>;
  naming: "kebab" | "pascal" | "snake" | "lower";
  /** The test file of a source file, or `null` when tests do not mirror files. */
  testOf: (source: string) => string;
  /** Share of new modules written with a test. */
  testRatio: number;
  docs: string[];
  docsDir: string;
  ci: string[];
  build: string[];
  manifests: string[];
  lockfiles: string[];
  configs: string[];
  appConfigs: string[];
  changelogs: string[];
  /** A source file holding the version, bumped by some releases. */
  versionFile?: string;
  assetsDir: string;
  designDir: string;
  planning: string[];
  adrDir: string;
  migrationsDir?: { dir: string; ext: string };
  scriptsDir: string;
  /** Files many features touch (routers, registries, index files). */
  registries: string[];
  examplesDir?: string;
  fixturesDir: string;
  changesetDir?: string;
}

const words = [
  "user",
  "account",
  "order",
  "invoice",
  "payment",
  "cart",
  "search",
  "auth",
  "session",
  "profile",
  "report",
  "export",
  "import",
  "notification",
  "settings",
  "billing",
  "product",
  "catalog",
  "inventory",
  "shipping",
  "review",
  "comment",
  "upload",
  "audit",
  "metrics",
  "cache",
  "queue",
  "scheduler",
  "webhook",
  "token",
  "team",
  "project",
  "task",
  "calendar",
  "message",
  "channel",
  "feed",
  "tag",
  "label",
  "workflow",
  "pricing",
  "coupon",
  "refund",
];

/** A module name in the archetype's naming style. */
export function moduleName(style: Archetype["naming"], pick: (n: number) => number): string {
  const a = words[pick(words.length)]!;
  const b = pick(3) === 0 ? words[pick(words.length)]! : pick(2) === 0 ? "service" : "";
  const parts = b && b !== a ? [a, b] : [a];
  switch (style) {
    case "kebab":
      return parts.join("-");
    case "snake":
      return parts.join("_");
    case "lower":
      return parts.join("");
    case "pascal":
      return parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join("");
  }
}

const besideTest = (source: string): string => source.replace(/\.(\w+)$/, ".test.$1");

/** The archetypes: a TypeScript web app, a Python service, a Go CLI, a Java service, a TS monorepo. */
export const ARCHETYPES: readonly Archetype[] = [
  {
    name: "webapp-ts",
    sourceDirs: [
      { dir: "src/components", ext: "tsx" },
      { dir: "src/pages", ext: "tsx" },
      { dir: "src/api", ext: "ts" },
      { dir: "src/lib", ext: "ts" },
      { dir: "src/hooks", ext: "ts" },
      { dir: "src/styles", ext: "css" },
    ],
    naming: "kebab",
    testOf: besideTest,
    testRatio: 0.55,
    docs: ["README.md", "docs/getting-started.md", "docs/api.md", "docs/deployment.md"],
    docsDir: "docs",
    ci: [".github/workflows/ci.yml", ".github/workflows/release.yml"],
    build: ["Dockerfile", "vite.config.ts", "docker-compose.yml"],
    manifests: ["package.json"],
    lockfiles: ["pnpm-lock.yaml"],
    configs: [
      ".eslintrc.json",
      ".prettierrc",
      "tsconfig.json",
      ".gitignore",
      ".editorconfig",
      ".env.example",
    ],
    appConfigs: ["src/config/defaults.json"],
    changelogs: ["CHANGELOG.md"],
    assetsDir: "public/icons",
    designDir: "design",
    planning: ["ROADMAP.md", "docs/planning/q3.md", "docs/requirements.md"],
    adrDir: "docs/adr",
    scriptsDir: "scripts",
    registries: ["src/app.tsx", "src/routes.ts", "src/api/index.ts"],
    examplesDir: "examples",
    fixturesDir: "src/__fixtures__",
  },
  {
    name: "python-service",
    sourceDirs: [
      { dir: "app/services", ext: "py" },
      { dir: "app/models", ext: "py" },
      { dir: "app/api", ext: "py" },
      { dir: "app/utils", ext: "py" },
    ],
    naming: "snake",
    testOf: (s) => `tests/test_${s.slice(s.lastIndexOf("/") + 1)}`,
    testRatio: 0.5,
    docs: ["README.rst", "docs/index.rst", "docs/usage.rst"],
    docsDir: "docs",
    ci: [".github/workflows/tests.yml"],
    build: ["Dockerfile", "Makefile"],
    manifests: ["pyproject.toml", "requirements.txt"],
    lockfiles: ["poetry.lock"],
    configs: ["setup.cfg", ".flake8", ".gitignore", ".pre-commit-config.yaml"],
    appConfigs: ["config/settings.yaml", "config/logging.yaml"],
    changelogs: ["CHANGELOG.md"],
    versionFile: "app/__init__.py",
    assetsDir: "app/static/img",
    designDir: "design",
    planning: ["ROADMAP.md", "docs/proposals/index.md"],
    adrDir: "docs/adr",
    migrationsDir: { dir: "migrations/versions", ext: "py" },
    scriptsDir: "scripts",
    registries: ["app/main.py", "app/api/__init__.py"],
    fixturesDir: "tests/fixtures",
  },
  {
    name: "go-cli",
    sourceDirs: [
      { dir: "internal/core", ext: "go" },
      { dir: "internal/store", ext: "go" },
      { dir: "cmd/tool", ext: "go" },
      { dir: "pkg/client", ext: "go" },
    ],
    naming: "snake",
    testOf: (s) => s.replace(/\.go$/, "_test.go"),
    testRatio: 0.6,
    docs: ["README.md", "docs/commands.md", "docs/config.md"],
    docsDir: "docs",
    ci: [".github/workflows/go.yml", ".github/workflows/lint.yml"],
    build: ["Makefile", "Dockerfile"],
    manifests: ["go.mod"],
    lockfiles: ["go.sum"],
    configs: [".golangci.yml", ".gitignore", ".goreleaser.yml", ".editorconfig"],
    appConfigs: ["config/default.toml"],
    changelogs: ["CHANGELOG.md"],
    versionFile: "internal/version/version.go",
    assetsDir: "docs/img",
    designDir: "docs/design",
    planning: ["ROADMAP.md", "docs/plans/v2.md"],
    adrDir: "docs/decisions",
    scriptsDir: "scripts",
    registries: ["cmd/tool/main.go", "internal/core/registry.go"],
    fixturesDir: "testdata",
  },
  {
    name: "java-service",
    sourceDirs: [
      { dir: "src/main/java/com/acme/shop/service", ext: "java" },
      { dir: "src/main/java/com/acme/shop/web", ext: "java" },
      { dir: "src/main/java/com/acme/shop/model", ext: "java" },
      { dir: "src/main/java/com/acme/shop/repo", ext: "java" },
    ],
    naming: "pascal",
    testOf: (s) => s.replace("src/main/java", "src/test/java").replace(/\.java$/, "Test.java"),
    testRatio: 0.45,
    docs: ["README.md", "docs/architecture.md", "docs/runbook.md"],
    docsDir: "docs",
    ci: [".gitlab-ci.yml"],
    build: ["pom.xml", "Dockerfile"],
    manifests: [],
    lockfiles: [],
    configs: [".gitignore", ".editorconfig", "checkstyle.xml"],
    appConfigs: ["src/main/resources/application.yml", "src/main/resources/application-prod.yml"],
    changelogs: ["CHANGELOG.md"],
    assetsDir: "src/main/resources/static/img",
    designDir: "design",
    planning: ["docs/roadmap.md", "docs/requirements.md"],
    adrDir: "docs/adr",
    migrationsDir: { dir: "src/main/resources/db/migration", ext: "sql" },
    scriptsDir: "scripts",
    registries: ["src/main/java/com/acme/shop/Application.java"],
    fixturesDir: "src/test/resources",
  },
  {
    name: "monorepo-ts",
    sourceDirs: [
      { dir: "packages/core/src", ext: "ts" },
      { dir: "packages/cli/src", ext: "ts" },
      { dir: "packages/server/src", ext: "ts" },
      { dir: "packages/ui/src", ext: "tsx" },
    ],
    naming: "kebab",
    testOf: (s) => s.replace("/src/", "/test/").replace(/\.(\w+)$/, ".test.$1"),
    testRatio: 0.65,
    docs: ["README.md", "packages/core/README.md", "packages/cli/README.md", "docs/guide.md"],
    docsDir: "docs",
    ci: [".github/workflows/ci.yml", ".github/workflows/publish.yml"],
    build: ["turbo.json", "packages/core/tsup.config.ts", "packages/cli/tsup.config.ts"],
    manifests: [
      "package.json",
      "packages/core/package.json",
      "packages/cli/package.json",
      "packages/server/package.json",
    ],
    lockfiles: ["pnpm-lock.yaml"],
    configs: ["tsconfig.base.json", "eslint.config.js", ".prettierrc.json", ".gitignore", ".npmrc"],
    appConfigs: ["packages/server/config/default.json"],
    changelogs: [
      "packages/core/CHANGELOG.md",
      "packages/cli/CHANGELOG.md",
      "packages/server/CHANGELOG.md",
    ],
    assetsDir: "packages/ui/assets",
    designDir: "design",
    planning: ["ROADMAP.md", "docs/rfcs/0001-plugins.md"],
    adrDir: "docs/adr",
    scriptsDir: "scripts",
    registries: ["packages/core/src/index.ts", "packages/cli/src/commands.ts"],
    examplesDir: "examples",
    fixturesDir: "packages/core/test/fixtures",
    changesetDir: ".changeset",
  },
];
