/**
 * The control channel over a real Unix socket, served by a started DevFlow (temp home):
 * - the socket is 0600 and answers `status` with the live snapshot;
 * - `projects.add` registers a real repository and `projects.remove` unregisters it;
 * - `subscribe` pushes live events matching the pattern and nothing else;
 * - bad JSON, unknown methods and unknown keys get error replies naming the problem, and the
 *   connection stays usable; an over-long line closes the connection;
 * - a client that never reads gets events dropped (counted), the server's buffer stays bounded;
 * - a stale socket file left by a dead owner is replaced; a non-socket at the path is refused.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type DevflowEvent, EventEngine } from "@devflow/events";
import {
  ControlClient,
  controlSocketPath,
  createDevflow,
  type Devflow,
  loadConfig,
  startControlServer,
} from "../src/index.js";

const dirs: string[] = [];
const running: Devflow[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const d of running.splice(0)) await d.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function startedDevflow(): Promise<Devflow> {
  const home = temp("devflow-ctl-");
  const config = loadConfig({
    env: {},
    overrides: { home, monitors: { ai: { enabled: false } }, analysis: { enabled: false } },
  });
  const devflow = createDevflow(config);
  running.push(devflow);
  await devflow.start({ monitors: false });
  return devflow;
}

/** A raw socket to the server, collecting reply lines. */
async function rawClient(path: string): Promise<{ socket: Socket; next: () => Promise<unknown> }> {
  const socket = connect(path);
  await new Promise<void>((r) => socket.once("connect", () => r()));
  cleanups.push(() => socket.destroy());
  const lines: unknown[] = [];
  const waiters: Array<() => void> = [];
  let buf = "";
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      lines.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  let read = 0;
  const next = () =>
    new Promise<unknown>((resolve) => {
      const check = () => (lines.length > read ? resolve(lines[read++]) : waiters.push(check));
      check();
    });
  return { socket, next };
}

