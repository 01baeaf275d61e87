/**
 * @module @devflow/mcp-tools/http
 * Streamable HTTP for `devflow-mcp --http` (Node only): stateless (a fresh server per request, per the
 * 2026 MCP spec), bound to 127.0.0.1 by default, Host and Origin checked against allowlists
 * (DNS-rebinding protection, F4), and every request authenticated with a bearer access token
 * (audience checked, F3) or an API key through `@devflow/security`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { DevflowError, isDevflowError, type Logger } from "@devflow/events";
import type { ToolContext } from "../context.js";
// The TOOLS_* codes this entry throws are declared there (DevflowErrorCodes augmentation).
import "../errors.js";
import type { AuthPrincipal, AuthService } from "@devflow/security";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

/** Options of {@link startHttp}. */
export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly auth: AuthService;
  readonly logger: Logger;
  /** Builds the MCP server for one authenticated caller. */
  readonly serverFor: (caller: ToolContext["caller"]) => McpServer;
}

const MAX_BODY = 1024 * 1024;

function reply(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new DevflowError("TOOLS_BAD_REQUEST", "body too large");
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

function hostsFor(host: string, port: number, extra: readonly string[]): Set<string> {
  const names = new Set(["127.0.0.1", "localhost", "[::1]"]);
  if (host !== "0.0.0.0" && host !== "::") names.add(host.includes(":") ? `[${host}]` : host);
  return new Set([...[...names].map((n) => `${n}:${port}`), ...extra]);
}

async function authenticate(
  auth: AuthService,
  header: string | undefined,
  ip: string | undefined,
): Promise<AuthPrincipal> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!m) throw new DevflowError("TOOLS_UNAUTHENTICATED", "missing bearer credentials");
  const credential = m[1]!;
  const client = ip === undefined ? {} : { ip };
  return credential.startsWith("dfk_")
    ? auth.authenticateApiKey(credential, client)
    : auth.authenticate(credential);
}

/** Starts the HTTP listener; resolves with the server once it listens. */
export async function startHttp(options: HttpOptions): Promise<Server> {
  let allowedHosts = hostsFor(options.host, options.port, options.allowedHosts);
  const origins = new Set(options.allowedOrigins);
  const server = createServer((req, res) => {
    void (async () => {
      const host = req.headers.host ?? "";
      if (!allowedHosts.has(host)) return reply(res, 403, "Forbidden: Host not allowed");
      const origin = req.headers.origin;
      if (origin !== undefined && !origins.has(origin))
        return reply(res, 403, "Forbidden: Origin not allowed");
      if (new URL(req.url ?? "/", "http://x").pathname !== "/mcp")
        return reply(res, 404, "Not found: use /mcp");
      if (req.method !== "POST") {
        // Stateless server: no SSE stream (GET) and no sessions to end (DELETE).
        return reply(res, 405, "Method not allowed: POST JSON-RPC to /mcp", { allow: "POST" });
      }
      let caller: AuthPrincipal;
      try {
        caller = await authenticate(
          options.auth,
          req.headers.authorization,
          req.socket.remoteAddress,
        );
      } catch (err) {
        options.logger.info(
          { code: isDevflowError(err) ? err.code : "unknown" },
          "mcp http: unauthenticated",
        );
        return reply(
          res,
          401,
          "Unauthorized: send Authorization: Bearer <access token or API key>",
          {
            "www-authenticate": 'Bearer realm="devflow-mcp"',
          },
        );
      }
      let body: unknown;
      try {
        body = await readBody(req);
      } catch {
        reply(res, 400, "Bad request: the body must be JSON of at most 1 MiB", {
          connection: "close",
        });
        req.destroy();
        return;
      }
      const mcp = options.serverFor(caller);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((err: unknown) => {
      options.logger.error({ err }, "mcp http request failed");
      if (!res.headersSent) reply(res, 500, "Internal error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  if (address !== null && typeof address === "object" && options.port === 0) {
    allowedHosts = hostsFor(options.host, address.port, options.allowedHosts);
  }
  return server;
}
