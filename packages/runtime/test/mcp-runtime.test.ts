/**
 * openMcpRuntime (temp homes, real git repositories, real sockets):
 * - with nothing running it starts DevFlow in-process (owning the home) and its `control` hook
 *   registers and monitors a project at once;
 * - beside a running DevFlow it attaches: no in-process instance, the running one's status, and
 *   project writes through the control channel, so the running instance monitors them at once;
 * - createAppLogger writes `logging.file` at `logging.level`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { noopLogger } from "@devflow/events";
import {
  createDevflow,
  type Devflow,
  loadConfig,
  type McpRuntime,
  openMcpRuntime,
  readLockOwner,
} from "../src/index.js";
import { createAppLogger } from "../src/logger.js";

const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function repo(): string {
  const dir = temp("devflow-mcprt-repo-");
  execFileSync("git", ["init", "-q", dir]);
  return dir;
}

function config(home: string) {
  return loadConfig({
    env: {},
    overrides: {
      home,
      monitors: {
        ai: { enabled: false },
        system: { enabled: false },
        activity: { enabled: false },
      },
      analysis: { enabled: false },
    },
  });
}

async function open(home: string): Promise<McpRuntime> {
  const mcp = await openMcpRuntime(config(home), { logger: noopLogger, projects: [] });
  closers.push(() => mcp.close());
  return mcp;
}

describe("openMcpRuntime", () => {
  it("starts DevFlow in-process when nothing runs, and its control hook monitors at once", async () => {
    const home = temp("devflow-mcprt-");
    const mcp = await open(home);
    expect(mcp.attached).toBe(false);
    expect(mcp.devflow?.running).toBe(true);
    expect(readLockOwner(home)?.pid).toBe(process.pid);
    const dir = repo();
    const r = await mcp.context.control!.addProject(dir, "solo");
    expect(r).toMatchObject({ created: true, monitoring: true, project: { name: "solo" } });
    const monitored = mcp.devflow!.monitorStatuses().filter((m) => m.projectId === r.project.id);
    expect(monitored.map((m) => m.name)).toContain("file");
    expect(mcp.context.runtimeStatus?.()?.pid).toBe(process.pid);
  });

  it("attaches beside a running DevFlow and sends project writes through its channel", async () => {
    const home = temp("devflow-mcprt-att-");
    const running: Devflow = createDevflow(config(home));
    closers.push(() => running.stop());
    await running.start();
    const mcp = await open(home);
    expect(mcp.attached).toBe(true);
    expect(mcp.devflow).toBeNull();

    const dir = repo();
    const r = await mcp.context.control!.addProject(dir);
    expect(r).toMatchObject({ created: true, monitoring: true });
    // The running instance (not this runtime) monitors it now.
    const names = running
      .monitorStatuses()
      .filter((m) => m.projectId === r.project.id)
      .map((m) => m.name);
    expect(names).toContain("file");
    expect(await mcp.context.control!.removeProject(r.project.id)).toEqual({ removed: true });
    expect(running.monitorStatuses().some((m) => m.projectId === r.project.id)).toBe(false);
    expect(running.storage.projects.list()).toEqual([]);
  });
});

describe("createAppLogger", () => {
  it("writes JSON lines to logging.file at logging.level, tagged with the app", async () => {
    const home = temp("devflow-logger-");
    const file = join(home, "logs", "devflow.log");
    const cfg = loadConfig({ env: {}, overrides: { home, logging: { level: "info", file } } });
    const logger = createAppLogger(cfg, { app: "devflow-test" });
    logger.debug("hidden");
    logger.info({ n: 1 }, "shown");
    // The file is opened asynchronously (pino's destination); wait for the line.
    await expect
      .poll(() => (existsSync(file) ? readFileSync(file, "utf8") : ""))
      .toContain("shown");
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ app: "devflow-test", msg: "shown", n: 1, level: 30 });
  });
});
