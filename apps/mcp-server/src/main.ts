/**
 * `devflow-mcp` (also `devflow mcp`): DevFlow's MCP server. stdio by default (stdout carries
 * nothing but JSON-RPC; logs go to stderr), Streamable HTTP with `--http`. It starts the
 * monitors of its projects in-process, or — when another DevFlow already runs on the same
 * home, or with `--no-monitors` — attaches to the database (read-only when attaching to
 * another process's database).
 */
import { realpathSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { Command } from "commander";
import { pino } from "pino";
import { DevflowError, isDevflowError, type Logger } from "@devflow/events";
import {
  OPERATIONS,
  createDevflowMcpServer,
  ProjectRoots,
  type RuntimeStatusSnapshot,
  type ToolContext,
} from "@devflow/mcp-tools";
import {
  bootstrapAdmin,
  createDevflow,
  type Devflow,
  ensureProject,
  findRepositoryRoot,
  loadConfig,
  openSecurity,
  readRuntimeState,
} from "@devflow/runtime";
import { importGitHistory } from "@devflow/monitors";
import { pinoRedaction, redactSecrets } from "@devflow/security";
import { openStorage, type Storage } from "@devflow/storage";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { startHttp } from "./http.js";
import { defineMcpOptions, type McpServerOptions, readMcpOptions } from "./options.js";

export { defineMcpOptions, readMcpOptions } from "./options.js";
export type { McpServerOptions } from "./options.js";
export { installClaudeDesktop, claudeDesktopConfigPath } from "./claude-desktop.js";

/** `aud` of access tokens accepted by the MCP server. */
export const MCP_AUDIENCE = "devflow-mcp";

function stateSnapshot(home: string): RuntimeStatusSnapshot | null {
  const state = readRuntimeState(home);
  if (state === null) return null;
  const status = state.status as { monitors?: RuntimeStatusSnapshot["monitors"] } | null;
  return {
    running: true,
    pid: state.pid,
    startedAt: state.startedAt,
    monitors: status?.monitors ?? [],
  };
}

const imports = new AbortController();

/** Imports the git history of the monitored projects after start, one at a time. */
function importInBackground(devflow: Devflow, ids: readonly string[], logger: Logger): void {
  const projects = devflow.storage.projects
    .list()
    .filter((p) => ids.length === 0 || ids.includes(p.id))
    .filter((p) => findRepositoryRoot(p.rootPath) !== null);
  void (async () => {
    for (const project of projects) {
      if (imports.signal.aborted) return;
      try {
        const r = await importGitHistory({
          storage: devflow.storage,
          project,
          messages: devflow.config.monitors.git.messages,
          signal: imports.signal,
        });
        logger.info({ project: project.id, ...r }, "git history imported");
      } catch (err) {
        if (!imports.signal.aborted)
          logger.warn({ err, project: project.id }, "git history import failed");
      }
    }
  })();
}

interface Opened {
  storage: Storage;
  devflow: Devflow | null;
  attached: boolean;
}

async function open(
  opts: McpServerOptions,
  logger: Logger,
): Promise<Opened & { config: ReturnType<typeof loadConfig> }> {
  const overrides: Record<string, unknown> = {};
  if (opts.home) overrides["home"] = opts.home;
  if (opts.db) overrides["storage"] = { path: opts.db };
  if (opts.logLevel) overrides["logging"] = { level: opts.logLevel };
  const config = loadConfig({ overrides });
  const other = readRuntimeState(config.home);
  if (opts.monitors && other === null) {
    const devflow = createDevflow(config, { logger: logger });
    try {
      const ids: string[] = [];
      for (const path of opts.projects) ids.push((await devflow.addProject(path)).id);
      await devflow.start(ids.length > 0 ? { projects: ids } : {});
      importInBackground(devflow, ids, logger);
      return { config, storage: devflow.storage, devflow, attached: false };
    } catch (err) {
      await devflow.stop();
      if (!(isDevflowError(err) && err.code === "RUNTIME_ALREADY_RUNNING")) throw err;
    }
  }
  const storage = openStorage({
    path: config.storage.path,
    synchronous: config.storage.synchronous,
    busyTimeoutMs: config.storage.busyTimeoutMs,
    logger,
  });
  for (const path of opts.projects) ensureProject(storage, path);
  return { config, storage, devflow: null, attached: readRuntimeState(config.home) !== null };
}

/** Runs the server until the client disconnects (stdio) or SIGINT/SIGTERM. */
export async function serve(given: McpServerOptions, version: string): Promise<void> {
  // Canonical project roots (symlinks resolved), so stored roots match the allowlist.
  const opts = {
    ...given,
    projects: given.projects.map((p) => {
      try {
        return realpathSync(p);
      } catch {
        return resolve(p);
      }
    }),
  };
  const level = opts.logLevel ?? process.env["DEVFLOW_LOG_LEVEL"] ?? "warn";
  const logger = pino(
    { level, base: { app: "devflow-mcp" }, ...pinoRedaction() },
    pino.destination(2),
  );
  const { config, storage, devflow, attached } = await open(opts, logger);
  const roots = new ProjectRoots(
    opts.projects.length > 0 ? opts.projects : storage.projects.list().map((p) => p.rootPath),
  );
  const security = openSecurity({ home: config.home, storage, logger, audience: MCP_AUDIENCE });
  const adminFile = await bootstrapAdmin(config.home, security, logger);
  if (adminFile !== null) {
    process.stderr.write(
      `devflow-mcp: created the first user "admin"; its password is in ${adminFile}\n`,
    );
  }
  const runtimeStatus = (): RuntimeStatusSnapshot | null =>
    devflow !== null
      ? {
          running: true,
          pid: process.pid,
          startedAt: devflow.startedAt,
          monitors: devflow.monitorStatuses(),
        }
      : stateSnapshot(config.home);
  const base: Omit<ToolContext, "caller"> = {
    storage,
    roots,
    home: config.home,
    clock: () => new Date(),
    logger,
    security: { auth: security.auth, users: security.users, apiKeys: security.apiKeys },
    runtimeStatus,
  };
  const serverFor = (caller: ToolContext["caller"]) =>
    createDevflowMcpServer(
      { ...base, caller },
      {
        version,
        tools: OPERATIONS,
        ...(opts.toolsets === undefined ? {} : { toolsets: opts.toolsets }),
        readOnly: opts.readOnly || attached,
      },
    );
  let closing = false;
  const close = async (why: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info({ why }, "devflow-mcp stopping");
    await security.auth.flushApiKeyUse().catch(() => undefined);
    imports.abort();
    if (devflow !== null) await devflow.stop();
    else storage.close();
  };
  const done = new Promise<void>((resolve) => {
    const stop = (why: string) => void close(why).finally(resolve);
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
    if (!opts.http) process.stdin.once("close", () => stop("stdin closed"));
  });
  if (opts.http) {
    const server = await startHttp({
      host: opts.host,
      port: opts.port,
      allowedHosts: opts.allowedHosts,
      allowedOrigins: opts.allowedOrigins,
      auth: security.auth,
      logger,
      serverFor,
    });
    const address = server.address();
    const port = address !== null && typeof address === "object" ? address.port : opts.port;
    process.stderr.write(`devflow-mcp: listening on http://${opts.host}:${port}/mcp\n`);
    await done;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } else {
    let name = "local";
    try {
      name = userInfo().username;
    } catch {
      // keep "local"
    }
    await serverFor({ kind: "local", name }).connect(new StdioServerTransport());
    await done;
  }
}

/** Parses `argv` (without node and script) and runs the server. */
export async function runMcpServer(argv: readonly string[], version: string): Promise<void> {
  const program = defineMcpOptions(new Command("devflow-mcp"))
    .description("DevFlow's MCP server (stdio by default; --http for Streamable HTTP)")
    .version(version)
    .exitOverride();
  program.parse([...argv], { from: "user" });
  await serve(readMcpOptions(program), version);
}

/** Prints one clear error line on stderr and sets a failing exit code. */
export function reportFatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (
    err instanceof DevflowError ||
    !(err instanceof Error && "code" in err && String(err.code).startsWith("commander."))
  ) {
    process.stderr.write(`devflow-mcp: ${redactSecrets(message)}\n`);
  }
  process.exitCode = 1;
}
