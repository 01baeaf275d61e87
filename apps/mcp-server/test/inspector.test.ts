/**
 * The MCP Inspector CLI (an out-of-tree client) against the built server over stdio: it lists
 * the tools and calls several of them, and the JSON it prints carries the structured results
 * computed from a real database seeded with events.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DevflowEvent, newEventId } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { distIndex, makeGitRepo, serverEnv, tempDir } from "./support.js";

const inspector = fileURLToPath(new URL("../node_modules/.bin/mcp-inspector-cli", import.meta.url));

interface CallResult {
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

let home: string;
let repo: string;
let projectId: string;

/** Runs `mcp-inspector-cli --cli node dist/index.js <serverArgs> <inspectorArgs>`. */
function inspect(serverArgs: readonly string[], inspectorArgs: readonly string[]): unknown {
  const r = spawnSync(
    inspector,
    ["--cli", process.execPath, distIndex, ...serverArgs, ...inspectorArgs],
    { cwd: home, env: serverEnv(home), encoding: "utf8", timeout: 60_000 },
  );
  if (r.status !== 0) {
    throw new Error(`inspector exited ${r.status}: ${r.stderr}\n${r.stdout}`);
  }
  return JSON.parse(r.stdout) as unknown;
}

function call(tool: string, args: Record<string, string> = {}, serverArgs?: string[]): CallResult {
  const toolArgs = Object.entries(args).flatMap(([k, v]) => ["--tool-arg", `${k}=${v}`]);
  return inspect(serverArgs ?? ["--project", repo, "--toolsets", "all", "--no-monitors"], [
    "--method",
    "tools/call",
    "--tool-name",
    tool,
    ...toolArgs,
  ]) as CallResult;
}

beforeAll(() => {
  home = tempDir("inspector");
  repo = join(home, "repo");
  mkdirSync(repo);
  makeGitRepo(repo);
  // Seed the database the server will attach to: 3 events today, 2 yesterday.
  const storage = openStorage({ path: join(home, "devflow.db") });
  try {
    const project = storage.projects.add({ name: "fixture", rootPath: repo });
    projectId = project.id;
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    const at = (t: number, type: string, data: Record<string, unknown>) =>
      ({
        id: newEventId(),
        type,
        category: type.split(".")[0],
        severity: "info",
        timestamp: t,
        source: "test",
        projectId: project.id,
        data,
      }) as DevflowEvent;
    const result = storage.sink.write([
      at(today + 1000, "file.changed", { path: "src/a.ts" }),
      at(today + 2000, "file.changed", { path: "src/b.ts" }),
      at(today + 3000, "git.branch_switched", { from: "main", to: "feature/x" }),
      at(today - day + 1000, "file.created", { path: "src/c.ts" }),
      at(today - day + 2000, "file.deleted", { path: "src/d.ts" }),
    ]);
    expect(result.rejected).toEqual([]);
  } finally {
    storage.close();
  }
});

describe("MCP Inspector CLI", () => {
  it("lists the tools with schemas and annotations", () => {
    const listed = inspect(
      ["--project", repo, "--toolsets", "all", "--no-monitors"],
      ["--method", "tools/list"],
    ) as { tools: Record<string, unknown>[] };
    const names = listed.tools.map((t) => t["name"] as string);
    expect(names).toEqual(
      expect.arrayContaining([
        "get_project_status",
        "list_projects",
        "whoami",
        "get_monitor_health",
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const tool of listed.tools) {
      const name = tool["name"] as string;
      expect(name, name).toMatch(/^[a-z][a-z0-9_]{1,63}$/);
      expect(tool["description"], name).toEqual(expect.any(String));
      expect((tool["description"] as string).length, name).toBeGreaterThan(20);
      expect(tool["inputSchema"], name).toMatchObject({ type: "object" });
      expect(tool["outputSchema"], name).toMatchObject({ type: "object" });
      const annotations = tool["annotations"] as Record<string, unknown>;
      expect(typeof annotations["readOnlyHint"], name).toBe("boolean");
      expect(typeof annotations["destructiveHint"], name).toBe("boolean");
    }
  });

  it("calls get_project_status and gets the seeded counts", () => {
    const r = call("get_project_status");
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      project: { id: projectId, name: "fixture", rootPath: repo },
      eventsToday: 3,
      events7d: 5,
      running: false,
      stage: null,
    });
    const byCategory = r.structuredContent?.["byCategory7d"];
    expect(byCategory).toEqual([
      { category: "file", count: 4 },
      { category: "git", count: 1 },
    ]);
    expect(r.content[0]?.text).toContain("events: 3 today, 5 in 7 days");
  });

  it("calls list_projects, whoami and get_activity with arguments", () => {
    const projects = call("list_projects");
    expect(projects.structuredContent).toEqual({
      projects: [expect.objectContaining({ id: projectId, name: "fixture", rootPath: repo })],
      total: 1,
      nextCursor: null,
    });

    const me = call("whoami");
    expect(me.structuredContent).toMatchObject({
      kind: "local",
      roles: [{ role: "admin", projectId: null }],
      scopes: null,
    });

    const activity = call("get_activity", { period: "today", project: repo });
    const events = activity.structuredContent?.["events"] as { type: string; data: unknown }[];
    expect(events.map((e) => e.type)).toEqual([
      "file.changed",
      "file.changed",
      "git.branch_switched",
    ]);
    expect(events[0]?.data).toEqual({ path: "src/a.ts" });

    const bad = call("get_activity", { period: "next-tuesday" });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]?.text).toMatch(/^EVENTS_BAD_PERIOD: .*next-tuesday/i);
  });

  it("calls get_monitor_health on a server that runs the monitors itself", () => {
    const health = call("get_monitor_health", {}, ["--project", repo, "--toolsets", "system"]);
    expect(health.isError).toBeFalsy();
    const s = health.structuredContent as {
      running: boolean;
      pid: number;
      monitors: { name: string; projectId: string | null; health: string }[];
    };
    expect(s.running).toBe(true);
    expect(s.pid).toBeGreaterThan(0);
    expect(s.monitors.map((m) => m.name)).toEqual(expect.arrayContaining(["git", "file"]));
    expect(s.monitors.filter((m) => m.projectId === projectId).length).toBeGreaterThan(0);
    for (const m of s.monitors) expect(["starting", "healthy", "degraded"]).toContain(m.health);
  });
});
