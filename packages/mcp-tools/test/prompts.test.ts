/**
 * Regression (issue 12): the prompts call their tools with arguments the tools take. The
 * `daily_standup` commit section covers yesterday only (it passed `period`, which the commit
 * statistics do not take, and got all-time history); `weekly_review` gets every section.
 * A real repository with commits two days ago, yesterday (two) and today, a fixed clock.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { noopLogger } from "@devflow/events";
import { importGitHistory } from "@devflow/monitors";
import { openStorage, type Storage } from "@devflow/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevflowMcpServer, OPERATIONS, ProjectRoots } from "../src/index.js";

let base: string;
let storage: Storage;
let client: Client;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "devflow-prompts-"));
  const root = join(base, "repo");
  mkdirSync(root);
  const commit = (at: string, n: number) => {
    writeFileSync(join(root, "a.ts"), `x\n`.repeat(n));
    const env = { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at };
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=Ada", "-c", "user.email=a@example.com", ...args], {
        cwd: root,
        env,
      });
    git("add", "-A");
    git("commit", "-q", "-m", `change ${n}`);
  };
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: root });
  commit("2024-05-08T10:00:00Z", 1); // two days before
  commit("2024-05-09T09:00:00Z", 2); // yesterday
  commit("2024-05-09T23:30:00Z", 3); // yesterday, late
  commit("2024-05-10T08:00:00Z", 4); // today
  storage = openStorage({ path: join(base, "devflow.db") });
  const project = storage.projects.add({ name: "repo", rootPath: root });
  await importGitHistory({ storage, project, messages: "full" });
  const server = createDevflowMcpServer(
    {
      storage,
      roots: new ProjectRoots([root]),
      home: base,
      clock: () => new Date("2024-05-10T12:00:00Z"),
      logger: noopLogger,
      caller: { kind: "local", name: "test" },
    },
    { version: "0", tools: OPERATIONS, toolsets: ["all"] },
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: "prompts-test", version: "0" });
  await Promise.all([server.connect(b), client.connect(a)]);
});

afterAll(async () => {
  await client.close();
  storage.close();
  rmSync(base, { recursive: true, force: true });
});

const text = (r: { messages: Array<{ content: unknown }> }) =>
  r.messages.map((m) => (m.content as { text: string }).text).join("\n");

describe("prompts", () => {
  it("daily_standup: the commit section covers yesterday only", async () => {
    const brief = text(await client.getPrompt({ name: "daily_standup", arguments: {} }));
    const section = brief.split("## Commits yesterday\n")[1]!.split("\n## ")[0]!;
    // Two of the four commits were made yesterday (UTC).
    expect(section).toMatch(/^2 commits by 1 authors on 1 days/);
    expect(brief).not.toMatch(/\(\w+ failed:|unknown argument/);
  });

  it("weekly_review: every section is answered", async () => {
    const brief = text(await client.getPrompt({ name: "weekly_review", arguments: {} }));
    expect(brief).not.toMatch(/\(\w+ failed:|unknown argument|is not available/);
    expect(brief).toMatch(/DORA/);
  });
});
