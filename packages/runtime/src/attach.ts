/**
 * "Attach if running, else work alone": the one place that decides whether a command talks to
 * the running DevFlow of a home (through its control channel) or opens the database itself.
 * The CLI, the MCP server and (later) the HTTP API call these functions.
 */
import type { DevflowEvent, Logger } from "@devflow/events";
import type { ToolControl } from "@devflow/mcp-tools";
import { openStorage, type Project, type Storage, type StorageInfo } from "@devflow/storage";
import type { DevflowConfig } from "./config.js";
import { type AddProjectReply, ControlClient } from "./control-client.js";
import { createDevflow, type DevflowStatus } from "./devflow.js";
import { type LockOwner, readLockOwner } from "./home-lock.js";
import { ensureProject, findRepositoryRoot, resolveProject } from "./projects.js";
import { readRuntimeState } from "./state-file.js";

/** A connection to the running DevFlow of a home. */
export interface AttachedDevflow {
  readonly owner: LockOwner;
  readonly client: ControlClient;
}

/**
 * Connects to the running DevFlow of `home`; null when none runs (nobody holds the lock, or its
 * holder does not answer on the control channel — then callers work alone on the database).
 */
export async function attachDevflow(home: string): Promise<AttachedDevflow | null> {
  const owner = readLockOwner(home);
  if (owner === null) return null;
  try {
    return { owner, client: await ControlClient.connect(home) };
  } catch {
    return null;
  }
}

/** Opens the configured database (migrated); the caller closes it. */
export function openConfiguredStorage(config: DevflowConfig, logger?: Logger): Storage {
  return openStorage({
    path: config.storage.path,
    synchronous: config.storage.synchronous,
    busyTimeoutMs: config.storage.busyTimeoutMs,
    retentionDays: config.storage.retentionDays,
    ...(logger ? { logger } : {}),
  });
}

/** Where an operation ran: in the running DevFlow, or on the database by this process. */
export type Via = "running" | "database";

/** What {@link registerProjectInHome} did. */
export interface RegisterProjectResult extends AddProjectReply {
  via: Via;
}

/**
 * Registers a project: through the running DevFlow when one runs (it starts monitoring at once
 * and imports the history in the background), else in the database.
 *
 * @throws DevflowError `RUNTIME_BAD_PROJECT` when the path is not a directory.
 */
export async function registerProjectInHome(
  config: DevflowConfig,
  path: string,
  name?: string,
): Promise<RegisterProjectResult> {
  const attached = await attachDevflow(config.home);
  if (attached !== null) {
    try {
      return { ...(await attached.client.addProject(path, name)), via: "running" };
    } finally {
      attached.client.close();
    }
  }
  const storage = openConfiguredStorage(config);
  try {
    return { ...ensureProject(storage, path, name), monitoring: false, via: "database" };
  } finally {
    storage.close();
  }
}

/**
 * Unregisters a project (by id or a path inside it): through the running DevFlow when one runs
 * (its monitors stop), else in the database. Stored data is kept.
 *
 * @throws DevflowError `RUNTIME_UNKNOWN_PROJECT` naming what was looked up.
 */
export async function unregisterProjectInHome(
  config: DevflowConfig,
  idOrPath: string,
): Promise<{ removed: Project; via: Via }> {
  const storage = openConfiguredStorage(config);
  let project: Project;
  try {
    project = resolveProject(storage, idOrPath);
    const attached = await attachDevflow(config.home);
    if (attached === null) {
      storage.projects.remove(project.id);
      return { removed: project, via: "database" };
    }
    try {
      await attached.client.removeProject(project.id);
      return { removed: project, via: "running" };
    } finally {
      attached.client.close();
    }
  } finally {
    storage.close();
  }
}

/**
 * The `control` hook of a tool context for a process that runs no DevFlow itself (the CLI, an
 * MCP server beside `devflow up`): project writes go through the running DevFlow of the home
 * when one runs (monitoring starts or stops at once), else to the database.
 */
export function homeControl(config: DevflowConfig): ToolControl {
  return {
    addProject: async (path, name) => {
      const r = await registerProjectInHome(config, path, name);
      return { project: r.project, created: r.created, monitoring: r.monitoring };
    },
    removeProject: async (id) => {
      await unregisterProjectInHome(config, id);
      return { removed: true };
    },
  };
}

