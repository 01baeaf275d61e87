/**
 * @module @devflow/mcp-tools/stdio
 * The stdio transport of DevFlow's MCP server (Node only): stdout carries nothing but JSON-RPC.
 * Kept apart from `@devflow/mcp-tools/http`, so a stdio server never loads the HTTP stack.
 */
import { userInfo } from "node:os";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { LocalCaller } from "../context.js";

/** Options of {@link serveStdio}. */
export interface ServeStdioOptions {
  /** Builds the MCP server for the local operator. */
  serverFor: (caller: LocalCaller) => McpServer;
}

/** A server connected to stdin/stdout. */
export interface StdioServing {
  /** Resolves when the client closes stdin. */
  readonly closed: Promise<void>;
  /** Closes the server and its transport. */
  close(): Promise<void>;
}

/** The local operator: whoever started the server (the OS user name, else `local`). */
export function localCaller(): LocalCaller {
  try {
    return { kind: "local", name: userInfo().username };
  } catch {
    return { kind: "local", name: "local" };
  }
}

/** Connects the local operator's MCP server to stdin/stdout. */
export async function serveStdio(options: ServeStdioOptions): Promise<StdioServing> {
  const server = options.serverFor(localCaller());
  const closed = new Promise<void>((resolve) => process.stdin.once("close", () => resolve()));
  await server.connect(new StdioServerTransport());
  return { closed, close: () => server.close() };
}
