/**
 * `devflow-mcp --http --port 0` as a client sees it: hostile Host and Origin headers get 403
 * before anything else; missing, malformed, expired, foreign-audience and revoked credentials
 * get 401; a valid API key and a valid access token work through the SDK's Streamable HTTP
 * client; a viewer cannot use a writing tool (and the denial is audited) while an admin can.
 */
import { request } from "node:http";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { openSecurity, type Security, TOKEN_ISSUER } from "@devflow/runtime";
import { createTokenService } from "@devflow/security";
import { openStorage, type Storage } from "@devflow/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpServer, makeGitRepo, resultText, startHttpServer, tempDir } from "./support.js";

const LOCAL = { kind: "local", name: "test" } as const;
const FAST = { params: { N: 1024, r: 8, p: 1 } };
const PASSWORD = "correct-horse-battery";
const ORIGIN = "http://localhost:3000";

let home: string;
let repo: string;
let storage: Storage;
let security: Security;
let server: HttpServer;
const creds = {} as Record<
  "admin" | "viewer" | "expired" | "foreign" | "key" | "revokedKey" | "tampered",
  string
>;
let viewerId: string;

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
});

/** A raw POST /mcp with exactly these headers (Host included). */
function post(headers: Record<string, string>, path = "/mcp", method = "POST"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        path,
        method,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          host: `127.0.0.1:${server.port}`,
          ...headers,
        },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(method === "POST" ? INIT : undefined);
  });
}

async function connect(credential: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(server.url, {
    requestInit: { headers: { Authorization: `Bearer ${credential}` } },
  });
  const client = new Client({ name: "devflow-http-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

beforeAll(async () => {
  home = tempDir("http");
  repo = join(home, "repo");
  mkdirSync(repo);
  makeGitRepo(repo);
  mkdirSync(join(repo, "sub"));
  storage = openStorage({ path: join(home, "devflow.db") });
  const open = (extra: { audience: string }) =>
    openSecurity({ home, storage, env: {}, password: FAST, ...extra });
  security = open({ audience: "devflow-mcp" });
  await security.users.createUser({ username: "boss", password: PASSWORD, role: "admin" }, LOCAL);
  const viewer = await security.users.createUser(
    { username: "watcher", password: PASSWORD, role: "viewer" },
    LOCAL,
  );
  viewerId = viewer.user.id;
  creds.admin = (await security.auth.login("boss", PASSWORD)).accessToken;
  creds.viewer = (await security.auth.login("watcher", PASSWORD)).accessToken;
  creds.tampered = `${creds.admin.slice(0, -4)}${creds.admin.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
  // The right key, audience, user and live session, but signed two hours ago: expired by now.
  // (The key file's key was created just now, so the past clock needs the key backdated.)
  const session = await security.auth.login("boss", PASSWORD);
  const past = createTokenService({
    keys: security.keys.signing.map((k) => ({ ...k, createdAt: new Date(0) })),
    issuer: TOKEN_ISSUER,
    audience: "devflow-mcp",
    clock: () => new Date(Date.now() - 7_200_000),
  });
  creds.expired = (await past.signAccess({ sub: session.user.id, sid: session.sessionId })).token;
  // Valid, but for the HTTP API, not for the MCP server.
  const api = open({ audience: "devflow-api" });
  creds.foreign = (await api.auth.login("boss", PASSWORD)).accessToken;
  creds.key = (await security.apiKeys.create({ username: "boss", name: "mcp client" }, LOCAL)).key;
  const revoked = await security.apiKeys.create({ username: "boss", name: "old" }, LOCAL);
  await security.apiKeys.revoke(revoked.record.id, LOCAL);
  creds.revokedKey = revoked.key;
  server = await startHttpServer(home, [
    "--project",
    repo,
    "--no-monitors",
    "--toolsets",
    "all",
    "--allowed-origin",
    ORIGIN,
    "--log-level",
    "info",
  ]);
});

afterAll(async () => {
  const code = await server?.stop();
  storage?.close();
  expect(code).toBe(0);
});

describe("Host and Origin allowlists (DNS rebinding)", () => {
  it("answers a good request, and 403 for a foreign Host even with valid credentials", async () => {
    const auth = { authorization: `Bearer ${creds.admin}` };
    const ok = await post({ ...auth, host: `localhost:${server.port}` });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.body).toContain('"serverInfo"');

    for (const host of [
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      `127.0.0.1`,
      `localhost.evil.example:${server.port}`,
    ]) {
      const r = await post({ ...auth, host });
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
      expect(r.body, host).toContain("Host not allowed");
    }
  });

  it("stateless: GET and DELETE on /mcp get 405 at once instead of holding a stream", async () => {
    const auth = { authorization: `Bearer ${creds.admin}` };
    for (const method of ["GET", "DELETE"]) {
      const r = await post(auth, "/mcp", method);
      expect(r.status, method).toBe(405);
      expect(r.headers["allow"]).toBe("POST");
    }
  });

  it("403 for an Origin outside --allowed-origin; the allowed one passes", async () => {
    const auth = { authorization: `Bearer ${creds.admin}` };
    for (const origin of ["http://evil.example", "null", `http://127.0.0.1:${server.port}`]) {
      const r = await post({ ...auth, origin });
      expect(r.status, origin).toBe(403);
      expect(r.body).toContain("Origin not allowed");
    }
    const allowed = await post({ ...auth, origin: ORIGIN });
    expect(allowed.status, allowed.body).toBe(200);
  });

  it("refuses a hostile Host before looking at credentials", async () => {
    const r = await post({ host: `evil.example:${server.port}` });
    expect(r.status).toBe(403);
  });
});

