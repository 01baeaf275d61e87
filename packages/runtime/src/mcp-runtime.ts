import { isDevflowError, type Logger } from "@devflow/events";
import {
  ProjectRoots,
  type RuntimeStatusSnapshot,
  type ToolContext,
  type ToolControl,
} from "@devflow/mcp-tools";
import type { Storage } from "@devflow/storage";
import { AnalysisJobs } from "./analysis-jobs.js";
import { homeControl, openConfiguredStorage } from "./attach.js";
import type { DevflowConfig } from "./config.js";
import { createDevflow, type Devflow } from "./devflow.js";
import { ensureProject } from "./projects.js";
import { bootstrapAdmin, openSecurity, type Security } from "./security.js";
import { readRuntimeState } from "./state-file.js";

/** `aud` of access tokens accepted by the MCP server. */
export const MCP_AUDIENCE = "devflow-mcp";

/** Options of {@link openMcpRuntime}. */
export interface OpenMcpRuntimeOptions {
  logger: Logger;
  /** Project roots the server may read (canonical paths; registered on the way). Empty: all. */
  projects: readonly string[];
  /** Run the monitors in this process when no other DevFlow owns the home (default true). */
  monitors?: boolean;
}

/** What an MCP server runs on: the pieces of its `ToolContext`, and how to close them. */
export interface McpRuntime {
  readonly config: DevflowConfig;
  readonly storage: Storage;
  readonly security: Security;
  /** The DevFlow this process runs (monitors in-process), or null. */
  readonly devflow: Devflow | null;
  /** True when another process (`devflow up`) owns the home: this server only reads. */
  readonly attached: boolean;
  /** The file holding the first admin's password when this start created it, else null. */
  readonly adminPasswordFile: string | null;
  /** The tool context without its caller. */
  readonly context: Omit<ToolContext, "caller">;
  /** Stops the background import and the in-process DevFlow, or closes the database. */
  close(): Promise<void>;
}

/**
 * Opens what DevFlow's MCP server needs. When no DevFlow owns the home (and `monitors` is on),
 * it starts one in this process — the monitors of `projects` (or of every registered project),
 * with their git history imported in the background. Otherwise it attaches: it reads the
 * database, reports the running instance's status (its state file), and sends project writes
 * (`context.control`) through the running instance's control channel, so monitoring starts at
 * once.
 *
 * @example
 * const mcp = await openMcpRuntime(loadConfig(), { logger, projects: [] });
 * const server = createDevflowMcpServer({ ...mcp.context, caller }, { version, tools: OPERATIONS });
 * await mcp.close();
 */
export async function openMcpRuntime(
  config: DevflowConfig,
  options: OpenMcpRuntimeOptions,
): Promise<McpRuntime> {
  const { logger } = options;
  const devflow = await startInProcess(config, options);
  let storage: Storage;
  if (devflow !== null) storage = devflow.storage;
  else {
    storage = openConfiguredStorage(config, logger);
    for (const path of options.projects) ensureProject(storage, path);
  }
  const attached = devflow === null && readRuntimeState(config.home) !== null;
  try {
    const security = openSecurity({ home: config.home, storage, logger, audience: MCP_AUDIENCE });
    const adminPasswordFile = await bootstrapAdmin(config.home, security, logger);
    const roots = new ProjectRoots(
      options.projects.length > 0
        ? options.projects
        : storage.projects.list().map((p) => p.rootPath),
    );
    const runtimeStatus = (): RuntimeStatusSnapshot | null => {
      if (devflow !== null) {
        return {
          running: true,
          pid: process.pid,
          startedAt: devflow.startedAt,
          monitors: devflow.monitorStatuses(),
        };
      }
      const state = readRuntimeState(config.home);
      if (state === null) return null;
      const status = state.status as { monitors?: RuntimeStatusSnapshot["monitors"] } | null;
      return {
        running: true,
        pid: state.pid,
        startedAt: state.startedAt,
        monitors: status?.monitors ?? [],
      };
    };
    const control: ToolControl =
      devflow !== null
        ? {
            addProject: async (path, name) => {
              const { project, created } = ensureProject(devflow.storage, path, name);
              await devflow.addProject(project.rootPath);
              if (created) devflow.importInBackground([project]);
              return { project, created, monitoring: true };
            },
            removeProject: async (id) => ({ removed: await devflow.removeProject(id) }),
          }
        : homeControl(config);
    let closing: Promise<void> | undefined;
    return {
      config,
      storage,
      security,
      devflow,
      attached,
      adminPasswordFile,
      context: {
        storage,
        roots,
        home: config.home,
        clock: () => new Date(),
        logger,
        security: { auth: security.auth, users: security.users, apiKeys: security.apiKeys },
        runtimeStatus,
        control,
        // Bring stages and bottlenecks current before answering, unless another running
        // DevFlow owns the home (its analysis loop keeps them current).
        ...(attached
          ? {}
          : {
              analysis: new AnalysisJobs({
                storage,
                logger,
                ...(devflow === null ? {} : { engine: devflow.engine }),
              }),
            }),
      },
      close() {
        closing ??= (async () => {
          await security.auth.flushApiKeyUse().catch(() => undefined);
          if (devflow !== null) await devflow.stop();
          else storage.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    if (devflow !== null) await devflow.stop();
    else storage.close();
    throw err;
  }
}

/** Starts DevFlow in this process unless monitors are off or another process owns the home. */
async function startInProcess(
  config: DevflowConfig,
  options: OpenMcpRuntimeOptions,
): Promise<Devflow | null> {
  if (options.monitors === false || readRuntimeState(config.home) !== null) return null;
  const devflow = createDevflow(config, { logger: options.logger });
  try {
    const ids: string[] = [];
    for (const path of options.projects) ids.push((await devflow.addProject(path)).id);
    await devflow.start(ids.length > 0 ? { projects: ids } : {});
    devflow.importInBackground(
      devflow.storage.projects.list().filter((p) => ids.length === 0 || ids.includes(p.id)),
    );
    return devflow;
  } catch (err) {
    await devflow.stop();
    if (isDevflowError(err) && err.code === "RUNTIME_ALREADY_RUNNING") return null;
    throw err;
  }
}
