/**
 * @module @devflow/runtime/mcp
 * DevFlow's MCP server as one function, shared by `devflow-mcp` and `devflow mcp` (Node only):
 * config and logger from the options, {@link openMcpRuntime}, the tools of `@devflow/mcp-tools`,
 * and the stdio transport — or Streamable HTTP, loaded only with `--http`.
 */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { OPERATIONS, createDevflowMcpServer, type ToolContext } from "@devflow/mcp-tools";
import { serveStdio } from "@devflow/mcp-tools/stdio";
import { loadConfig } from "./config.js";
import { createAppLogger } from "./logger.js";
import type { McpServerOptions } from "./mcp-options.js";
import { openMcpRuntime } from "./mcp-runtime.js";

export { defineMcpOptions, readMcpOptions } from "./mcp-options.js";
export type { McpServerOptions } from "./mcp-options.js";

/** Canonical project roots (symlinks resolved), so stored roots match the allowlist. */
function canonicalRoots(paths: readonly string[]): string[] {
  return paths.map((p) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  });
}

/**
 * Runs DevFlow's MCP server until the client disconnects (stdio) or SIGINT/SIGTERM. Logs go to
 * stderr (and `logging.file`) at `logging.level` — from `--log-level`, the config file or
 * `DEVFLOW_LOG_LEVEL` — default `warn`.
 */
export async function serveMcp(options: McpServerOptions, version: string): Promise<void> {
  const projects = canonicalRoots(options.projects);
  const overrides: Record<string, unknown> = {};
  if (options.home) overrides["home"] = options.home;
  if (options.db) overrides["storage"] = { path: options.db };
  if (options.logLevel) overrides["logging"] = { level: options.logLevel };
  const config = loadConfig({ overrides });
  const logger = createAppLogger(config, { app: "devflow-mcp" });
  const mcp = await openMcpRuntime(config, { logger, projects, monitors: options.monitors });
  if (mcp.adminPasswordFile !== null) {
    process.stderr.write(
      `devflow-mcp: created the first user "admin"; its password is in ${mcp.adminPasswordFile}\n`,
    );
  }
  const serverFor = (caller: ToolContext["caller"]) =>
    createDevflowMcpServer(
      { ...mcp.context, caller },
      {
        version,
        tools: OPERATIONS,
        ...(options.toolsets === undefined ? {} : { toolsets: options.toolsets }),
        readOnly: options.readOnly || mcp.attached,
      },
    );
  let stop: (why: string) => void = () => undefined;
  const stopped = new Promise<string>((r) => (stop = r));
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  try {
    if (options.http) {
      const { startHttp } = await import("@devflow/mcp-tools/http");
      const server = await startHttp({
        host: options.host,
        port: options.port,
        allowedHosts: options.allowedHosts,
        allowedOrigins: options.allowedOrigins,
        auth: mcp.security.auth,
        logger,
        serverFor,
      });
      const address = server.address();
      const port = address !== null && typeof address === "object" ? address.port : options.port;
      process.stderr.write(`devflow-mcp: listening on http://${options.host}:${port}/mcp\n`);
      logger.info({ why: await stopped }, "devflow-mcp stopping");
      await new Promise<void>((r) => server.close(() => r()));
    } else {
      const stdio = await serveStdio({ serverFor });
      const why = await Promise.race([stopped, stdio.closed.then(() => "stdin closed")]);
      logger.info({ why }, "devflow-mcp stopping");
    }
  } finally {
    await mcp.close();
  }
}
