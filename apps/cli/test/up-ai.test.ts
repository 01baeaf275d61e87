/**
 * `devflow up` runs the AI monitor: with CLAUDE_CONFIG_DIR pointing at a temp directory holding
 * a small Claude Code session (CODEX_HOME, GEMINI_DATA_DIR and HOME are temp directories too, so
 * the real ~/.claude, ~/.codex and ~/.gemini are never read), its usage is stored while `up`
 * runs — `devflow analyze ai --no-sync` (which reads nothing itself) reports it — a response
 * appended meanwhile arrives with the next poll, and `status` shows the monitor healthy. And
 * `devflow analyze ai --by stage` groups the sessions and their usage by development stage.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openStorage } from "@devflow/storage";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** A Claude Code assistant line: one response with its usage. */
function response(
  n: number,
  timestamp: string,
  cwd = "/work/demo",
  session = "up-session",
): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: "external",
    cwd,
    sessionId: session,
    version: "2.1.3",
    type: "assistant",
    uuid: `uuid-${n}`,
    timestamp,
    requestId: `req_${n}`,
    message: {
      id: `msg_${n}`,
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: `answer ${n}` }],
      usage: {
        input_tokens: 1000 * n,
        output_tokens: 100 * n,
        cache_creation_input_tokens: 10 * n,
        cache_read_input_tokens: 50_000,
      },
    },
  });
}

interface UsageJson {
  totals: {
    requests: number;
    inputTokens: number;
    outputTokens: number;
    cacheWriteTokens: number;
    cacheReadTokens: number;
  };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 45_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode);
    else proc.on("exit", (code) => resolve(code));
  });
}

describe("devflow up with AI sessions", () => {
  it("stores the usage of a Claude Code session while it runs", async () => {
    const root = mkdtempSync(join(tmpdir(), "devflow-up-ai-"));
    const home = join(root, "df");
    mkdirSync(home);
    // Poll the transcripts every second (the default is 15 s).
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({ monitors: { ai: { pollIntervalMs: 1000 } } }),
    );
    const claude = join(root, "claude");
    const session = join(claude, "projects", "-work-demo", "up-session.jsonl");
    mkdirSync(join(claude, "projects", "-work-demo"), { recursive: true });
    writeFileSync(
      session,
      [response(1, "2026-03-02T10:00:00.000Z"), response(2, "2026-03-02T10:05:00.000Z")].join(
        "\n",
      ) + "\n",
    );
    const env = {
      ...process.env,
      HOME: root,
      DEVFLOW_HOME: home,
      DEVFLOW_LOG_LEVEL: "warn",
      CLAUDE_CONFIG_DIR: claude,
      CODEX_HOME: join(root, "codex"),
      GEMINI_DATA_DIR: join(root, "gemini"),
      XDG_CONFIG_HOME: join(root, "xdg"),
    };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, env });
    const usage = (): UsageJson => {
      const r = cli("analyze", "ai", "--no-sync", "--by", "day", "--timezone", "UTC", "--json");
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout) as UsageJson;
    };

    const proc = spawn(process.execPath, [bin, "up", "--json", "--no-import"], { cwd: root, env });
    let out = "";
    let err = "";
    proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    try {
      await until(`up to run (stdout: ${out} stderr: ${err})`, () =>
        out.includes('"event":"running"') ? true : undefined,
      );
      // Nothing was read by a command: only the running monitor can have stored these.
      const first = await until("the session's usage", () => {
        const u = usage();
        return u.totals.requests === 2 ? u : undefined;
      });
      expect(first.totals).toMatchObject({
        inputTokens: 3000,
        outputTokens: 300,
        cacheWriteTokens: 30,
        cacheReadTokens: 100_000,
      });

      appendFileSync(session, response(3, "2026-03-02T10:10:00.000Z") + "\n");
      const second = await until("the appended response", () => {
        const u = usage();
        return u.totals.requests === 3 ? u : undefined;
      });
      expect(second.totals.inputTokens).toBe(6000);

      const status = JSON.parse(cli("status", "--json").stdout) as {
        running: boolean;
        monitors: Array<{ name: string; health: string; counters: Record<string, number> }>;
      };
      expect(status.running).toBe(true);
      const ai = status.monitors.find((m) => m.name === "ai");
      expect(ai?.health).toBe("healthy");
    } finally {
      proc.kill("SIGTERM");
      expect(await exited(proc)).toBe(0);
    }
    expect(err).toBe("");
  }, 120_000);
});

