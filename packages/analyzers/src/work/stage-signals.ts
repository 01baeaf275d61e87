/**
 * @module stage-signals
 * Turns one event into stage evidence by evaluating {@link STAGE_RULES} and
 * {@link SUB_STAGE_RULES}: which stages and sub-stages it supports, how strongly, and by which
 * rules.
 */
import type { Stage, SubStage } from "./categories.js";
import { describePath, type PathFacts } from "./paths.js";
import type { StageCondition, StageRule } from "./stage-rule-model.js";
import { STAGE_RULES } from "./stage-rules.js";
import { SUB_STAGE_RULES } from "./sub-stage-rules.js";

/** The event fields the stage analyzer reads (a stored `DevflowEvent` fits). */
export interface StageEvent {
  id: string;
  type: string;
  timestamp: number;
  data: unknown;
}

/** The evidence one event gives for one stage or sub-stage. */
export interface SignalHit<TKey extends string> {
  key: TKey;
  weight: number;
  /** The rules that matched, strongest first. */
  rules: string[];
}

/** What one event says about the stage. */
export interface StageSignal {
  eventId: string;
  type: string;
  timestamp: number;
  /** What the event is about: a path (with `(+n)` for commits), a tag, a title. */
  subject: string;
  stages: Array<SignalHit<Stage>>;
  subStages: Array<SignalHit<SubStage>>;
}

interface Subject {
  text: string;
  facts?: PathFacts;
}

/** Commits spread their evidence over their files and count half, as the files were seen live. */
const COMMIT_FACTOR = 0.5;
const E2E_TOOLS = /playwright|cypress|e2e|selenium|webdriver|puppeteer|detox/i;

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

function subjectsOf(event: StageEvent, files: readonly string[] | undefined): Subject[] {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const path = (p: string): Subject => ({ text: p.replaceAll("\\", "/"), facts: describePath(p) });
  if (event.type.startsWith("file.") || event.type === "ai.edit") {
    const p = str(d.path);
    return p ? [path(p)] : [];
  }
  switch (event.type) {
    case "ai.tool_use": {
      const p = str(d.path);
      return [p ? path(p) : { text: str(d.name) ?? "" }];
    }
    case "git.commit":
      return (files ?? []).map(path);
    case "git.tag":
      return [{ text: str(d.tag) ?? "" }];
    case "build.finished":
    case "build.started":
    case "test.run_finished":
      return [{ text: [str(d.tool), str(d.command)].filter(Boolean).join(" ") }];
    default:
      if (event.type.startsWith("integration.")) {
        return [{ text: str(d.title) ?? str(d.externalId) ?? "" }];
      }
      return [{ text: "" }];
  }
}

/** An edit that removes about as much as it adds (each at least 5 lines, within a factor of 2). */
function balancedChurn(event: StageEvent): boolean {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const added = typeof d.linesAdded === "number" ? d.linesAdded : 0;
  const removed = typeof d.linesRemoved === "number" ? d.linesRemoved : 0;
  return added >= 5 && removed >= 5 && added <= 2 * removed && removed <= 2 * added;
}

function isCode(f: PathFacts | undefined): boolean {
  return f !== undefined && (f.role === "source" || f.role === "schema");
}

function holds(condition: StageCondition, subject: Subject, event: StageEvent): boolean {
  const f = subject.facts;
  const d = (event.data ?? {}) as Record<string, unknown>;
  switch (condition) {
    case "test":
      return f?.role === "test";
    case "unit-test":
      return f?.role === "test" && f.testKind === "unit";
    case "integration-test":
      return f?.role === "test" && f.testKind === "integration";
    case "e2e-test":
      return f?.role === "test" && f.testKind === "e2e";
    case "code":
      return isCode(f);
    case "not-code":
      return f !== undefined && !isCode(f) && f.role !== "test";
    case "frontend-code":
      return f?.role === "source" && f.area === "frontend";
    case "backend-code":
      return f?.role === "source" && f.area === "backend";
    case "shared-code":
      return f?.role === "source" && f.area === "shared";
    case "new-code":
      return isCode(f) && event.type === "file.created";
    case "changed-code":
      return isCode(f) && event.type !== "file.created";
    case "moved-code":
      return isCode(f) && (event.type === "file.renamed" || event.type === "file.deleted");
    case "balanced-churn":
      return isCode(f) && balancedChurn(event);
    case "tag-created":
      return d.action !== "deleted";
    case "test-run":
      return event.type === "test.run_finished" || d.kind === "test";
    case "e2e-run":
      return (
        (event.type === "test.run_finished" || d.kind === "test") && E2E_TOOLS.test(subject.text)
      );
    case "build-run":
      return event.type === "build.finished" && d.kind === "build";
  }
}

