/**
 * The MCP faces of the one project resolver and the one time grammar, over a real SQLite file
 * and real git repositories in temp dirs. Regressions of issue 12: project "vue" answered for
 * express, and `since: "90m"` meant 90 months on the git tools while `period: "90m"` meant 90
 * minutes. The shared table (`@devflow/test-fixtures/time-cases`) runs through `parsePeriod`,
 * `analysisPeriod` and `gitScope`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { isDevflowError, noopLogger } from "@devflow/events";
import { importGitHistory } from "@devflow/monitors";
import { openStorage, type Project, type Storage } from "@devflow/storage";
import { afterEach, describe, expect, it } from "vitest";
import { INSTANTS, NOW, PERIODS } from "@devflow/test-fixtures/time-cases";
import {
  canonicalPath,
  createDevflowMcpServer,
  OPERATIONS,
  parsePeriod,
  projectFor,
  ProjectRoots,
  type ToolContext,
} from "../src/index.js";
import { gitScope } from "../src/toolsets/git-scope.js";
import { analysisPeriod } from "../src/toolsets/shared.js";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function gitRepo(root: string): void {
  mkdirSync(root, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      [
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
        ...args,
      ],
      { cwd: root },
    );
  git("init", "-q");
  git("commit", "-q", "--allow-empty", "-m", "chore: init");
}

async function setup(): Promise<{
  dir: string;
  storage: Storage;
  ctx: ToolContext;
  express: Project;
  vue: Project;
}> {
  const dir = canonicalPath(mkdtempSync(join(tmpdir(), "devflow-mcp-resolve-")));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  gitRepo(join(dir, "express"));
  mkdirSync(join(dir, "express", "vue"));
  gitRepo(join(dir, "vue"));
  const storage = openStorage({ path: join(dir, "devflow.db") });
  cleanup.push(() => storage.close());
  const express = storage.projects.add({ name: "express", rootPath: join(dir, "express") });
  const vue = storage.projects.add({ name: "vue", rootPath: join(dir, "vue") });
  await importGitHistory({ storage, project: express, messages: "full" });
  const ctx: ToolContext = {
    storage,
    roots: new ProjectRoots([join(dir, "express"), join(dir, "vue")]),
    home: dir,
    clock: () => new Date(NOW),
    logger: noopLogger,
    caller: { kind: "local", name: "test" },
  };
  return { dir, storage, ctx, express, vue };
}

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isDevflowError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected an error");
}

describe("projectFor", () => {
  it('regression issue 12: project "vue" with express and vue registered → vue', async () => {
    const { dir, ctx, express, vue } = await setup();
    expect(projectFor(ctx, "vue").id).toBe(vue.id);
    expect(projectFor(ctx, "express").id).toBe(express.id);
    expect(projectFor(ctx, vue.id).id).toBe(vue.id);
    // a path still finds the deepest root containing it; relative paths start at the first root
    expect(projectFor(ctx, join(dir, "vue", "README.md")).id).toBe(vue.id);
    expect(projectFor(ctx, "./vue").id).toBe(express.id);
  });

  it("an unknown name lists the choices; an ambiguous one lists both", async () => {
    const { dir, storage, ctx, express, vue } = await setup();
    const unknown = failure(() => projectFor(ctx, "react"));
    expect(unknown.code).toBe("STORAGE_UNKNOWN_PROJECT");
    expect(unknown.message).toContain(`${express.id} (express, ${join(dir, "express")})`);
    expect(unknown.message).toContain(`${vue.id} (vue, ${join(dir, "vue")})`);
    expect(unknown.message).toContain("list_projects");
    mkdirSync(join(dir, "vue", "app"));
    mkdirSync(join(dir, "express", "app"));
    const a1 = storage.projects.add({ name: "app", rootPath: join(dir, "vue", "app") });
    const a2 = storage.projects.add({ name: "app", rootPath: join(dir, "express", "app") });
    const ambiguous = failure(() => projectFor(ctx, "app"));
    expect(ambiguous.code).toBe("STORAGE_AMBIGUOUS_PROJECT");
    expect(ambiguous.message).toContain(`${a1.id} (app, `);
    expect(ambiguous.message).toContain(`${a2.id} (app, `);
    expect(failure(() => projectFor(ctx, undefined)).code).toBe("STORAGE_AMBIGUOUS_PROJECT");
  });

  it("over MCP, an unknown project lists the choices with readable ids and paths", async () => {
    const { dir, ctx, express, vue } = await setup();
    const server = createDevflowMcpServer(ctx, {
      version: "test",
      tools: OPERATIONS,
      toolsets: ["all"],
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "test", version: "1" });
    await client.connect(clientSide);
    cleanup.push(() => void client.close());
    const result = await client.callTool({
      name: "get_project_status",
      arguments: { project: "react" },
    });
    expect(result.isError).toBe(true);
    const text = (result.content as { type: string; text: string }[])[0]!.text;
    expect(text).toMatch(/^STORAGE_UNKNOWN_PROJECT: /);
    expect(text).toContain(`${express.id} (express, ${join(dir, "express")})`);
    expect(text).toContain(`${vue.id} (vue, ${join(dir, "vue")})`);
    expect(text).not.toContain("[redacted]");
  });

  it("never picks a project outside the server's roots, by name or path", async () => {
    const { dir, storage, ctx } = await setup();
    mkdirSync(join(dir, "secret"));
    storage.projects.add({ name: "secret", rootPath: join(dir, "secret") });
    expect(failure(() => projectFor(ctx, "secret")).code).toBe("STORAGE_UNKNOWN_PROJECT");
    expect(failure(() => projectFor(ctx, "secret")).message).not.toContain("(secret,");
    expect(failure(() => projectFor(ctx, join(dir, "secret"))).code).toBe(
      "TOOLS_PATH_OUTSIDE_ROOTS",
    );
  });
});

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("the shared time table through the MCP faces", () => {
  const utc = PERIODS.filter((c) => c.zone === "UTC");

  it.each(utc)("parsePeriod $text", ({ text, from, to }) => {
    const r = parsePeriod(text, new Date(NOW));
    // a range that runs to now includes now (+1 ms), as the tools always did
    const end = to === new Date(NOW).toISOString() ? NOW + 1 : Date.parse(to);
    expect([iso(r.from), r.to]).toEqual([from, end]);
  });

  it.each(utc)("analysisPeriod $text", async ({ text, from, to }) => {
    const { ctx } = await setup();
    const r = analysisPeriod(ctx, text, "7d");
    expect([iso(r.from), r.to]).toEqual([from, Math.min(Date.parse(to), NOW + 1)]);
  });

  it("gitScope since/until over every instant case and zone", async () => {
    const { ctx, express } = await setup();
    for (const c of INSTANTS) {
      const { scope } = gitScope(ctx, express, { since: c.text, until: c.text, timezone: c.zone });
      expect([iso(scope.since), iso(scope.until)], `${c.text} in ${c.zone}`).toEqual([
        c.iso,
        c.iso,
      ]);
    }
  });

  it('regression issue 12: "90m" is 90 minutes in git scope, period and analysis period', async () => {
    const { ctx, express } = await setup();
    const ninety = NOW - 90 * 60_000;
    expect(gitScope(ctx, express, { since: "90m" }).scope.since).toBe(ninety);
    expect(parsePeriod("90m", new Date(NOW)).from).toBe(ninety);
    expect(analysisPeriod(ctx, "90m", "7d").from).toBe(ninety);
    expect(failure(() => gitScope(ctx, express, { since: "90M" })).message).toMatch(
      /^since: .*ambiguous/,
    );
    expect(failure(() => gitScope(ctx, express, { timezone: "Mars/Base" })).code).toBe(
      "EVENTS_BAD_TIME_ZONE",
    );
  });
});
