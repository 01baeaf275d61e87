/**
 * @module categories
 * The vocabularies of the analyses of the work: activity categories, the design's 13 stages and
 * 11 coding sub-stages, and how conventional-commit types map onto activity categories.
 */

/** Activity categories every commit and file event is classified into. */
export const ACTIVITY_CATEGORIES = [
  "feature",
  "fix",
  "test",
  "docs",
  "refactor",
  "build/ci",
  "release",
  "design",
  "planning",
  "config",
] as const;
/** One activity category. */
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

/** The 13 development stages, in lifecycle order (planning 1–6, implementation 7–10, delivery 11–13). */
export const STAGES = [
  "prd",
  "planning",
  "erd",
  "wireframe",
  "screen_design",
  "design",
  "frontend",
  "backend",
  "ai_collab",
  "coding",
  "git",
  "deployment",
  "operation",
] as const;
/** One development stage. */
export type Stage = (typeof STAGES)[number];

/** The 11 coding sub-stages, tracked while the stage is one of {@link IMPLEMENTATION_STAGES}. */
export const SUB_STAGES = [
  "use_case",
  "event_storming",
  "domain_modeling",
  "use_case_detail",
  "ai_prompt_design",
  "initial_impl",
  "business_logic",
  "refactoring",
  "unit_test",
  "integration_test",
  "e2e_test",
] as const;
/** One coding sub-stage. */
export type SubStage = (typeof SUB_STAGES)[number];

/** The stages during which coding sub-stages are tracked. */
export const IMPLEMENTATION_STAGES: readonly Stage[] = [
  "frontend",
  "backend",
  "ai_collab",
  "coding",
];

/** The lifecycle group of each stage. */
export const STAGE_GROUPS: Readonly<Record<Stage, "planning" | "implementation" | "delivery">> = {
  prd: "planning",
  planning: "planning",
  erd: "planning",
  wireframe: "planning",
  screen_design: "planning",
  design: "planning",
  frontend: "implementation",
  backend: "implementation",
  ai_collab: "implementation",
  coding: "implementation",
  git: "delivery",
  deployment: "delivery",
  operation: "delivery",
};

/**
 * Conventional-commit types and the activity category they name. `chore` is configuration
 * unless its scope says otherwise (see {@link categoryOfConventional}); `revert` and `wip`
 * name no category.
 */
export const CONVENTIONAL_CATEGORIES: Readonly<Record<string, ActivityCategory>> = {
  feat: "feature",
  feature: "feature",
  fix: "fix",
  bugfix: "fix",
  hotfix: "fix",
  test: "test",
  tests: "test",
  docs: "docs",
  doc: "docs",
  refactor: "refactor",
  style: "refactor",
  perf: "refactor",
  build: "build/ci",
  ci: "build/ci",
  deps: "build/ci",
  release: "release",
  design: "design",
  ui: "design",
  ux: "design",
  plan: "planning",
  planning: "planning",
  chore: "config",
  config: "config",
};

/** `chore(<scope>)` scopes that name another category than configuration. */
const CHORE_SCOPES: Readonly<Record<string, ActivityCategory>> = {
  release: "release",
  version: "release",
  deps: "build/ci",
  "deps-dev": "build/ci",
  ci: "build/ci",
  build: "build/ci",
  docker: "build/ci",
  docs: "docs",
};

const SUBJECT = /^([A-Za-z][A-Za-z0-9_-]{0,63})(?:\(([^()\r\n]*)\))?!?:[ \t]+\S/;

/** A commit subject's conventional type and scope, or `undefined` when it is not conventional. */
export function parseConventionalSubject(
  message: string,
): { type: string; scope?: string } | undefined {
  const match = SUBJECT.exec(message.split("\n", 1)[0] ?? "");
  if (!match) return undefined;
  const scope = match[2]?.trim().toLowerCase();
  return { type: match[1]!.toLowerCase(), ...(scope ? { scope } : {}) };
}

/**
 * The activity category a conventional-commit type (and scope) names, or `undefined` for types
 * that name none (`revert`, `wip`, unknown types).
 *
 * @example categoryOfConventional("chore", "release") // "release"
 */
export function categoryOfConventional(
  type: string | null | undefined,
  scope?: string,
): ActivityCategory | undefined {
  if (!type) return undefined;
  const t = type.toLowerCase();
  if (t === "chore" && scope !== undefined) {
    const byScope = CHORE_SCOPES[scope.toLowerCase()];
    if (byScope) return byScope;
  }
  return Object.hasOwn(CONVENTIONAL_CATEGORIES, t) ? CONVENTIONAL_CATEGORIES[t] : undefined;
}

/** True when `value` is an {@link ActivityCategory}. */
export function isActivityCategory(value: unknown): value is ActivityCategory {
  return (ACTIVITY_CATEGORIES as readonly unknown[]).includes(value);
}

/** True when `value` is a {@link Stage}. */
export function isStage(value: unknown): value is Stage {
  return (STAGES as readonly unknown[]).includes(value);
}