function applies(rule: StageRule, type: string): boolean {
  return rule.on.some(
    (on) => on === type || (on.endsWith(".*") && type.startsWith(on.slice(0, -1))),
  );
}

/** Per subject: the strongest matching rule per key, then averaged over subjects. */
function evaluate<TKey extends string>(
  rules: readonly StageRule[],
  keyOf: (rule: StageRule) => TKey | null | undefined,
  event: StageEvent,
  on: { readonly subjects: readonly Subject[]; readonly factor: number },
): Array<SignalHit<TKey>> {
  const { subjects, factor } = on;
  const totals = new Map<TKey, { weight: number; rules: Map<string, number> }>();
  for (const subject of subjects) {
    const best = new Map<TKey, StageRule>();
    for (const rule of rules) {
      const key = keyOf(rule);
      if (!key || !applies(rule, event.type)) continue;
      if (rule.pattern && !rule.pattern.test(subject.text)) continue;
      if (rule.condition && !holds(rule.condition, subject, event)) continue;
      const current = best.get(key);
      if (!current || rule.weight > current.weight) best.set(key, rule);
    }
    for (const [key, rule] of best) {
      const entry = totals.get(key) ?? { weight: 0, rules: new Map<string, number>() };
      entry.weight += rule.weight;
      entry.rules.set(rule.id, Math.max(entry.rules.get(rule.id) ?? 0, rule.weight));
      totals.set(key, entry);
    }
  }
  const n = Math.max(1, subjects.length);
  return [...totals.entries()]
    .map(([key, e]) => ({
      key,
      weight: Math.round((e.weight / n) * factor * 1000) / 1000,
      rules: [...e.rules.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id),
    }))
    .filter((hit) => hit.weight > 0)
    .sort((a, b) => b.weight - a.weight);
}

/** Sub-stage evidence: the sub-stage rules plus stage rules that also name a sub-stage. */
const SUB_RULES: readonly StageRule[] = [
  ...SUB_STAGE_RULES,
  ...STAGE_RULES.filter((r) => r.subStage),
];

const cache = new Map<string, Pick<StageSignal, "stages" | "subStages">>();
const CACHE_LIMIT = 100_000;

/**
 * The stage evidence of one event: every stage and sub-stage some rule supports, with the
 * strongest matching rule's weight (averaged over a commit's files, halved for commits), or
 * `null` when no rule matches. `files` are the paths of a `git.commit` (commit events carry
 * totals only).
 */
export function stageSignalOf(event: StageEvent, files?: readonly string[]): StageSignal | null {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const cacheable = event.type.startsWith("file.") && typeof d.path === "string";
  const key = cacheable
    ? `${event.type}\0${d.path as string}\0${balancedChurn(event) ? 1 : 0}`
    : undefined;
  const cached = key === undefined ? undefined : cache.get(key);
  if (cached) {
    if (cached.stages.length === 0 && cached.subStages.length === 0) return null;
    return {
      eventId: event.id,
      type: event.type,
      timestamp: event.timestamp,
      subject: (d.path as string).replaceAll("\\", "/"),
      ...cached,
    };
  }
  const subjects = subjectsOf(event, files);
  if (subjects.length === 0) return null;
  const factor = event.type === "git.commit" ? COMMIT_FACTOR : 1;
  const hits = {
    stages: evaluate(STAGE_RULES, (r) => r.stage, event, { subjects, factor }),
    subStages: evaluate(SUB_RULES, (r) => r.subStage, event, { subjects, factor }),
  };
  if (key !== undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, hits);
  }
  if (hits.stages.length === 0 && hits.subStages.length === 0) return null;
  const first = subjects[0]?.text ?? "";
  return {
    eventId: event.id,
    type: event.type,
    timestamp: event.timestamp,
    subject: subjects.length > 1 ? `${first} (+${subjects.length - 1})` : first,
    stages: hits.stages,
    subStages: hits.subStages,
  };
}
