/**
 * What an operation runs with on the command line: the configured database, the local operator
 * as caller (whoever can read the DevFlow home), no root restriction beyond the registered
 * projects, the current directory as the default project, the running DevFlow's status when
 * one runs, project writes through it (`control`), and the persisting analyses (`analysis`)
 * unless a running DevFlow owns the home (its analysis loop keeps them current).
 */
import { userInfo } from "node:os";
import { parse } from "node:path";
import { ProjectRoots, type RuntimeStatusSnapshot, type ToolContext } from "@devflow/mcp-tools";
import { AnalysisJobs, homeControl, readRuntimeState } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, createLogger, openConfiguredStorage } from "../context.js";

/** An open command-line context; close it when the command is done. */
export interface CliSession {
  readonly ctx: ToolContext;
  close(): void;
}

function runtimeStatus(home: string): RuntimeStatusSnapshot | null {
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

/** Opens the context of one command from its global flags and the config. */
export function openCliSession(cmd: Command): CliSession {
  const config = configFrom(cmd);
  const storage = openConfiguredStorage(config);
  const logger = createLogger(config);
  const attached = readRuntimeState(config.home) !== null;
  const ctx: ToolContext = {
    storage,
    // The current directory first: relative paths resolve against it; the file system root
    // allows every path (the local operator can read the home anyway).
    roots: new ProjectRoots([process.cwd(), parse(process.cwd()).root]),
    home: config.home,
    clock: () => new Date(),
    logger,
    caller: { kind: "local", name: userInfo().username },
    runtimeStatus: () => runtimeStatus(config.home),
    control: homeControl(config),
    ...(attached ? {} : { analysis: new AnalysisJobs({ storage, logger }) }),
    defaultProject: process.cwd(),
    defaultTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  return { ctx, close: () => storage.close() };
}
