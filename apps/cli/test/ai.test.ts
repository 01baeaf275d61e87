/**
 * `devflow ai sources` and `devflow analyze ai`, run as built binaries against a temporary
 * DEVFLOW_HOME and generated assistant data (never the real ~/.claude or ~/.codex):
 * the peer check against ccusage 18.0.11 on a generated Claude Code corpus (tokens per day and
 * model agree exactly), source reports with counts and errors, incremental re-reads, every
 * `--by` grouping, bad input, and prompt privacy with a canary.
 */
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const monitors = fileURLToPath(new URL("../../../packages/monitors/", import.meta.url));
const corpusScript = join(monitors, "bench", "ai-corpus.mjs");
const ccusage = join(monitors, "node_modules", "ccusage", "dist", "index.js");
const scriptedRepo = join(monitors, "bench", "ai-scripted-repo.mjs");

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "devflow-ai-cli-"));
}

/** Runs the CLI with every assistant root inside `home` (HOME too). */
function devflow(home: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: home,
    env: {
      ...process.env,
      HOME: home,
      DEVFLOW_HOME: join(home, "df"),
      DEVFLOW_LOG_LEVEL: "warn",
      CLAUDE_CONFIG_DIR: join(home, "claude"),
      CODEX_HOME: join(home, "codex"),
      GEMINI_DATA_DIR: join(home, "gemini"),
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Row {
  key: string;
  models: Array<{
    model: string;
    inputTokens: number;
    outputTokens: number;
    cacheWriteTokens: number;
    cacheReadTokens: number;
  }>;
}

describe("devflow analyze ai — peer check against ccusage 18.0.11", () => {
  it("agrees on input, output, cache-write and cache-read tokens per day and model", () => {
    const home = tempHome();
    const claude = join(home, "claude");
    const gen = spawnSync(process.execPath, [corpusScript, claude, "6", "7", "10"], {
      encoding: "utf8",
    });
    expect(gen.status, gen.stderr).toBe(0);
    const peer = spawnSync(
      process.execPath,
      [ccusage, "daily", "--json", "--offline", "--breakdown"],
      {
        encoding: "utf8",
        env: { ...process.env, HOME: home, TZ: "UTC", CLAUDE_CONFIG_DIR: claude },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(peer.status, peer.stderr).toBe(0);
    const ours = devflow(home, {}, "analyze", "ai", "--by", "day", "--json", "--timezone", "UTC");
    expect(ours.code, ours.stderr).toBe(0);
    const cc = JSON.parse(peer.stdout) as {
      daily: Array<{
        date: string;
        modelBreakdowns: Array<{
          modelName: string;
          inputTokens: number;
          outputTokens: number;
          cacheCreationTokens: number;
          cacheReadTokens: number;
        }>;
      }>;
    };
    const df = JSON.parse(ours.stdout) as { rows: Row[]; cost: { estimate: boolean } };
    const theirs = new Map<string, number[]>();
    for (const d of cc.daily) {
      for (const m of d.modelBreakdowns) {
        theirs.set(`${d.date} ${m.modelName}`, [
          m.inputTokens,
          m.outputTokens,
          m.cacheCreationTokens,
          m.cacheReadTokens,
        ]);
      }
    }
    const mine = new Map<string, number[]>();
    for (const r of df.rows) {
      for (const m of r.models)
        mine.set(`${r.key} ${m.model}`, [
          m.inputTokens,
          m.outputTokens,
          m.cacheWriteTokens,
          m.cacheReadTokens,
        ]);
    }
    expect(theirs.size).toBeGreaterThan(20);
    expect(Object.fromEntries(mine)).toEqual(Object.fromEntries(theirs));
    expect(df.cost.estimate).toBe(true);
  });
});

function writeJsonl(path: string, rows: object[]): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
}

const CANARY = "CANARY-b81d2e-never-store";

function smallCorpus(home: string): void {
  const base = { isSidechain: false, cwd: "/work/x", sessionId: "s1", version: "2.1.3" };
  writeJsonl(join(home, "claude", "projects", "-work-x", "s1.jsonl"), [
    {
      ...base,
      type: "user",
      uuid: "u1",
      timestamp: "2026-03-02T09:00:00.000Z",
      message: { role: "user", content: `deploy ${CANARY}` },
    },
    {
      ...base,
      type: "assistant",
      uuid: "a1",
      timestamp: "2026-03-02T09:00:05.000Z",
      requestId: "r1",
      message: {
        id: "m1",
        model: "claude-opus-4-6",
        content: [],
        usage: {
          input_tokens: 100,
          output_tokens: 200,
          cache_creation_input_tokens: 1000,
          cache_read_input_tokens: 10_000,
        },
      },
    },
    {
      ...base,
      type: "assistant",
      uuid: "a2",
      timestamp: "2026-03-09T10:00:05.000Z",
      requestId: "r2",
      message: {
        id: "m2",
        model: "claude-opus-4-6",
        content: [],
        usage: { input_tokens: 1, output_tokens: 20, cache_read_input_tokens: 500 },
      },
    },
  ]);
  writeFileSync(join(home, "claude", "projects", "-work-x", "s1.jsonl"), '{"broken":"usage"\n', {
    flag: "a",
  });
  writeJsonl(
    join(home, "codex", "sessions", "2026", "03", "02", "rollout-2026-03-02T11-00-00-c1.jsonl"),
    [
      {
        timestamp: "2026-03-02T11:00:00.000Z",
        type: "session_meta",
        payload: { id: "c1", cwd: "/work/y" },
      },
      { timestamp: "2026-03-02T11:00:01.000Z", type: "turn_context", payload: { model: "gpt-5" } },
      {
        timestamp: "2026-03-02T11:00:02.000Z",
        type: "event_msg",
        payload: { type: "user_message", message: `again ${CANARY}` },
      },
      {
        timestamp: "2026-03-02T11:00:09.000Z",
        type: "event_msg",
        payload: {
          type: "token_count",
          info: {
            total_token_usage: {
              input_tokens: 1000,
              cached_input_tokens: 400,
              output_tokens: 50,
              reasoning_output_tokens: 10,
              total_tokens: 1050,
            },
          },
        },
      },
    ],
  );
}

describe("devflow ai sources", () => {
  it("reports where it looked, what it found, corrupt lines, and reads incrementally", () => {
    const home = tempHome();
    smallCorpus(home);
    const first = devflow(home, {}, "ai", "sources", "--json");
    expect(first.code, first.stderr).toBe(0);
    const r = JSON.parse(first.stdout) as {
      stored: number;
      sources: Array<{
        tool: string;
        files: number;
        corruptLines: number;
        records: Record<string, number>;
        roots: Array<{ path: string; exists: boolean }>;
      }>;
    };
    const by = new Map(r.sources.map((s) => [s.tool, s]));
    expect(by.get("claude-code")).toMatchObject({
      files: 1,
      corruptLines: 1,
      records: { usage: 2, prompt: 1, session: 1 },
    });
    expect(by.get("claude-code")?.roots).toEqual([
      { path: join(home, "claude", "projects"), exists: true },
    ]);
    expect(by.get("codex")).toMatchObject({
      files: 1,
      records: { usage: 1, prompt: 1, session: 1 },
    });
    expect(by.get("gemini-cli")?.roots).toEqual([{ path: join(home, "gemini"), exists: false }]);
    // 4 Claude (session, prompt, 2 usage) + 3 Codex + 2 idle session ends (the data is old).
    expect(r.stored).toBe(9);
    const again = devflow(home, {}, "ai", "sources");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("claude-code: 1 files, 0 read");
    expect(again.stdout).toContain(`not found ${join(home, "gemini")}`);
    expect(again.stdout).toContain("Stored 0 new events");
  });
});

describe("devflow analyze ai", () => {
  it("groups by week, month, session, model, project and block; rejects a bad --by", () => {
    const home = tempHome();
    smallCorpus(home);
    const run = (...args: string[]) => {
      const r = devflow(home, {}, "analyze", "ai", "--json", "--timezone", "UTC", ...args);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as {
        rows: Array<
          Row & {
            requests: number;
            totalTokens: number;
            costUsd: number;
            block?: { isActive: boolean };
          }
        >;
        totals: { totalTokens: number };
      };
    };
    // 2026-03-02 is a Monday; m2 is a week later.
    expect(run("--by", "week").rows.map((x) => [x.key, x.requests])).toEqual([
      ["2026-03-02", 2],
      ["2026-03-09", 1],
    ]);
    expect(run("--by", "month").rows.map((x) => [x.key, x.requests])).toEqual([["2026-03", 3]]);
    expect(run("--by", "session").rows.map((x) => x.key)).toEqual(["s1", "c1"]);
    const models = run("--by", "model").rows;
    // opus-4-6: 101×5 + 220×25 + 1000×6.25 + 10500×0.5 = 17505 µ$; gpt-5: 600×1.25 + 400×0.125 + 50×10 = 1300 µ$
    expect(models.map((x) => [x.key, Number(x.costUsd.toFixed(6))])).toEqual([
      ["claude-opus-4-6", 0.017505],
      ["gpt-5", 0.0013],
    ]);
    expect(
      run("--by", "project")
        .rows.map((x) => x.key)
        .sort(),
    ).toEqual(["cwd:/work/x", "cwd:/work/y"]);
    const blocks = run("--by", "block").rows;
    expect(blocks.map((x) => [x.key, x.requests, x.block?.isActive])).toEqual([
      ["2026-03-02T09:00:00.000Z", 1, false],
      ["2026-03-09T10:00:00.000Z", 1, false],
    ]);
    expect(run("--by", "day", "--since", "2026-03-03").totals.totalTokens).toBe(521);
    const text = devflow(home, {}, "analyze", "ai", "--by", "model", "--timezone", "UTC");
    expect(text.stdout).toContain("claude-opus-4-6");
    expect(text.stdout).toContain("list-price estimates");
    const bad = devflow(home, {}, "analyze", "ai", "--by", "year");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'devflow: --by must be one of day, week, month, session, model, project, block, stage, got "year"',
    );
    const badTz = devflow(home, {}, "analyze", "ai", "--timezone", "Mars/Olympus");
    expect(badTz.code).toBe(1);
    expect(badTz.stderr).toContain('unknown time zone "Mars/Olympus"');
  });

  it("with prompt storage `none` (the default), a canary in prompts is in no table, log or export", () => {
    const home = tempHome();
    smallCorpus(home);
    const log = join(home, "df", "devflow.log");
    const env = { DEVFLOW_LOG_LEVEL: "trace", DEVFLOW_LOG_FILE: log };
    expect(devflow(home, env, "ai", "sources").code).toBe(0);
    expect(devflow(home, env, "analyze", "ai", "--by", "session").code).toBe(0);
    const exported = join(home, "df", "export.jsonl");
    expect(devflow(home, env, "export", exported).code).toBe(0);
    const files = readdirSync(join(home, "df"))
      .map((f) => join(home, "df", f))
      .filter((f) => statSync(f).isFile());
    expect(files).toEqual(expect.arrayContaining([exported, join(home, "df", "devflow.db")]));
    for (const f of files) expect(readFileSync(f).includes(CANARY), f).toBe(false);
    expect(readFileSync(exported, "utf8")).toContain('"type":"ai.prompt"');
  });
});

describe("devflow analyze ai --commits", () => {
  it("attributes a scripted repository's commits: shares and survival equal the hand-computed values", () => {
    const home = tempHome();
    const built = spawnSync(process.execPath, [scriptedRepo, home], { encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    const { repo } = JSON.parse(built.stdout) as { repo: string };
    const r = devflow(home, {}, "analyze", "ai", "--commits", "--project", repo, "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      commits: { total: number; aiAssisted: number; share: number };
      lines: { added: number; aiAdded: number };
      survival: Array<{
        horizonDays: number;
        ai: Record<string, number>;
        human: Record<string, number>;
      }>;
      sessionsByStage: Record<string, number>;
    };
    // 6 commits: c1 (trailer + 7 of 10 lines), c3 (5 of 5 lines) and c5 (codex/ branch) are AI-assisted.
    expect(report.commits).toMatchObject({ total: 6, aiAssisted: 3, share: 0.5 });
    expect(report.lines).toMatchObject({ added: 21, aiAdded: 12 });
    for (const s of report.survival) {
      expect(s.ai).toMatchObject({ measured: 12, survived: 5, reworked: 2, reverted: 5 });
      expect(s.human).toMatchObject({ measured: 8, survived: 8, reworked: 0, reverted: 0 });
    }
    expect(report.sessionsByStage).toEqual({ unknown: 2 });
    const text = devflow(home, {}, "analyze", "ai", "--commits", "--project", repo);
    expect(text.stdout).toContain("AI-assisted commits: 3 of 6 (50.0 %)");
    expect(text.stdout).toContain("AI line share: 12 of 21 added lines (57.1 %)");
    const outside = devflow(home, {}, "analyze", "ai", "--commits");
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/not inside a git repository/);
  });
});