interface StageJson {
  by: string;
  rows: Array<{ stage: string; sessions: number; requests: number; inputTokens: number }>;
  totals: { sessions: number; requests: number };
}

describe("devflow analyze ai --by stage", () => {
  it("reports sessions and usage per development stage", () => {
    const root = mkdtempSync(join(tmpdir(), "devflow-ai-stage-"));
    const home = join(root, "df");
    const repo = join(root, "repo");
    mkdirSync(repo);
    const claude = join(root, "claude");
    mkdirSync(join(claude, "projects", "-repo"), { recursive: true });
    // s1 starts in prd (10:00) and works on into coding (12:30); s2 starts in coding.
    writeFileSync(
      join(claude, "projects", "-repo", "s1.jsonl"),
      [
        response(1, "2026-03-02T10:00:00.000Z", repo, "s1"),
        response(2, "2026-03-02T12:30:00.000Z", repo, "s1"),
      ].join("\n") + "\n",
    );
    writeFileSync(
      join(claude, "projects", "-repo", "s2.jsonl"),
      response(3, "2026-03-03T09:00:00.000Z", repo, "s2") + "\n",
    );
    mkdirSync(home);
    const storage = openStorage({ path: join(home, "devflow.db") });
    const project = storage.projects.add({ name: "repo", rootPath: repo });
    storage.work.recordTransitions([
      {
        id: "t1",
        projectId: project.id,
        fromStage: null,
        toStage: "prd",
        confidence: 0.9,
        timestamp: Date.parse("2026-03-02T09:00:00Z"),
      },
      {
        id: "t2",
        projectId: project.id,
        fromStage: "prd",
        toStage: "coding",
        confidence: 0.7,
        timestamp: Date.parse("2026-03-02T12:00:00Z"),
      },
    ]);
    storage.close();
    const env = {
      ...process.env,
      HOME: root,
      DEVFLOW_HOME: home,
      DEVFLOW_LOG_LEVEL: "warn",
      CLAUDE_CONFIG_DIR: claude,
      CODEX_HOME: join(root, "codex"),
      GEMINI_DATA_DIR: join(root, "gemini"),
    };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [bin, "analyze", "ai", "--by", "stage", ...args], {
        encoding: "utf8",
        cwd: root,
        env,
      });
    const r = cli("--timezone", "UTC", "--json");
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as StageJson;
    expect(report.by).toBe("stage");
    expect(report.rows.map((x) => [x.stage, x.sessions, x.requests, x.inputTokens])).toEqual([
      ["prd", 1, 1, 1000],
      ["coding", 1, 2, 5000],
    ]);
    expect(report.totals).toMatchObject({ sessions: 2, requests: 3 });

    // From 2026-03-03 in UTC+1 (Europe/Berlin in March): only s2.
    const late = JSON.parse(
      cli("--timezone", "Europe/Berlin", "--since", "2026-03-03", "--no-sync", "--json").stdout,
    ) as StageJson;
    expect(late.rows.map((x) => [x.stage, x.sessions, x.requests])).toEqual([["coding", 1, 1]]);
    // To the end of 2026-03-02 in Auckland (UTC+13: 11:00 UTC): s1 first request, not its 12:30 one.
    const early = JSON.parse(
      cli("--timezone", "Pacific/Auckland", "--until", "2026-03-02", "--no-sync", "--json").stdout,
    ) as StageJson;
    expect(early.rows.map((x) => [x.stage, x.sessions, x.requests])).toEqual([["prd", 1, 1]]);

    const text = cli("--timezone", "UTC", "--no-sync");
    expect(text.stdout).toMatch(/^stage\s+sessions\s+active\s+requests/);
    expect(text.stdout).toMatch(/\nprd\s+1\s+1\s+1\s/);

    const bad = cli("--since", "yesterday");
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/^devflow: --since must be a date like 2026-01-31, got "yesterday"/);
  }, 60_000);
});
