/**
 * @module paths
 * What a path says about the work, from its name alone (contents are never read): its role
 * (test, docs, CI, source, …), test kind, area (frontend, backend, …) and the stem that pairs an
 * implementation with its test. The roles come from {@link PATH_ROLE_RULES}, a table checked in
 * order, first match wins.
 */

/** What a file is for. */
export type PathRole =
  | "release"
  | "ci"
  | "build"
  | "manifest"
  | "lockfile"
  | "test"
  | "planning"
  | "design"
  | "docs"
  | "config"
  | "schema"
  | "source"
  | "asset"
  | "data"
  | "other";

/** One row of {@link PATH_ROLE_RULES}. */
export interface PathRoleRule {
  role: PathRole;
  /** Tested against the path with forward slashes. */
  pattern: RegExp;
  why: string;
}

const CODE_EXT =
  "ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte|astro|py|go|rs|java|kt|kts|scala|rb|php|cs|fs|swift|m|mm|c|cc|cpp|cxx|h|hpp|dart|ex|exs|erl|clj|cljs|hs|lua|r|jl|zig|sol|css|scss|sass|less|styl|html|htm|graphql|gql|proto|sh|bash|zsh|ps1";

/**
 * How a path's role is found: the first matching rule wins, so specific rules (a changelog, a
 * workflow, a test) come before general ones (Markdown is docs, code extensions are source).
 */
