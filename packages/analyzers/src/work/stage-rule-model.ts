/**
 * @module stage-rule-model
 * The model of the stage rules (`stage-rules.ts`, `stage-rules-build.ts`, `sub-stage-rules.ts`):
 * a rule matches an event when the event type is in `on`, the `pattern` (if any) matches one of
 * the event's subjects (a path, a tag, a title), and the `condition` (if any) holds.
 */
import type { Stage, SubStage } from "./categories.js";

/**
 * Named conditions a rule may require, evaluated by `stage-signals.ts` on the subject's path
 * facts and the event data.
 */
export const STAGE_CONDITIONS = [
  "test",
  "unit-test",
  "integration-test",
  "e2e-test",
  "code",
  "not-code",
  "frontend-code",
  "backend-code",
  "shared-code",
  "new-code",
  "changed-code",
  "moved-code",
  "balanced-churn",
  "tag-created",
  "test-run",
  "e2e-run",
  "build-run",
] as const;
/** One named condition. */
export type StageCondition = (typeof STAGE_CONDITIONS)[number];

/** One rule of {@link STAGE_RULES}. */
export interface StageRule {
  /** `<stage or sub-stage>.<name>`, unique. */
  id: string;
  /** The stage this rule is evidence for; `null` for sub-stage-only rules. */
  stage: Stage | null;
  /** The coding sub-stage this rule is evidence for, if any. */
  subStage?: SubStage;
  /** Evidence per matching event (before decay); the strongest rule per stage counts once. */
  weight: number;
  /** Event types (`file.*` matches every file event). */
  on: readonly string[];
  /** Tested against the event's subjects: paths (forward slashes), tag names, titles. */
  pattern?: RegExp;
  condition?: StageCondition;
  /** Why the rule exists, for people reading evidence. */
  why: string;
}

/** Event types whose subjects are paths. */
export const FILE_EVENTS = ["file.*", "ai.edit", "ai.tool_use", "git.commit"] as const;
/** Document extensions. */
export const DOC = String.raw`\.(md|mdx|txt|rst|adoc|docx?|pdf|odt|pages|rtf)$`;
