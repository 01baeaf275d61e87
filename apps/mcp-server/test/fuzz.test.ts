/**
 * 10,000 random and hostile calls to the built server over stdio as raw JSON-RPC lines,
 * pipelined in batches: the process never exits, every request id gets exactly one response
 * (a result or a JSON-RPC error), stdout carries nothing but JSON-RPC 2.0, and no path outside
 * the allowed root ever appears in a successful result or in the projects table.
 * Replay a run with FUZZ_SEED=<seed>; FUZZ_CALLS changes the number of calls.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { openSecurity } from "@devflow/runtime";
import { openStorage } from "@devflow/storage";
import { afterAll, describe, expect, it } from "vitest";
import { FuzzGenerator, type FuzzFixture, type ListedTool, Rng } from "./fuzz-inputs.js";
import { distIndex, makeGitRepo, serverEnv, tempDir } from "./support.js";
import { sqliteOf } from "@devflow/storage/testing";

const SEED = Number(process.env["FUZZ_SEED"] ?? 20_261_127);
const CALLS = Number(process.env["FUZZ_CALLS"] ?? 10_000);
const BATCH = 200;
const HUGE_STRINGS = 40;

interface Message {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  result?: { isError?: boolean; structuredContent?: unknown; content?: { text?: string }[] };
  error?: { code?: unknown; message?: unknown };
}

/** Drives the server over raw stdio lines and records everything it writes. */
class RawStdio {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly badLines: string[] = [];
  readonly responses = new Map<string, Message[]>();
  readonly untracked: Message[] = [];
  readonly tracked = new Set<string>();
  readonly sent = new Map<string, string>();
  readonly exited: Promise<number | null>;
  stderr = "";
  #buffer = "";
  #waiters: (() => void)[] = [];