/** What `devflow status` shows. */
export interface StatusReport {
  running: boolean;
  pid: number | null;
  startedAt: number | null;
  updatedAt: number | null;
  home: string;
  database: StorageInfo;
  projects: Project[];
  components: DevflowStatus["components"];
  monitors: DevflowStatus["monitors"];
  engine: DevflowStatus["engine"] | null;
}

/**
 * The status of a home: asked of the running DevFlow when one runs (live), else read from the
 * database and the last state file.
 */
export async function readStatus(config: DevflowConfig): Promise<StatusReport> {
  const attached = await attachDevflow(config.home);
  if (attached !== null) {
    try {
      const live = await attached.client.status();
      return {
        running: true,
        pid: live.pid,
        startedAt: live.startedAt,
        updatedAt: Date.now(),
        home: live.home,
        database: live.database,
        projects: live.projects,
        components: live.components,
        monitors: live.monitors,
        engine: live.engine,
      };
    } finally {
      attached.client.close();
    }
  }
  const state = readRuntimeState(config.home);
  const live = state?.status as Partial<DevflowStatus> | null | undefined;
  const storage = openConfiguredStorage(config);
  try {
    return {
      running: state !== null,
      pid: state?.pid ?? null,
      startedAt: state?.startedAt ?? null,
      updatedAt: state?.updatedAt ?? null,
      home: config.home,
      database: storage.info(),
      projects: storage.projects.list(),
      components: live?.components ?? [],
      monitors: live?.monitors ?? [],
      engine: live?.engine ?? null,
    };
  } finally {
    storage.close();
  }
}

/** Options of {@link watchDevflow}. */
export interface WatchOptions {
  /** Event types to receive: `*`, `<category>.*` or a type (default `*`). */
  pattern?: string;
  /** A project to watch: registered (and, when attached, monitored at once) if new. */
  path?: string;
  /**
   * Alone, without `path` and with no project registered: watch the repository containing this
   * directory (registering it).
   */
  cwd?: string;
  logger?: Logger;
  /** Called when the watch ends by itself (the running DevFlow stopped). */
  onEnd?: (reason: string) => void;
}

/** A running watch. */
export interface Watch {
  /** `attached`: events of the running DevFlow; `alone`: this process runs the monitors. */
  readonly mode: "attached" | "alone";
  /** The projects watched (alone), or every project of the running DevFlow (attached). */
  readonly projects: Project[];
  /** Ends the watch (stops the monitors when alone). */
  stop(): Promise<void>;
}

/**
 * Tails the events of a home: from the running DevFlow through its control channel when one
 * runs, else by running the monitors in this process (as `devflow watch` always did).
 */
export async function watchDevflow(
  config: DevflowConfig,
  handler: (event: DevflowEvent) => void,
  options: WatchOptions = {},
): Promise<Watch> {
  const pattern = options.pattern ?? "*";
  const attached = await attachDevflow(config.home);
  if (attached !== null) {
    const { client } = attached;
    try {
      if (options.path !== undefined) await client.addProject(options.path);
      await client.subscribe(pattern, handler);
      const status = await client.status();
      client.onClose(() => options.onEnd?.("the running DevFlow closed the channel"));
      return {
        mode: "attached",
        projects: status.projects,
        stop: () => Promise.resolve(client.close()),
      };
    } catch (err) {
      client.close();
      throw err;
    }
  }
  const devflow = createDevflow(config, {
    ...(options.logger ? { logger: options.logger } : {}),
  });
  try {
    let projects: Project[] | undefined;
    if (options.path !== undefined) projects = [await devflow.addProject(options.path)];
    else if (options.cwd !== undefined && devflow.storage.projects.list().length === 0) {
      const root = findRepositoryRoot(options.cwd);
      projects = root === null ? [] : [await devflow.addProject(root)];
    }
    devflow.engine.subscribe(pattern, handler);
    await devflow.start(projects ? { projects: projects.map((p) => p.id) } : {});
    return {
      mode: "alone",
      projects: projects ?? devflow.storage.projects.list(),
      stop: () => devflow.stop(),
    };
  } catch (err) {
    await devflow.stop();
    throw err;
  }
}