export const PATH_ROLE_RULES: readonly PathRoleRule[] = [
  {
    role: "release",
    pattern: /(^|\/)(CHANGELOG|CHANGES|HISTORY|RELEASE[-_]?NOTES|NEWS)(\.[a-z]+)?$/i,
    why: "changelog",
  },
  { role: "release", pattern: /(^|\/)(VERSION|version\.txt)$/i, why: "version file" },
  {
    role: "ci",
    pattern:
      /(^|\/)(\.github\/(workflows|actions)\/|\.circleci\/|\.buildkite\/|\.gitlab-ci\.ya?ml$|\.travis\.ya?ml$|Jenkinsfile$|azure-pipelines\.ya?ml$|bitbucket-pipelines\.ya?ml$|\.drone\.ya?ml$|appveyor\.ya?ml$|\.woodpecker)/,
    why: "CI pipeline",
  },
  {
    role: "lockfile",
    pattern:
      /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?|Cargo\.lock|go\.sum|poetry\.lock|Pipfile\.lock|uv\.lock|Gemfile\.lock|composer\.lock|mix\.lock|pubspec\.lock|gradle\.lockfile)$/,
    why: "dependency lockfile",
  },
  {
    role: "manifest",
    pattern:
      /(^|\/)(package\.json|Cargo\.toml|go\.mod|pyproject\.toml|setup\.py|setup\.cfg|requirements[^/]*\.txt|Pipfile|Gemfile|[^/]+\.gemspec|composer\.json|mix\.exs|pubspec\.yaml|[^/]+\.csproj|[^/]+\.fsproj)$/,
    why: "package manifest",
  },
  {
    role: "build",
    pattern:
      /(^|\/)((Docker|Container)file(\.[^/]+)?|[^/]*\.dockerfile|\.dockerignore|(docker-)?compose(\.[^/]+)?\.ya?ml|Makefile|GNUmakefile|[^/]+\.mk|CMakeLists\.txt|[^/]+\.cmake|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|gradlew(\.bat)?|pom\.xml|build\.xml|BUILD(\.bazel)?|WORKSPACE|Procfile|Taskfile\.ya?ml|justfile|turbo\.json|nx\.json|lerna\.json|(webpack|rollup|vite|tsup|esbuild|babel|metro|next|nuxt|svelte|astro|remix)\.config\.[cm]?[jt]s|\.babelrc)$|(^|\/)(helm|charts|k8s|kubernetes|deploy|deployment|terraform|infra|ansible)\/|\.tf$|\.tfvars$/,
    why: "build, container or deployment file",
  },
  {
    role: "test",
    pattern:
      /(^|\/)(test|tests|__tests__|__mocks__|__snapshots__|spec|specs|e2e|cypress|playwright|testdata|fixtures)\/|\.(test|spec|e2e|cy)\.[^/.]+$|(^|\/)test_[^/]+\.py$|_test\.(go|py|rb|exs?)$|[A-Za-z0-9](Test|Tests|Spec|IT)\.(java|kt|scala|cs|swift)$|\.snap$|\.feature$|(^|\/)(jest|vitest|playwright|cypress|karma)\.config\.[cm]?[jt]s$|(^|\/)(conftest\.py|pytest\.ini|tox\.ini|\.mocharc[^/]*)$/,
    why: "test, fixture or test configuration",
  },
  {
    role: "planning",
    pattern:
      /(^|\/)(ROADMAP|TODO|PLANNING|PLAN|MILESTONES?|BACKLOG)(\.[a-z]+)?$|(^|\/)(adr|adrs|decisions|rfcs?|proposals?|plans?|planning|roadmap|sprints?|backlog|specs?\/requirements)\/|(^|\/)[^/]*(prd|requirements?|user[-_ ]?stories|use[-_]?cases?)[^/]*\.(md|mdx|txt|docx?|pdf|rst|adoc)$/i,
    why: "plans, requirements, decisions",
  },
  {
    role: "design",
    pattern:
      /\.(fig|sketch|xd|psd|ai|indd|excalidraw|drawio|penpot|bmpr|wireframe|epgz)$|(^|\/)(design|designs|mockups?|wireframes?|prototypes?|ui-kit|design-system|storyboards?)\/|(^|\/)[^/]*(design-)?tokens\.json$|\.(puml|plantuml|mmd|mermaid)$/i,
    why: "design file or diagram",
  },
  {
    role: "docs",
    pattern:
      /\.(md|mdx|markdown|rst|adoc|asciidoc|txt|rtf|docx?|pdf|org)$|(^|\/)(docs?|documentation|man|wiki|site|website)\/|(^|\/)(README|LICENSE|LICENCE|COPYING|CONTRIBUTING|AUTHORS|CODEOWNERS|NOTICE|SECURITY|CODE_OF_CONDUCT)(\.[a-z]+)?$/i,
    why: "documentation",
  },
  {
    role: "schema",
    pattern:
      /\.(sql|ddl|prisma|dbml|erd|erdx|avsc)$|(^|\/)(migrations?|migrate|db\/schema)\/|(^|\/)schema\.(json|ya?ml|graphql|gql|rb|prisma|ts|js|py)$/i,
    why: "database schema or migration",
  },
  {
    role: "config",
    pattern:
      /(^|\/)(\.[^/]*rc(\.[a-z]+)?|\.editorconfig|\.gitignore|\.gitattributes|\.gitmodules|\.npmignore|\.prettierignore|\.eslintignore|\.env(\.[^/]+)?|\.nvmrc|\.node-version|\.python-version|\.tool-versions|tsconfig[^/]*\.json|jsconfig\.json|[^/]+\.config\.[cm]?[jt]s|eslint\.config\.[cm]?[jt]s|renovate\.json5?|\.github\/dependabot\.ya?ml|\.pre-commit-config\.yaml|[^/]+\.(ini|toml|cfg|conf|properties)|(app|settings|config|application)([-.][^/]+)?\.(json|ya?ml)|(checkstyle|pmd|spotbugs|detekt|rubocop|stylelint|phpcs|phpstan|codecov|sonar-project)[^/]*\.(xml|ya?ml|json|properties))$|(^|\/)\.[^/]+$|(^|\/)(\.vscode|\.idea|\.husky|\.devcontainer|config|configs|conf|settings)\/|(^|\/)(prometheus|alertmanager|grafana|otel|opentelemetry|datadog|newrelic|sentry|loki|fluent[^/]*)[^/]*\.(ya?ml|json|toml|conf)$/i,
    why: "configuration",
  },
  { role: "source", pattern: new RegExp(`\\.(${CODE_EXT})$`, "i"), why: "source code" },
  {
    role: "asset",
    pattern:
      /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|woff2?|ttf|otf|eot|mp3|mp4|wav|ogg|webm|mov)$/i,
    why: "image, font or media",
  },
  { role: "data", pattern: /\.(json|jsonc|json5|ya?ml|xml|csv|tsv|parquet|ndjson)$/i, why: "data" },
];