  constructor(args: string[], home: string) {
    this.proc = spawn(process.execPath, [distIndex, ...args], { cwd: home, env: serverEnv(home) });
    this.exited = new Promise((resolve) => this.proc.once("exit", resolve));
    this.proc.stderr.on("data", (d: Buffer) => {
      if (this.stderr.length < 1_000_000) this.stderr += d.toString();
    });
    this.proc.stdout.on("data", (d: Buffer) => {
      this.#buffer += d.toString("utf8");
      let nl: number;
      while ((nl = this.#buffer.indexOf("\n")) !== -1) {
        this.#line(this.#buffer.slice(0, nl));
        this.#buffer = this.#buffer.slice(nl + 1);
      }
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  #line(line: string): void {
    let msg: Message;
    try {
      msg = JSON.parse(line) as Message;
    } catch {
      this.badLines.push(line.slice(0, 300));
      return;
    }
    const isResponse = "result" in msg || "error" in msg;
    const validId = typeof msg.id === "string" || typeof msg.id === "number";
    const ok =
      msg !== null &&
      typeof msg === "object" &&
      msg.jsonrpc === "2.0" &&
      (isResponse
        ? "result" in msg !== "error" in msg && (validId || msg.id === null)
        : typeof msg.method === "string");
    if (!ok) {
      this.badLines.push(line.slice(0, 300));
      return;
    }
    if (!isResponse) return;
    const key = `${typeof msg.id}:${String(msg.id)}`;
    if (!this.tracked.has(key)) {
      this.untracked.push(msg);
      return;
    }
    const list = this.responses.get(key) ?? [];
    list.push(msg);
    this.responses.set(key, list);
  }

  key(id: number | string): string {
    return `${typeof id}:${String(id)}`;
  }

  send(lines: string[]): void {
    this.proc.stdin.write(`${lines.join("\n")}\n`);
  }

  /** Waits until every id in `ids` has an answer; throws on timeout or exit. */
  async waitFor(ids: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (ids.every((k) => this.responses.has(k))) return;
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
        throw new Error(`server exited (${this.proc.exitCode ?? this.proc.signalCode})`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const missing = ids.filter((k) => !this.responses.has(k));
        throw new Error(
          `no answer to ${missing.length} requests, e.g. ${missing
            .slice(0, 3)
            .map((k) => `${k} ${(this.sent.get(k) ?? "").slice(0, 300)}`)
            .join("\n")}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Fields whose values the caller chose (echoed back, not resolved by the server). */
const ECHOED = new Set(["settings", "name", "subject", "message"]);

/** Every string inside `value` with the key it sits under, skipping caller-chosen fields. */
function strings(value: unknown, key = "", out: [string, string][] = []): [string, string][] {
  if (typeof value === "string") out.push([key, value]);
  else if (Array.isArray(value)) for (const v of value) strings(v, key, out);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (!ECHOED.has(k)) strings(v, k, out);
  return out;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function fixture(): Promise<FuzzFixture> {
  const root = tempDir("fuzz-root");
  const outside = tempDir("fuzz-outside");
  const home = tempDir("fuzz-home");
  dirs.push(root, outside, home, `${root}-evil`);
  makeGitRepo(root);
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "index.ts"), "export {};\n");
  mkdirSync(join(root, "sub"));
  symlinkSync(join(root, "src"), join(root, "sub", "inner-link"));
  writeFileSync(join(outside, "secret.txt"), "not for the model\n");
  symlinkSync(outside, join(root, "escape"));
  symlinkSync(join(outside, "secret.txt"), join(root, "escape-file"));
  symlinkSync(join(outside, "missing"), join(root, "dangling"));
  mkdirSync(`${root}-evil`);
  // A user with a key, so the security tools have something real to list, key and revoke.
  const storage = openStorage({ path: join(home, "devflow.db") });
  try {
    const security = openSecurity({
      home,
      storage,
      env: {},
      password: { params: { N: 1024, r: 8, p: 1 } },
    });
    const local = { kind: "local", name: "fuzz" } as const;
    await security.users.createUser({ username: "dev1", role: "developer" }, local);
    await security.apiKeys.create({ username: "dev1", name: "fuzz key" }, local);
  } finally {
    storage.close();
  }
  return { root, outside, home };
}

describe("stdio fuzz", () => {
  it(`survives ${CALLS.toLocaleString("en-US")} hostile calls with one JSON-RPC answer each and no path escapes`, async () => {
    const f = await fixture();
    const started = performance.now();
    const server = new RawStdio(["--toolsets", "all", "--project", f.root], f.home);
    const init = { jsonrpc: "2.0", id: "init", method: "initialize" };
    server.tracked.add(server.key("init"));
    server.send([
      JSON.stringify({
        ...init,
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "fuzz", version: "1" },
        },
      }),
    ]);
    await server.waitFor([server.key("init")], 30_000);
    server.send([JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })]);
    server.tracked.add(server.key("list"));
    server.send([JSON.stringify({ jsonrpc: "2.0", id: "list", method: "tools/list" })]);
    await server.waitFor([server.key("list")], 30_000);
    const tools = (server.responses.get(server.key("list"))?.[0]?.result as { tools: ListedTool[] })
      .tools;
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["register_project"]));

    const ajv = new AjvJsonSchemaValidator();
    const validators = new Map(
      tools.map((t) => [
        t.name,
        ajv.getValidator((t as { outputSchema?: object }).outputSchema ?? {}),
      ]),
    );
    const gen = new FuzzGenerator(new Rng(SEED), tools, f, HUGE_STRINGS);
    const sent = server.sent;
    let requests = 0;
    let noise = 0;
    while (requests < CALLS) {
      const lines: string[] = [];
      const ids: string[] = [];
      while (ids.length < BATCH && requests + ids.length < CALLS) {
        const line = gen.line();
        lines.push(line.text);
        if (line.kind === "noise") {
          noise++;
          continue;
        }
        const key = server.key(line.id);
        server.tracked.add(key);
        sent.set(key, line.text);
        ids.push(key);
      }
      requests += ids.length;
      server.send(lines);
      await server.waitFor(ids, 60_000).catch((err: Error) => {
        throw new Error(`seed ${SEED}: ${err.message}\nstderr: ${server.stderr.slice(-2000)}`);
      });
    }
    expect(server.proc.exitCode, server.stderr.slice(-2000)).toBeNull();

    // Still answering after the storm, then a clean exit when stdin closes.
    server.tracked.add(server.key("last"));
    server.send([
      JSON.stringify({
        jsonrpc: "2.0",
        id: "last",
        method: "tools/call",
        params: { name: "list_projects", arguments: {} },
      }),
    ]);
    await server.waitFor([server.key("last")], 30_000);
    server.proc.stdin.end();
    const code = await server.exited;
    const seconds = (performance.now() - started) / 1000;

    expect(server.badLines, `seed ${SEED}: non-JSON-RPC stdout lines`).toEqual([]);
    expect(code, server.stderr.slice(-2000)).toBe(0);

    const stats = { results: 0, isError: 0, rpcErrors: 0, internal: 0, outputInvalid: 0 };
    const codes = new Map<string, number>();
    const okByTool = new Map<string, number>();
    const escapes: string[] = [];
    const invalidOutputs = new Map<string, string>();
    const internals: string[] = [];
    const allowedHome = (tool: string) => tool === "export_data" || tool === "run_maintenance";
    for (const [key, answers] of server.responses) {
      expect(answers.length, `seed ${SEED}: ${key} answered ${answers.length} times`).toBe(1);
      const answer = answers[0]!;
      if (answer.error !== undefined) {
        stats.rpcErrors++;
        expect(typeof answer.error.code).toBe("number");
        expect(typeof answer.error.message).toBe("string");
        continue;
      }
      stats.results++;
      const request = JSON.parse(sent.get(key) ?? "{}") as {
        method?: string;
        params?: { name?: unknown; arguments?: unknown };
      };
      const tool = typeof request.params?.name === "string" ? request.params.name : "";
      if (answer.result?.isError === true) {
        stats.isError++;
        const text = answer.result.content?.[0]?.text ?? "";
        const code = /^([A-Z][A-Z_]+):/.exec(text)?.[1] ?? text.slice(0, 40);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === "INTERNAL") {
          stats.internal++;
          internals.push(`${tool} ${JSON.stringify(request.params?.arguments).slice(0, 200)}`);
        }
        if (text.includes("Output validation error")) stats.outputInvalid++;
        continue;
      }
      if (request.method !== "tools/call") continue;
      okByTool.set(tool, (okByTool.get(tool) ?? 0) + 1);
      // What an SDK client checks: the structured content against the advertised outputSchema.
      const check = validators.get(tool)?.(answer.result?.structuredContent);
      if (check && !check.valid) invalidOutputs.set(tool, check.errorMessage);
      for (const [field, s] of strings(answer.result?.structuredContent)) {
        const isPath = /path|root|dir|file/i.test(field) && s.startsWith("/");
        const leaks =
          s.includes(f.outside) ||
          s.includes(`${f.root}-evil`) ||
          s.includes("secret.txt") ||
          (isPath &&
            !(s === f.root || s.startsWith(`${f.root}/`)) &&
            !(allowedHome(tool) && s.startsWith(`${f.home}/`)));
        if (leaks) escapes.push(`${tool}.${field}: ${s.slice(0, 200)}`);
      }
      if (tool === "register_project") {
        const rootPath = (answer.result?.structuredContent as { project: { rootPath: string } })
          .project.rootPath;
        if (!(rootPath === f.root || rootPath.startsWith(`${f.root}/`))) escapes.push(rootPath);
      }
    }
    expect(server.responses.size).toBe(requests + 3);
    expect(escapes, `seed ${SEED}: paths outside the root in results`).toEqual([]);

    // The projects table, read after the server exited: nothing registered outside the root.
    const storage = openStorage({ path: join(f.home, "devflow.db") });
    try {
      const roots = sqliteOf(storage)
        .prepare<[], { root_path: string }>("SELECT root_path FROM projects")
        .all()
        .map((r) => r.root_path);
      for (const r of roots) expect(r === f.root || r.startsWith(`${f.root}/`), r).toBe(true);
    } finally {
      storage.close();
    }

    const summary = {
      seed: SEED,
      requests,
      noiseLines: noise,
      seconds: Math.round(seconds * 10) / 10,
      ...stats,
      untrackedAnswers: server.untracked.length,
      codes: Object.fromEntries([...codes].sort((a, b) => b[1] - a[1]).slice(0, 25)),
      internals: internals.slice(0, 10),
      successesByTool: Object.fromEntries([...okByTool].sort()),
    };
    console.log(`fuzz summary: ${JSON.stringify(summary, null, 1)}`);
    expect(stats.results).toBeGreaterThan(requests / 2);
    // Bad input must be refused with a clear error, never an unexpected failure.
    expect(internals, `seed ${SEED}: INTERNAL tool failures`).toEqual([]);
    expect(stats.outputInvalid, `seed ${SEED}: outputs that failed their own schema`).toBe(0);
    expect(
      Object.fromEntries(invalidOutputs),
      `seed ${SEED}: results that do not match the advertised outputSchema`,
    ).toEqual({});
  }, 180_000);
});