describe("control channel", () => {
  it("answers status, adds and removes projects, and streams matching events", async () => {
    const devflow = await startedDevflow();
    const path = controlSocketPath(devflow.config.home);
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const client = await ControlClient.connect(devflow.config.home);
    cleanups.push(() => client.close());
    const status = await client.status();
    expect(status).toMatchObject({ running: true, pid: process.pid, home: devflow.config.home });
    expect(status.components.find((c) => c.name === "control channel")?.state).toBe("running");

    const repo = temp("devflow-ctl-repo-");
    execFileSync("git", ["init", "-q", repo]);
    const added = await client.addProject(repo, "demo");
    expect(added).toMatchObject({ created: true, monitoring: false });
    expect(added.project).toMatchObject({ name: "demo", rootPath: repo });
    expect(devflow.storage.projects.list().map((p) => p.rootPath)).toEqual([repo]);
    expect((await client.addProject(repo)).created).toBe(false);

    const seen: DevflowEvent[] = [];
    await client.subscribe("file.*", (e) => seen.push(e));
    await devflow.engine.emit({
      type: "git.tag",
      source: "t",
      data: { tag: "v1", hash: "abcdef1" },
    });
    await devflow.engine.emit({ type: "file.changed", source: "t", data: { path: "a.ts" } });
    await expect.poll(() => seen.map((e) => e.type)).toEqual(["file.changed"]);

    expect(await client.removeProject(added.project.id)).toEqual({ removed: true });
    expect(devflow.storage.projects.list()).toEqual([]);
  });

  it("replies with errors naming bad JSON, unknown methods and unknown keys", async () => {
    const devflow = await startedDevflow();
    const { socket, next } = await rawClient(controlSocketPath(devflow.config.home));
    socket.write("not json\n");
    expect(await next()).toMatchObject({
      id: null,
      ok: false,
      error: { code: "RUNTIME_CONTROL_BAD_REQUEST", message: "request is not valid JSON" },
    });
    socket.write(`${JSON.stringify({ id: 1, method: "reboot" })}\n`);
    expect(await next()).toMatchObject({ id: 1, ok: false, error: { message: /method/ } });
    socket.write(`${JSON.stringify({ id: 2, method: "status", force: true })}\n`);
    expect(await next()).toMatchObject({ id: 2, ok: false, error: { message: /"force"/ } });
    socket.write(
      `${JSON.stringify({ id: 3, method: "projects.add", params: { path: "/x", colour: 1 } })}\n`,
    );
    expect(await next()).toMatchObject({
      id: 3,
      ok: false,
      error: { message: /params: Unrecognized key: "colour"/ },
    });
    socket.write(
      `${JSON.stringify({ id: 4, method: "projects.add", params: { path: "/nope/x" } })}\n`,
    );
    expect(await next()).toMatchObject({
      id: 4,
      ok: false,
      error: { code: "RUNTIME_BAD_PROJECT", message: /\/nope\/x/ },
    });
    socket.write(`${JSON.stringify({ id: 5, method: "subscribe", params: { pattern: "**" } })}\n`);
    expect(await next()).toMatchObject({ id: 5, ok: false, error: { code: "EVENTS_BAD_PATTERN" } });
    socket.write(`${JSON.stringify({ id: "s", method: "status" })}\n`);
    expect(await next()).toMatchObject({ id: "s", ok: true, result: { running: true } });

    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    socket.write("x".repeat(1024 * 1024 + 10));
    expect(await next()).toMatchObject({ ok: false, error: { message: /longer than/ } });
    await closed;
  });

  it("drops events for a client that does not read, keeping its buffer bounded", async () => {
    const home = temp("devflow-ctl-slow-");
    mkdirSync(join(home, "run"), { recursive: true, mode: 0o700 });
    const engine = new EventEngine({ highWaterMark: 100_000, batchSize: 1000 });
    const soft = 64 * 1024;
    const server = await startControlServer({
      home,
      softBufferBytes: soft,
      hardBufferBytes: 64 * 1024 * 1024,
      handlers: {
        status: () => ({}),
        addProject: () => Promise.resolve({}),
        removeProject: () => Promise.resolve({}),
        subscribe: (pattern, handler) => engine.subscribe(pattern, handler),
      },
    });
    cleanups.push(() => server.close());
    const { socket, next } = await rawClient(server.path);
    socket.write(`${JSON.stringify({ id: 1, method: "subscribe", params: {} })}\n`);
    expect(await next()).toMatchObject({ id: 1, ok: true });
    socket.pause(); // never read again
    const body = "y".repeat(2000);
    const total = 5000; // ~10 MB of events, far above what the kernel and the soft limit hold
    for (let i = 0; i < total; i++)
      await engine.emit({ type: "file.changed", source: "t", data: { path: `${body}${i}` } });
    expect(server.counters.dropped).toBeGreaterThan(0);
    expect(server.counters.dropped).toBeLessThan(total);
    expect(server.clients).toBe(1);
    await engine.stop();
  });

  it("replaces a stale socket file and refuses a path that is not a socket", async () => {
    const home = temp("devflow-ctl-stale-");
    mkdirSync(join(home, "run"), { recursive: true, mode: 0o700 });
    const path = controlSocketPath(home);
    // A socket file left behind by a server that was SIGKILLed while listening.
    spawnSync(process.execPath, [
      "-e",
      `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`,
    ]);
    expect(statSync(path).isSocket()).toBe(true);
    const handlers = {
      status: () => ({ ok: 1 }),
      addProject: () => Promise.resolve({}),
      removeProject: () => Promise.resolve({}),
      subscribe: () => () => undefined,
    };
    const server = await startControlServer({ home, handlers });
    cleanups.push(() => server.close());
    const client = await ControlClient.connect(home);
    cleanups.push(() => client.close());
    expect(await client.request("status")).toEqual({ ok: 1 });
    await server.close();

    const other = join(home, "run", "not-a-socket");
    writeFileSync(other, "data");
    await expect(startControlServer({ home, handlers, path: other })).rejects.toMatchObject({
      code: "RUNTIME_CONTROL_UNAVAILABLE",
      message: expect.stringContaining("not a socket"),
    });
  });
});
