/**
 * Tool selection of the built server: `--read-only` hides every tool whose readOnlyHint is
 * false and keeps the rest, `--toolsets` lists only the chosen toolsets, an unknown toolset
 * fails fast with one line on stderr, and a server attached to another running DevFlow is
 * read-only by itself.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { OPERATIONS, DEFAULT_TOOLSETS } from "@devflow/mcp-tools";
import { beforeAll, describe, expect, it } from "vitest";
import { connectStdio, distIndex, makeGitRepo, resultText, serverEnv, tempDir } from "./support.js";

let home: string;
let repo: string;
let all: Tool[];

async function listTools(args: string[]): Promise<Tool[]> {
  const { client, close } = await connectStdio(home, ["--project", repo, "--no-monitors", ...args]);
  try {
    return (await client.listTools()).tools;
  } finally {
    await close();
  }
}

const names = (tools: readonly { name: string }[]) => tools.map((t) => t.name).sort();

beforeAll(async () => {
  home = tempDir("read-only");
  repo = join(home, "repo");
  mkdirSync(repo);
  makeGitRepo(repo);
  all = await listTools(["--toolsets", "all"]);
});

describe("--read-only", () => {
  it("lists exactly the tools of --toolsets all whose readOnlyHint is true", async () => {
    const writing = all.filter((t) => t.annotations?.readOnlyHint !== true);
    expect(names(writing)).toEqual(expect.arrayContaining(["register_project", "update_project"]));
    for (const t of all) expect(typeof t.annotations?.readOnlyHint, t.name).toBe("boolean");

    const readOnly = await listTools(["--toolsets", "all", "--read-only"]);
    expect(readOnly.filter((t) => t.annotations?.readOnlyHint !== true)).toEqual([]);
    expect(names(readOnly)).toEqual(names(all.filter((t) => t.annotations?.readOnlyHint === true)));
    expect(names(readOnly)).toEqual(
      expect.arrayContaining(["get_project_status", "list_projects", "whoami"]),
    );
  });

  it("refuses a hidden writing tool and still answers the read-only ones", async () => {
    const { client, close } = await connectStdio(home, [
      "--project",
      repo,
      "--no-monitors",
      "--toolsets",
      "all",
      "--read-only",
    ]);
    try {
      const status = await client.callTool({ name: "get_project_status", arguments: {} });
      expect(status.isError, resultText(status)).toBeFalsy();
      expect(status.structuredContent).toMatchObject({ project: { rootPath: repo } });
      const write = await client.callTool({
        name: "update_project",
        arguments: { name: "renamed" },
      });
      expect(write.isError).toBe(true);
      expect(resultText(write)).toMatch(/update_project not found/);
      const again = await client.callTool({ name: "list_projects", arguments: {} });
      expect(again.structuredContent).toMatchObject({ projects: [{ name: "repo" }] });
    } finally {
      await close();
    }
  });
});

describe("--toolsets", () => {
  it("project,system lists only the tools of those two toolsets", async () => {
    const chosen = await listTools(["--toolsets", "project,system"]);
    const expected = OPERATIONS.filter((t) => t.toolset === "project" || t.toolset === "system");
    expect(names(chosen)).toEqual(names(expected));
    // The same tools, with the same definitions, as --toolsets all shows.
    for (const tool of chosen) {
      expect(all.find((t) => t.name === tool.name)).toEqual(tool);
    }
    expect(names(chosen)).toEqual(
      expect.arrayContaining(["get_project_status", "run_maintenance"]),
    );
    const others = OPERATIONS.filter((t) => t.toolset !== "project" && t.toolset !== "system");
    for (const t of others) expect(names(chosen)).not.toContain(t.name);
    expect(names(chosen)).not.toContain("whoami");
  });

  it("defaults to the default toolsets", async () => {
    const chosen = await listTools([]);
    const expected = OPERATIONS.filter((t) => DEFAULT_TOOLSETS.includes(t.toolset));
    expect(names(chosen)).toEqual(names(expected));
    expect(names(all)).toEqual(names(OPERATIONS));
  });

  it.each(["bogus", "project,bogus,git", "project, ,BOGUS"])(
    "--toolsets %s exits non-zero with one line naming the toolset",
    (list) => {
      const r = spawnSync(process.execPath, [distIndex, "--toolsets", list, "--no-monitors"], {
        cwd: home,
        env: serverEnv(home),
        encoding: "utf8",
        input: "",
        timeout: 30_000,
      });
      const bad = list
        .split(",")
        .find((s) => /bogus/i.test(s))!
        .trim();
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBeNull();
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^devflow-mcp: Unknown toolset "${bad}"; choose from `));
      expect(r.stderr).toContain("project, stage, metrics");
    },
  );
});

describe("attached to another running DevFlow", () => {
  it("is read-only even without --read-only", async () => {
    // The first server runs the monitors and publishes the runtime state in the home.
    const first = await connectStdio(home, ["--project", repo, "--toolsets", "all"]);
    try {
      const health = await first.client.callTool({ name: "get_monitor_health", arguments: {} });
      expect(health.structuredContent).toMatchObject({ running: true });
      const attached = await listTools(["--toolsets", "all"]);
      expect(attached.length).toBeGreaterThan(0);
      expect(names(attached)).toEqual(
        names(all.filter((t) => t.annotations?.readOnlyHint === true)),
      );
    } finally {
      await first.close();
    }
  });
});
