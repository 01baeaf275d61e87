// A scripted repository for the AI attribution tests: an assistant session edits files (its
// Claude Code transcript is written too), the edits are committed with hand-written lines, some
// AI lines are reworked by hand, an AI-only commit is reverted, and an agent branch is left open.
// Usage: node ai-scripted-repo.mjs <dir>  → prints {"repo", "claude", "commits": {…}} as JSON.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The lines each step writes; the tests compute the expected figures from them. */
export const SCRIPT = {
  base: ["// utilities", "export const base = 0;", "export const name = 'x';"],
  aiA: ["export function add(a, b) {", "  return a + b;", "}", "export const AI_FLAG = true;"],
  humanA: ["// reviewed by Ada", "export const reviewed = 1;"],
  aiB: ["export class Stack {", "  items = [];", "  push(x) { this.items.push(x); }"],
  humanB: ["}"],
  reworkA: ["export function add(a, b, c = 0) {", "  return a + b + c;"],
  aiC: [
    "export const c1 = 1;",
    "export const c2 = 2;",
    "export const c3 = 3;",
    "export const c4 = 4;",
    "export const c5 = 5;",
  ],
  branch: ["export const experiment = true;"],
};

function git(cwd, date, ...args) {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "Ada Lovelace",
      GIT_AUTHOR_EMAIL: "ada@example.com",
      GIT_COMMITTER_NAME: "Ada Lovelace",
      GIT_COMMITTER_EMAIL: "ada@example.com",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  }).trim();
}

const file = (repo, path, lines) => writeFileSync(join(repo, path), lines.join("\n") + "\n");

function commit(repo, date, message) {
  git(repo, date, "add", "-A");
  git(repo, date, "-c", "commit.gpgsign=false", "commit", "-q", "-m", message);
  return git(repo, date, "rev-parse", "HEAD");
}

/** Builds the repository and the transcript under `dir`. */
export function buildScriptedRepo(dir) {
  const repo = join(dir, "repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  const S = SCRIPT;
  git(repo, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
  file(repo, "src/a.ts", S.base);
  const base = commit(repo, "2026-01-01T00:00:00Z", "chore: start");

  // Session 1 (2026-01-02 10:00): Edit a.ts (+4 lines), Write b.ts (3 lines).
  file(repo, "src/a.ts", [...S.base, ...S.aiA, ...S.humanA]);
  file(repo, "src/b.ts", [...S.aiB, ...S.humanB]);
  const c1 = commit(
    repo,
    "2026-01-02T10:30:00Z",
    "feat: add and stack\n\nCo-authored-by: Claude <noreply@anthropic.com>",
  );

  // By hand: the first two AI lines of a.ts reworked.
  file(repo, "src/a.ts", [...S.base, ...S.reworkA, ...S.aiA.slice(2), ...S.humanA]);
  const c2 = commit(repo, "2026-01-05T09:00:00Z", "refactor: three-way add");

  // Session 2 (2026-01-10 09:00): Write c.ts (5 lines), committed without any trailer.
  file(repo, "src/c.ts", S.aiC);
  const c3 = commit(repo, "2026-01-10T09:20:00Z", "feat: constants");
  git(repo, "2026-01-12T08:00:00Z", "-c", "commit.gpgsign=false", "revert", "--no-edit", c3);
  const c4 = git(repo, "2026-01-12T08:00:00Z", "rev-parse", "HEAD");

  // An agent branch left open.
  git(repo, "2026-01-13T08:00:00Z", "checkout", "-q", "-b", "codex/experiment");
  file(repo, "src/d.ts", S.branch);
  const c5 = commit(repo, "2026-01-13T08:00:00Z", "feat: experiment");
  git(repo, "2026-01-13T08:00:00Z", "checkout", "-q", "main");

  const claude = join(dir, "claude");
  const sessionDir = join(claude, "projects", "-repo");
  mkdirSync(sessionDir, { recursive: true });
  const env = (session, ts, extra) => ({
    parentUuid: null,
    isSidechain: false,
    cwd: repo,
    sessionId: session,
    version: "2.1.3",
    timestamp: ts,
    ...extra,
  });
  const patch = (start, lines) => [
    {
      oldStart: start,
      oldLines: 0,
      newStart: start,
      newLines: lines.length,
      lines: lines.map((l) => `+${l}`),
    },
  ];
  const lines = [
    env("s1", "2026-01-02T10:00:00.000Z", {
      type: "user",
      uuid: "u1",
      message: { role: "user", content: "add an add() and a Stack" },
    }),
    env("s1", "2026-01-02T10:00:10.000Z", {
      type: "assistant",
      uuid: "a1",
      requestId: "r1",
      message: {
        id: "m1",
        model: "claude-sonnet-4-5-20250929",
        content: [
          {
            type: "tool_use",
            id: "t1",
            name: "Edit",
            input: { file_path: join(repo, "src/a.ts") },
          },
        ],
        usage: { input_tokens: 10, output_tokens: 100, cache_read_input_tokens: 1000 },
      },
    }),
    env("s1", "2026-01-02T10:00:11.000Z", {
      type: "user",
      uuid: "u2",
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }],
      },
      toolUseResult: { filePath: join(repo, "src/a.ts"), structuredPatch: patch(4, S.aiA) },
    }),
    env("s1", "2026-01-02T10:00:20.000Z", {
      type: "assistant",
      uuid: "a2",
      requestId: "r2",
      message: {
        id: "m2",
        model: "claude-sonnet-4-5-20250929",
        content: [
          {
            type: "tool_use",
            id: "t2",
            name: "Write",
            input: { file_path: join(repo, "src/b.ts") },
          },
        ],
        usage: { input_tokens: 10, output_tokens: 80 },
      },
    }),
    env("s1", "2026-01-02T10:00:21.000Z", {
      type: "user",
      uuid: "u3",
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t2", content: "ok" }],
      },
      toolUseResult: {
        type: "create",
        filePath: join(repo, "src/b.ts"),
        content: S.aiB.join("\n") + "\n",
        structuredPatch: [],
      },
    }),
    env("s2", "2026-01-10T09:00:00.000Z", {
      type: "assistant",
      uuid: "a3",
      requestId: "r3",
      message: {
        id: "m3",
        model: "claude-sonnet-4-5-20250929",
        content: [
          {
            type: "tool_use",
            id: "t3",
            name: "Write",
            input: { file_path: join(repo, "src/c.ts") },
          },
        ],
        usage: { input_tokens: 10, output_tokens: 50 },
      },
    }),
    env("s2", "2026-01-10T09:00:01.000Z", {
      type: "user",
      uuid: "u4",
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t3", content: "ok" }],
      },
      toolUseResult: {
        type: "create",
        filePath: join(repo, "src/c.ts"),
        content: S.aiC.join("\n") + "\n",
        structuredPatch: [],
      },
    }),
  ];
  writeFileSync(
    join(sessionDir, "s1.jsonl"),
    lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
  );
  return { repo, claude, commits: { base, c1, c2, c3, c4, c5 } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: node ai-scripted-repo.mjs <dir>\n");
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(buildScriptedRepo(dir))}\n`);
}
