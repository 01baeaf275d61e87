import { SECURITY_ACTIONS, type EventInput, type EventType } from "../src/index.js";

/** The `data` a producer passes for one event type (distributes like `EventOf`). */
type InputData<TType extends EventType> = EventInput extends infer TInput
  ? TInput extends { type: infer TInputType; data: infer TData }
    ? TType extends TInputType
      ? TData
      : never
    : never
  : never;

const hash = "0123456789abcdef0123456789abcdef01234567";
const item = { provider: "github", externalId: "42", url: "https://github.com/o/r/pull/42" };
const run = { runId: "r1", tool: "vitest", kind: "test" } as const;
const notification = { channel: "slack", title: "Build failed", attempts: 1 };

type SecurityType = `security.${(typeof SECURITY_ACTIONS)[number]}`;

const securityData: InputData<SecurityType> = { userId: "u1", ip: "127.0.0.1" };
const securityExamples = Object.fromEntries(
  SECURITY_ACTIONS.map((action) => [`security.${action}`, securityData]),
) as { [TType in SecurityType]: InputData<TType> };

/**
 * One valid `data` per event type. The mapped type makes tsc fail when a type is added to the
 * catalog without an example here, and checks every example against its type's schema input.
 */
export const DATA_EXAMPLES: { [TType in EventType]: InputData<TType> } = {
  "file.created": { path: "src/a.ts", language: "typescript", size: 120 },
  "file.changed": { path: "src/a.ts", linesAdded: 3, linesRemoved: 1 },
  "file.deleted": { path: "src/old.ts" },
  "file.renamed": { path: "src/new.ts", oldPath: "src/old.ts" },
  "git.commit": {
    hash,
    parents: [],
    author: { name: "Ada", email: "ada@example.com" },
    authoredAt: 1_700_000_000_000,
    isMerge: false,
    filesChanged: 2,
    insertions: 10,
    deletions: 3,
  },
  "git.branch_created": { branch: "feature/x", hash },
  "git.branch_deleted": { branch: "feature/x" },
  "git.branch_switched": { from: "main", to: "feature/x" },
  "git.merge": { hash, parents: [hash, "abcdef1"], into: "main", from: "feature/x" },
  "git.tag": { tag: "v1.0.0", hash },
  "git.rebase": { branch: "feature/x", onto: hash, commits: 3 },
  "git.stash": { action: "push", count: 1 },
  "git.push": { remote: "origin", branch: "main", to: hash },
  "git.history_imported": { commits: 120, skipped: 3, files: 410, total: 123, durationMs: 850 },
  "ai.session_started": { tool: "claude-code", sessionId: "s1", model: "claude" },
  "ai.session_ended": { tool: "claude-code", sessionId: "s1", durationMs: 60_000 },
  "ai.prompt": { tool: "claude-code", sessionId: "s1", chars: 42 },
  "ai.usage": {
    tool: "claude-code",
    sessionId: "s1",
    model: "claude",
    inputTokens: 10,
    outputTokens: 20,
  },
  "ai.tool_use": { tool: "claude-code", sessionId: "s1", name: "Edit", path: "src/a.ts" },
  "ai.edit": {
    tool: "claude-code",
    sessionId: "s1",
    path: "src/a.ts",
    linesAdded: 4,
    linesRemoved: 0,
  },
  "ai.commit_attributed": { hash, tool: "claude-code", method: "trailer", share: 0.5 },
  "build.started": { ...run, kind: "build", tool: "tsc" },
  "build.finished": {
    ...run,
    kind: "build",
    tool: "tsc",
    exitCode: 0,
    success: true,
    durationMs: 1200,
  },
  "test.run_finished": {
    tool: "vitest",
    origin: "junit",
    passed: 10,
    failed: 0,
    coverage: { lines: 80 },
  },
  "system.sample": {
    cpuPercent: 12.5,
    memoryPercent: 40,
    memoryUsedBytes: 4e9,
    memoryTotalBytes: 1.6e10,
    load1: 0.5,
    load5: 0.4,
    load15: 0.3,
    processRssBytes: 1e8,
    eventLoopLagMs: 2,
  },
  "system.alert": { metric: "cpu", value: 95, threshold: 90, sustainedMs: 60_000, state: "raised" },
  "activity.heartbeat": { category: "coding", language: "typescript", entity: "src/a.ts" },
  "activity.afk": { idleMs: 300_000 },
  "activity.active": { afterIdleMs: 300_000 },
  "stage.transition": {
    from: null,
    to: "implementation",
    confidence: 0.8,
    evidence: ["file.changed"],
  },
  "bottleneck.detected": { kind: "slow_build", subject: "tsc", value: 120, threshold: 60 },
  "bottleneck.resolved": { kind: "slow_build", subject: "tsc" },
  "integration.pr_opened": item,
  "integration.pr_merged": { ...item, mergedAt: 1_700_000_000_000 },
  "integration.pr_closed": item,
  "integration.review_submitted": { ...item, state: "approved" },
  "integration.deployment": { ...item, environment: "production", status: "success" },
  "integration.incident": { ...item, state: "opened" },
  "integration.issue_transition": { ...item, from: "todo", to: "in_progress" },
  "integration.pipeline": { ...item, status: "running" },
  "integration.design_updated": { ...item, provider: "figma" },
  "integration.doc_updated": { ...item, provider: "notion" },
  "notification.sent": notification,
  "notification.failed": { ...notification, attempts: 3, error: "HTTP 500" },
  ...securityExamples,
};

/** A complete, valid event input of `type` (only the required envelope fields). */
export function exampleEvent<TType extends EventType>(type: TType): EventInput {
  return { type, source: "test", data: DATA_EXAMPLES[type] } as EventInput;
}
