/**
 * Shared helpers of the built-server tests: temp homes and git repositories, the child
 * environment (a temp DEVFLOW_HOME, no inherited key material), an SDK client over stdio, and
 * `--http --port 0` servers whose port is read from the listening line on stderr.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

/** The built server entry point. */
export const distIndex = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** A new temp directory, canonical (symlinks resolved) so paths compare exactly. */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `devflow-mcp-${prefix}-`)));
}

function git(cwd: string, args: string[]): void {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_DATE: "2026-01-05T10:00:00Z",
      GIT_COMMITTER_DATE: "2026-01-05T10:00:00Z",
      GIT_CONFIG_NOSYSTEM: "1",
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
}

/** Turns `dir` into a git repository with one commit (README.md). */
export function makeGitRepo(dir: string): void {
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "user.name", "Test Dev"]);
  git(dir, ["config", "user.email", "dev@example.test"]);
  git(dir, ["config", "commit.gpgsign", "false"]);
  writeFileSync(join(dir, "README.md"), "# fixture\n");
  git(dir, ["add", "README.md"]);
  git(dir, ["commit", "-q", "-m", "feat: initial commit"]);
}

/** The environment of a spawned server: `home` as DEVFLOW_HOME, keys only from its key file. */
export function serverEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env["DEVFLOW_JWT_KEYS"];
  delete env["DEVFLOW_ENCRYPTION_KEYS"];
  delete env["DEVFLOW_LOG_LEVEL"];
  env["DEVFLOW_HOME"] = home;
  // The server starts monitors: never let it read this machine's AI-assistant records.
  env["DEVFLOW_AI_ENABLED"] = "false";
  return env;
}

/** An SDK client connected over stdio to `node dist/index.js ...args`. */
export async function connectStdio(
  home: string,
  args: readonly string[],
): Promise<{ client: Client; stderr: () => string; close: () => Promise<void> }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [distIndex, ...args],
    env: serverEnv(home),
    cwd: home,
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: "devflow-mcp-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

/** A running `devflow-mcp --http --port 0` and its URL. */
export interface HttpServer {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly url: URL;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts the built server with `--http --port 0 ...args` and waits for its listening line. */
export async function startHttpServer(home: string, args: readonly string[]): Promise<HttpServer> {
  const proc = spawn(process.execPath, [distIndex, "--http", "--port", "0", ...args], {
    cwd: home,
    env: serverEnv(home),
  });
  let err = "";
  let out = "";
  proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", resolve));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 30_000);
    const check = () => {
      const m = /devflow-mcp: listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(err);
      if (m) {
        clearTimeout(timer);
        proc.stderr.off("data", check);
        resolve(Number(m[1]));
      }
    };
    proc.stderr.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${err}${out}`));
    });
  });
  return {
    proc,
    port,
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      return exited;
    },
  };
}

/** The text of an MCP tool result's first content item. */
export function resultText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content;
  return content?.map((c) => c.text ?? "").join("\n") ?? "";
}