/** The kind of test a test path holds. */
export type TestKind = "unit" | "integration" | "e2e";

/** The part of the system a source path belongs to. */
export type PathArea = "frontend" | "backend" | "shared";

/** What {@link describePath} finds. */
export interface PathFacts {
  /** The path with forward slashes. */
  path: string;
  /** Last segment. */
  base: string;
  /** Lower-case extension without the dot (`""` when none). */
  ext: string;
  role: PathRole;
  /** Only for `test` paths. */
  testKind?: TestKind;
  /** Only for `source` and `test` paths. */
  area?: PathArea;
  /**
   * The name an implementation and its test share, lower-case without separators or test
   * markers: `src/UserService.ts` and `test/user-service.test.ts` both give `userservice`.
   */
  stem: string;
}

const FRONTEND_EXT = new Set([
  "tsx",
  "jsx",
  "vue",
  "svelte",
  "astro",
  "css",
  "scss",
  "sass",
  "less",
  "styl",
  "html",
  "htm",
]);
const BACKEND_EXT = new Set([
  "py",
  "go",
  "rs",
  "java",
  "kt",
  "scala",
  "rb",
  "php",
  "cs",
  "fs",
  "ex",
  "exs",
  "erl",
  "sql",
  "proto",
]);
const FRONTEND_DIR =
  /(^|\/)(components?|pages|views|screens|layouts|ui|web|webapp|frontend|client|public|styles|hooks|store|stores|widgets|app\/\(|islands)\//i;
const BACKEND_DIR =
  /(^|\/)(api|server|backend|controllers?|handlers?|routes?|routers?|services?|models?|resolvers?|middlewares?|endpoints?|repositories|repository|domain|workers?|jobs|cmd|internal|lambda|functions)\//i;
const E2E = /(^|\/)(e2e|cypress|playwright|acceptance)\/|\.(e2e|cy)\.[^/.]+$|\.feature$/i;
const INTEGRATION =
  /(^|\/)(integration|it|integration-tests?)\/|\.(int|integration|it)\.(test|spec)\.[^/.]+$|IT\.(java|kt)$/i;
const TEST_MARKERS =
  /(\.(test|spec|e2e|cy|int|integration|it))+$|^test_|_test$|(Test|Tests|Spec|IT)$/;

const cache = new Map<string, PathFacts>();
const CACHE_LIMIT = 50_000;

/** The stem pairing an implementation with its test (see {@link PathFacts.stem}). */
export function stemOf(base: string, isTest: boolean): string {
  const dot = base.lastIndexOf(".");
  let name = dot > 0 ? base.slice(0, dot) : base;
  if (isTest) name = name.replace(TEST_MARKERS, "");
  return name.replace(/[-_. ]/g, "").toLowerCase();
}

/**
 * The role, test kind, area and stem of a path (relative, either slash). Results are cached, so
 * classifying millions of events over a project's few thousand paths stays cheap.
 *
 * @example describePath("src/components/Button.test.tsx") // { role: "test", testKind: "unit", area: "frontend", stem: "button", … }
 */
export function describePath(rawPath: string): PathFacts {
  const hit = cache.get(rawPath);
  if (hit) return hit;
  const path = rawPath.replaceAll("\\", "/");
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  const role = PATH_ROLE_RULES.find((r) => r.pattern.test(path))?.role ?? "other";
  const facts: PathFacts = { path, base, ext, role, stem: stemOf(base, role === "test") };
  if (role === "test") {
    facts.testKind = E2E.test(path) ? "e2e" : INTEGRATION.test(path) ? "integration" : "unit";
  }
  if (role === "source" || role === "test") {
    if (FRONTEND_EXT.has(ext) || FRONTEND_DIR.test(path)) facts.area = "frontend";
    else if (BACKEND_EXT.has(ext) || BACKEND_DIR.test(path)) facts.area = "backend";
    else facts.area = "shared";
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(rawPath, facts);
  return facts;
}