describe("authentication", () => {
  it.each([
    ["missing", undefined],
    ["empty bearer", "Bearer "],
    ["basic auth", "Basic Ym9zczpjb3JyZWN0LWhvcnNlLWJhdHRlcnk="],
    ["not a token", "Bearer not.a.jwt"],
    ["garbage API key", "Bearer dfk_live_ABCDEFGH_0123456789abcdef0123456789abcdef"],
    ["two tokens", "Bearer a b"],
  ])("401 for %s credentials", async (_label, header) => {
    const r = await post(header === undefined ? {} : { authorization: header });
    expect(r.status).toBe(401);
    expect(r.headers["www-authenticate"]).toBe('Bearer realm="devflow-mcp"');
    expect(r.body).toContain("Unauthorized");
  });

  it.each([
    ["expired", "SECURITY_TOKEN_EXPIRED"],
    ["foreign", "SECURITY_TOKEN_CLAIM"],
    ["tampered", "SECURITY_TOKEN_SIGNATURE"],
    ["revokedKey", "SECURITY_API_KEY_INVALID"],
  ] as const)("401 for a %s credential (%s in the log)", async (which, code) => {
    const before = server.stderr().length;
    const r = await post({ authorization: `Bearer ${creds[which]}` });
    expect(r.status, r.body).toBe(401);
    // The log line may trail the response (and an earlier request's line may arrive first).
    const codes = () =>
      server
        .stderr()
        .slice(before)
        .split("\n")
        .filter((l) => l.includes("mcp http: unauthenticated"))
        .map((l) => (JSON.parse(l) as { code: string }).code);
    const deadline = Date.now() + 5000;
    while (!codes().includes(code) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(codes()).toContain(code);
  });

  it("never writes a credential to its log", () => {
    for (const secret of Object.values(creds)) expect(server.stderr()).not.toContain(secret);
  });

  it("works with an API key through the SDK's Streamable HTTP client", async () => {
    const client = await connect(creds.key);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(["get_project_status", "register_project", "whoami"]),
      );
      const me = await client.callTool({ name: "whoami", arguments: {} });
      expect(me.structuredContent).toMatchObject({
        kind: "api_key",
        name: "boss",
        scopes: ["project:read", "metrics:read"],
      });
      const status = await client.callTool({ name: "get_project_status", arguments: {} });
      expect(status.isError, resultText(status)).toBeFalsy();
      expect(status.structuredContent).toMatchObject({ project: { rootPath: repo } });
      // The key's scopes are read-only even though its owner is an admin.
      const write = await client.callTool({ name: "register_project", arguments: { path: "sub" } });
      expect(write.isError).toBe(true);
      expect(resultText(write)).toMatch(/^SECURITY_FORBIDDEN: .*project:write/);
    } finally {
      await client.close();
    }
  });

  it("works with an access token through the SDK's Streamable HTTP client", async () => {
    const client = await connect(creds.admin);
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(5);
      const me = await client.callTool({ name: "whoami", arguments: {} });
      expect(me.structuredContent).toMatchObject({
        kind: "user",
        name: "boss",
        roles: [{ role: "admin", projectId: null }],
      });
    } finally {
      await client.close();
    }
  });
});

describe("permissions", () => {
  it("a viewer reads but cannot write; the denial is audited; an admin writes", async () => {
    const viewer = await connect(creds.viewer);
    try {
      const status = await viewer.callTool({ name: "get_project_status", arguments: {} });
      expect(status.isError, resultText(status)).toBeFalsy();

      const register = await viewer.callTool({
        name: "register_project",
        arguments: { path: "sub" },
      });
      expect(register.isError).toBe(true);
      expect(resultText(register)).toMatch(/^SECURITY_FORBIDDEN: Forbidden: .*project:write/);
      const update = await viewer.callTool({
        name: "update_project",
        arguments: { name: "renamed by a viewer" },
      });
      expect(update.isError).toBe(true);
      expect(resultText(update)).toMatch(/^SECURITY_FORBIDDEN/);
    } finally {
      await viewer.close();
    }
    expect(storage.projects.list().map((p) => p.rootPath)).toEqual([repo]);
    expect(storage.projects.list()[0]?.name).toBe("repo");

    const denials = await storage.audit.query({ types: ["security.permission_denied"] });
    const byViewer = denials.filter((e) => e.actor === `user:${viewerId}`);
    expect(byViewer.length).toBe(2);
    for (const e of byViewer) expect(e.details).toMatchObject({ permission: "project:write" });
    expect((await storage.audit.verify()).ok).toBe(true);

    const admin = await connect(creds.admin);
    try {
      const register = await admin.callTool({
        name: "register_project",
        arguments: { path: "sub", name: "sub project" },
      });
      expect(register.isError, resultText(register)).toBeFalsy();
      expect(register.structuredContent).toMatchObject({
        project: { name: "sub project", rootPath: join(repo, "sub") },
      });
      const outside = await admin.callTool({
        name: "register_project",
        arguments: { path: home },
      });
      expect(outside.isError).toBe(true);
      expect(resultText(outside)).toMatch(/^TOOLS_PATH_OUTSIDE_ROOTS/);
    } finally {
      await admin.close();
    }
    expect(
      storage.projects
        .list()
        .map((p) => p.rootPath)
        .sort(),
    ).toEqual([repo, join(repo, "sub")]);
  });
});
