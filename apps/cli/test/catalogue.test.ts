/**
 * The operation catalogue, checked face against face: every operation with a command-line
 * form is a `devflow` command whose flags are exactly its input fields, its MCP tool
 * advertises the same (strict) input schema, and for the same arguments the CLI's `--json`
 * and the MCP tool's structured content are the same data. Also: an unknown argument is an
 * error naming it on both faces.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { noopLogger } from "@devflow/events";
import {
  createDevflowMcpServer,
  inputSchemaOf,
  OPERATIONS,
  ProjectRoots,
  type ToolContext,
} from "@devflow/mcp-tools";
import { AnalysisJobs } from "@devflow/runtime";
import { openStorage, type Storage } from "@devflow/storage";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { kebab } from "../src/catalog/flags.js";
import { createProgram } from "../src/program.js";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "devflow-catalogue-"));
const repo = join(home, "repo");
const run = promisify(execFile);
const withCli = OPERATIONS.filter((op) => op.cli !== undefined);

function git(args: string[], at?: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Ada",
    GIT_AUTHOR_EMAIL: "ada@example.com",
    GIT_COMMITTER_NAME: "Ada",
    GIT_COMMITTER_EMAIL: "ada@example.com",
  };
  if (at) Object.assign(env, { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at });
  return execFileSync("git", args, { cwd: repo, env, encoding: "utf8" });
}

function commandAt(program: Command, path: readonly string[]): Command | undefined {
  let cmd: Command | undefined = program;
  for (const name of path) cmd = cmd?.commands.find((c) => c.name() === name);
  return cmd;
}

let storage: Storage;
let client: Client;

beforeAll(async () => {
  mkdirSync(repo);
  git(["init", "-q", "-b", "main"]);
  // Six commits over three days: A and B always together, C twice.
  for (let i = 0; i < 6; i++) {
    writeFileSync(join(repo, "A.ts"), `a ${i}\n`.repeat(i + 1));
    writeFileSync(join(repo, "B.ts"), `b ${i}\n`.repeat(i + 2));
    if (i % 3 === 0) writeFileSync(join(repo, "C.ts"), `c ${i}\n`);
    git(["add", "-A"]);
    git(["commit", "-q", "-m", `change ${i}`], `@${1714550400 + i * 43_200} +0000`);
  }
  execFileSync(process.execPath, [bin, "import", "git", repo], {
    env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
  });
  storage = openStorage({ path: join(home, "devflow.db") });
  const ctx: ToolContext = {
    storage,
    roots: new ProjectRoots([repo]),
    home,
    clock: () => new Date(),
    logger: noopLogger,
    caller: { kind: "local", name: "test" },
    // The CLI runs the persisting analyses too (no DevFlow runs here).
    analysis: new AnalysisJobs({ storage, logger: noopLogger }),
    defaultTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  const server = createDevflowMcpServer(ctx, {
    version: "0",
    tools: OPERATIONS,
    toolsets: ["all"],
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: "catalogue-test", version: "0" });
  await Promise.all([server.connect(b), client.connect(a)]);
});

afterAll(async () => {
  await client.close();
  storage.close();
  rmSync(home, { recursive: true, force: true });
});

describe("the operation catalogue", () => {
  it("puts every operation with a command-line form on the command line, one flag per input", () => {
    expect(withCli.length).toBeGreaterThanOrEqual(16);
    const program = createProgram("0");
    for (const op of withCli) {
      const cmd = commandAt(program, op.cli!.command);
      expect(cmd, op.name).toBeDefined();
      const positional = new Set(op.cli!.positional ?? []);
      const flags = cmd!.options
        .map((o) => o.long!.slice(2))
        .filter((f) => f !== "csv" && f !== "all");
      const expected = Object.keys(op.input)
        .filter((k) => !positional.has(k))
        .map(kebab);
      expect(flags.sort(), op.name).toEqual(expected.sort());
      expect(
        cmd!.registeredArguments.map((a) => a.name()),
        op.name,
      ).toEqual([...positional].map(kebab));
    }
  });

  it("advertises the same strict input schema over MCP", async () => {
    const { tools } = await client.listTools();
    for (const op of OPERATIONS) {
      const tool = tools.find((t) => t.name === op.name);
      expect(tool, op.name).toBeDefined();
      const expected = z.toJSONSchema(inputSchemaOf(op), { target: "draft-7" }) as Record<
        string,
        unknown
      >;
      expect(tool!.inputSchema.additionalProperties, op.name).toBe(false);
      expect(Object.keys(tool!.inputSchema.properties ?? {}).sort(), op.name).toEqual(
        Object.keys(expected["properties"] as object).sort(),
      );
    }
  });

  it("answers the same data through the CLI's --json and the MCP tool", async () => {
    // A fixed "now" where an operation takes one, so both faces measure from the same instant.
    // A fixed "now" (or "until") where an operation takes one, so both faces measure from the
    // same instant.
    const NOW = "2024-06-01T00:00:00Z";
    const cases: Array<[string, Record<string, unknown>, string[]]> = withCli
      .filter((op) => op.cli!.positional === undefined)
      .map((op) => {
        const args: Record<string, unknown> = {};
        if ("project" in op.input) args["project"] = repo;
        if ("now" in op.input) args["now"] = NOW;
        if ("until" in op.input) args["until"] = NOW;
        const flags = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
        return [op.name, args, flags];
      });
    cases.push(
      [
        "classify_changes",
        { project: repo, period: "all", until: NOW },
        ["--project", repo, "--period", "all", "--until", NOW],
      ],
      [
        "analyze_change_coupling",
        { project: repo, minRevs: 2, minSharedRevs: 2, limit: 3 },
        ["--project", repo, "--min-revs", "2", "--min-shared-revs", "2", "--limit", "3"],
      ],
      ["analyze_churn", { project: repo, by: "author" }, ["--project", repo, "--by", "author"]],
      [
        "check_co_changes",
        { project: repo, files: ["A.ts"], minRevs: 1, minSharedRevs: 1 },
        ["A.ts", "--project", repo, "--min-revs", "1", "--min-shared-revs", "1"],
      ],
    );
    const call = async ([name, args, flags]: (typeof cases)[number]) => {
      const op = OPERATIONS.find((o) => o.name === name)!;
      const cli = await run(process.execPath, [bin, "--json", ...op.cli!.command, ...flags], {
        cwd: home,
        env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_LOG_LEVEL: "warn" },
      });
      const mcp = await client.callTool({ name, arguments: args });
      return { name, cli: JSON.parse(cli.stdout) as Record<string, unknown>, mcp };
    };
    // Operations that bring stored analyses current answer what *this* call stored too: run
    // them one after the other (CLI first) and compare everything else.
    const perCall: Record<string, string[]> = {
      analyze_stage: ["analysedEvents", "newTransitions"],
      detect_bottlenecks: ["opened", "resolved"],
    };
    const results = await Promise.all(cases.filter(([n]) => !(n in perCall)).map(call));
    for (const c of cases.filter(([n]) => n in perCall)) results.push(await call(c));
    expect(results.map((r) => r.name)).toEqual(expect.arrayContaining(Object.keys(perCall)));
    for (const r of results) {
      expect(r.mcp.isError, `${r.name}: ${JSON.stringify(r.mcp.content)}`).toBeFalsy();
      const mcp = { ...(r.mcp.structuredContent as Record<string, unknown>) };
      const cli = { ...r.cli };
      for (const key of perCall[r.name] ?? []) {
        expect(key in cli && key in mcp, `${r.name}.${key}`).toBe(true);
        delete cli[key];
        delete mcp[key];
      }
      expect(cli, r.name).toEqual(mcp);
    }
    // Commits at 08:00 and 20:00 on May 1-3: four in the 30 days before June 1, six in all.
    expect(results.filter((r) => r.name === "classify_changes").map((r) => r.cli["total"])).toEqual(
      [4, 6],
    );
    // The answers are about the scripted history, not empty: six revisions of A.ts.
    const revisions = results.find((r) => r.name === "analyze_revisions")!.cli as {
      rows: Array<{ entity: string; revisions: number }>;
    };
    expect(revisions.rows).toContainEqual({ entity: "A.ts", revisions: 6 });
  });

  it("refuses an unknown argument on both faces, naming it", async () => {
    const mcp = await client.callTool({
      name: "analyze_revisions",
      arguments: { project: repo, period: "7d" },
    });
    expect(mcp.isError).toBe(true);
    expect(JSON.stringify(mcp.content)).toMatch(/period/);
    const cli = await run(
      process.execPath,
      [bin, "analyze", "revisions", "--project", repo, "--period", "7d"],
      { cwd: home, env: { ...process.env, DEVFLOW_HOME: home } },
    ).catch((err: { code: number; stderr: string }) => err);
    expect((cli as { code: number }).code).toBe(1);
    expect((cli as { stderr: string }).stderr).toMatch(/unknown option '--period'/);
  });
});
