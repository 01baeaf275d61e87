/**
 * Every tool over a real SQLite file through the SDK's in-memory transport: outputs validate
 * against the declared schemas (the SDK client checks them), permissions are enforced per tool
 * and project, and `readOnly` hides every writing tool.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { noopLogger } from "@devflow/events";
import { importGitHistory } from "@devflow/monitors";
import {
  AccountAdmin,
  ApiKeyAdmin,
  AuthService,
  createTokenService,
  type AuthPrincipal,
} from "@devflow/security";
import { openStorage, type Storage } from "@devflow/storage";
import { afterEach, describe, expect, it } from "vitest";
import {
  OPERATIONS,
  createDevflowMcpServer,
  ProjectRoots,
  type ToolContext,
} from "../src/index.js";

const opened: Storage[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

async function setup() {
  const home = mkdtempSync(join(tmpdir(), "devflow-mcp-tools-"));
  const root = join(home, "repo");
  mkdirSync(root);
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
  const storage = openStorage({ path: join(home, "devflow.db") });
  opened.push(storage);
  const project = storage.projects.add({ name: "repo", rootPath: root });
  await importGitHistory({ storage, project, messages: "full" });
  const tokens = createTokenService({
    keys: [
      {
        kid: "k1",
        secret: new Uint8Array(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)),
        createdAt: new Date(0),
      },
    ],
    issuer: "devflow",
    audience: "devflow-mcp",
  });
  const options = {
    store: storage.auth,
    audit: storage.audit,
    tokens,
    password: { params: { N: 1024, r: 8, p: 1 } },
  };
  const security = {
    auth: new AuthService(options),
    users: new AccountAdmin(options),
    apiKeys: new ApiKeyAdmin(options),
  };
  const base: Omit<ToolContext, "caller"> = {
    storage,
    roots: new ProjectRoots([root]),
    home,
    clock: () => new Date(),
    logger: noopLogger,
    security,
    runtimeStatus: () => null,
  };
  return { home, root, storage, project, security, base };
}

async function connect(ctx: ToolContext, opts: { readOnly?: boolean } = {}) {
  const server = createDevflowMcpServer(ctx, {
    version: "test",
    tools: OPERATIONS,
    toolsets: ["all"],
    ...opts,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1" });
  await client.connect(clientSide);
  return client;
}

describe("tools over a real database", () => {
  it("every read-only tool answers with structured content that matches its output schema", async () => {
    const { base, project } = await setup();
    const client = await connect({ ...base, caller: { kind: "local", name: "me" } });
    const { tools } = await client.listTools();
    expect(tools.length).toBe(OPERATIONS.length);
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.annotations?.readOnlyHint, tool.name).toBeTypeOf("boolean");
      if (!tool.annotations?.readOnlyHint) continue;
      const args: Record<string, unknown> = {};
      if (tool.name === "check_permission") args["permission"] = "project:read";
      if (tool.name === "get_metric_series") args["metric"] = "events";
      const result = await client.callTool({ name: tool.name, arguments: args });
      expect(result.isError, `${tool.name}: ${JSON.stringify(result.content)}`).toBeFalsy();
      expect(result.structuredContent, tool.name).toBeTypeOf("object");
    }
    const status = await client.callTool({ name: "get_project_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ project: { id: project.id, name: "repo" } });
  });

  it("bad input and unknown projects become isError results that say what to change", async () => {
    const { base } = await setup();
    const client = await connect({ ...base, caller: { kind: "local", name: "me" } });
    const r1 = await client.callTool({ name: "get_activity", arguments: { period: "soonish" } });
    expect(r1.isError).toBe(true);
    expect(JSON.stringify(r1.content)).toMatch(/EVENTS_BAD_PERIOD.*soonish.*use today/);
    const r2 = await client.callTool({
      name: "get_project_status",
      arguments: { project: "/etc" },
    });
    expect(r2.isError).toBe(true);
    expect(JSON.stringify(r2.content)).toMatch(/TOOLS_PATH_OUTSIDE_ROOTS/);
    const r3 = await client.callTool({ name: "list_projects", arguments: { cursor: "garbage" } });
    expect(JSON.stringify(r3.content)).toMatch(/TOOLS_BAD_CURSOR/);
  });

  it("checks each tool's permission on its project; a viewer cannot write", async () => {
    const { base, security, project, storage } = await setup();
    const local = { kind: "local", name: "t" } as const;
    await security.users.createUser(
      { username: "vera", password: "viewer password 1", role: "viewer" },
      local,
    );
    await security.users.createUser(
      { username: "dev", password: "developer pass 1", role: "viewer" },
      local,
    );
    await security.users.setRole("dev", "developer", local, project.id);
    const principal = async (u: string, p: string): Promise<AuthPrincipal> =>
      security.auth.authenticate((await security.auth.login(u, p)).accessToken);
    const viewer = await connect({ ...base, caller: await principal("vera", "viewer password 1") });
    const denied = await viewer.callTool({ name: "update_project", arguments: { name: "x" } });
    expect(denied.isError).toBe(true);
    expect(JSON.stringify(denied.content)).toMatch(
      /SECURITY_FORBIDDEN: Forbidden: missing permission project:write/,
    );
    expect(
      (await viewer.callTool({ name: "get_project_status", arguments: {} })).isError,
    ).toBeFalsy();
    expect(
      (await viewer.callTool({ name: "run_maintenance", arguments: { task: "check" } })).isError,
    ).toBe(true);
    const dev = await connect({ ...base, caller: await principal("dev", "developer pass 1") });
    const renamed = await dev.callTool({ name: "update_project", arguments: { name: "renamed" } });
    expect(renamed.isError).toBeFalsy();
    expect(storage.projects.get(project.id)?.name).toBe("renamed");
    const audit = await storage.audit.query({ types: ["security.permission_denied"] });
    expect(audit.map((e) => e.details["permission"])).toEqual(["project:write", "system:admin"]);
  });

  it("readOnly lists no tool that writes", async () => {
    const { base } = await setup();
    const client = await connect(
      { ...base, caller: { kind: "local", name: "me" } },
      { readOnly: true },
    );
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(5);
    expect(tools.filter((t) => t.annotations?.readOnlyHint !== true)).toEqual([]);
    const r = await client.callTool({ name: "register_project", arguments: { path: "." } });
    expect(r.isError).toBe(true);
  });
});
