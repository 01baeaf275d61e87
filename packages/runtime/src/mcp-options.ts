import type { Command } from "commander";
import { InvalidArgumentError, Option } from "commander";
import { parseToolsets } from "@devflow/mcp-tools";
import type { ToolsetName } from "@devflow/mcp-tools";

/** The parsed command line of `devflow-mcp`. */
export interface McpServerOptions {
  http: boolean;
  host: string;
  port: number;
  allowedHosts: string[];
  allowedOrigins: string[];
  toolsets: (ToolsetName | "all")[] | undefined;
  readOnly: boolean;
  projects: string[];
  monitors: boolean;
  home: string | undefined;
  db: string | undefined;
  logLevel: string | undefined;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError(`expected 0-65535, got "${value}"`);
  return n;
}

/** Builds the commander definition shared by `devflow-mcp` and `devflow mcp`. */
export function defineMcpOptions(command: Command): Command {
  return command
    .option("--http", "serve Streamable HTTP instead of stdio")
    .option("--host <host>", "HTTP bind address", "127.0.0.1")
    .addOption(
      new Option("--port <port>", "HTTP port (0 = any free port)").default(7430).argParser(port),
    )
    .option(
      "--allowed-host <host:port>",
      "extra Host header value to accept (repeatable)",
      collect,
      [],
    )
    .option(
      "--allowed-origin <origin>",
      "Origin to accept, e.g. http://localhost:3000 (repeatable)",
      collect,
      [],
    )
    .option(
      "--toolsets <list>",
      "comma-separated toolsets: project,stage,metrics,git,delivery,ai,system,security,data or all",
    )
    .option("--read-only", "hide every tool that writes")
    .option(
      "--project <path>",
      "a project root this server may read (repeatable; an allowlist)",
      collect,
      [],
    )
    .option("--no-monitors", "do not start monitors in this process (attach to the database only)")
    .option("--home <dir>", "DevFlow home (default: $DEVFLOW_HOME or ~/.devflow)")
    .option("--db <file>", "database file (default: <home>/devflow.db)")
    .option("--log-level <level>", "trace|debug|info|warn|error|fatal|silent (logs go to stderr)");
}

/** Reads the parsed options of a command defined with {@link defineMcpOptions}. */
export function readMcpOptions(command: Command): McpServerOptions {
  const o = command.opts<{
    http?: boolean;
    host: string;
    port: number;
    allowedHost: string[];
    allowedOrigin: string[];
    toolsets?: string;
    readOnly?: boolean;
    project: string[];
    monitors: boolean;
    home?: string;
    db?: string;
    logLevel?: string;
  }>();
  return {
    http: o.http === true,
    host: o.host,
    port: o.port,
    allowedHosts: o.allowedHost,
    allowedOrigins: o.allowedOrigin,
    toolsets: o.toolsets === undefined ? undefined : parseToolsets(o.toolsets),
    readOnly: o.readOnly === true,
    projects: o.project,
    monitors: o.monitors,
    home: o.home,
    db: o.db,
    logLevel: o.logLevel,
  };
}
