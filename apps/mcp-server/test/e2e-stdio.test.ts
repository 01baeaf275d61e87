/**
 * End to end over stdio: the built server, the SDK client, a scripted git repository with file
 * activity. Every listed tool is called with valid arguments; the client validates each
 * `structuredContent` against the tool's output schema; answers agree with the CLI's `--json`
 * for the same question.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStdio, serverEnv, tempDir } from "./support.js";

const cli = fileURLToPath(new URL("../../cli/dist/index.js", import.meta.url));

let home: string;
let repo: string;
let client: Client;
let close: () => Promise<void>;

function git(args: string[], date: string): void {
  const r = spawnSync("git", args, {
    cwd: repo,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_CONFIG_NOSYSTEM: "1",
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

function commit(files: Record<string, string>, message: string, date: string): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(repo, path, ".."), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  git(["add", "-A"], date);
  git(["commit", "-q", "-m", message], date);
}

function devflow(...args: string[]): unknown {
  const r = spawnSync(process.execPath, [cli, ...args, "--json"], {
    cwd: repo,
    encoding: "utf8",
    env: serverEnv(home),
  });
  if (r.status !== 0) throw new Error(`devflow ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

async function call(name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

beforeAll(async () => {
  home = tempDir("e2e");
  repo = join(home, "repo");
  mkdirSync(repo);
  git(["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
  git(["config", "user.name", "Ada Dev"], "2026-01-01T00:00:00Z");
  git(["config", "user.email", "ada@example.test"], "2026-01-01T00:00:00Z");
  git(["config", "commit.gpgsign", "false"], "2026-01-01T00:00:00Z");
  const day = (d: number) => new Date(Date.now() - (20 - d) * 86_400_000).toISOString();
  commit(
    { "docs/prd.md": "# PRD\n", "README.md": "# app\n" },
    "docs: product requirements",
    day(0),
  );
  for (let i = 1; i <= 8; i++) {
    commit(
      {
        "src/cart.ts": `export const cart = ${i};\n`.repeat(i),
        "src/cart.test.ts": `test("cart ${i}", () => {});\n`,
        ...(i % 2 === 0 ? { "src/pricing.ts": `export const price = ${i};\n` } : {}),
      },
      i % 3 === 0 ? `fix: cart rounding ${i}` : `feat: cart step ${i}`,
      day(i),
    );
  }
  git(["checkout", "-q", "-b", "feature/checkout"], day(9));
  commit({ "src/checkout.ts": "export const checkout = 0;\n" }, "feat: checkout", day(9));
  commit({ "src/checkout.ts": "export const checkout = 2;\n" }, "feat: checkout total", day(9.5));
  git(["checkout", "-q", "main"], day(9.5));
  git(
    ["merge", "-q", "--no-ff", "-m", "Merge branch 'feature/checkout'", "feature/checkout"],
    day(9.75),
  );
  commit(
    { ".github/workflows/ci.yml": "on: push\n", Dockerfile: "FROM node:20\n" },
    "ci: pipeline",
    day(10),
  );
  git(["tag", "v1.0.0"], day(10));
  devflow("import", "git", repo);
  devflow("user", "add", "bob", "--role", "viewer");
  ({ client, close } = await connectStdio(home, ["--project", repo, "--toolsets", "all"]));
  // file activity while the server's monitors run
  writeFileSync(join(repo, "src", "checkout.ts"), "export const checkout = 1;\n");
  writeFileSync(join(repo, "notes.md"), "notes\n");
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await client.callTool({
      name: "get_activity",
      arguments: { period: "today", types: ["file."] },
    });
    const events =
      (r.structuredContent as { events?: { data: { path?: string } }[] } | undefined)?.events ?? [];
    if (events.some((e) => e.data.path === "src/checkout.ts")) break;
    if (Date.now() > deadline)
      throw new Error("no file event from the server's monitors within 30 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}, 120_000);

afterAll(async () => {
  await close?.();
});

/** Valid arguments for tools that need some; every other tool is called with `{}`. */
const ARGS: Record<string, Record<string, unknown>> = {
  get_activity: { period: "today", limit: 5 },
  get_metric_series: { metric: "file_changes", bucket: "day", period: "7d" },
  check_permission: { permission: "project:write" },
  query_events: { period: "today", limit: 5 },
  run_maintenance: { task: "check" },
  create_api_key: { username: "admin", name: "e2e", scopes: ["project:read"] },
  list_api_keys: {},
  update_project: { settings: { team: "e2e" } },
  query_audit_log: { period: "today" },
  assign_role: { username: "bob", role: "developer" },
  check_co_changes: { files: ["src/cart.ts"] },
};

/** Tools whose effects would disturb the others: called last, in this order. */
const LAST = ["revoke_api_key", "register_project", "remove_project"];

describe("devflow-mcp over stdio", () => {
  it("lists the tools with schemas and annotations, and every tool answers with valid structured content", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const expected of [
      "get_project_status",
      "analyze_stage",
      "get_metrics",
      "get_ai_usage",
      "whoami",
      "query_events",
      "get_system_metrics",
    ]) {
      expect(names).toContain(expected);
    }
    for (const t of tools) {
      expect(t.description?.length ?? 0, t.name).toBeGreaterThan(40);
      expect(t.outputSchema, t.name).toBeDefined();
      expect(t.annotations, t.name).toMatchObject({
        readOnlyHint: expect.any(Boolean),
        destructiveHint: expect.any(Boolean),
      });
    }
    const order = [
      ...names.filter((n) => !LAST.includes(n)),
      ...LAST.filter((n) => names.includes(n)),
    ];
    let keyId = "";
    for (const name of order) {
      let args = ARGS[name] ?? {};
      if (name === "revoke_api_key") args = { id: keyId };
      if (name === "register_project") {
        mkdirSync(join(repo, "packages", "sub"), { recursive: true });
        args = { path: join(repo, "packages", "sub") };
      }
      if (name === "remove_project") args = { project: join(repo, "packages", "sub") };
      const out = await call(name, args);
      if (name === "create_api_key") keyId = (out["info"] as { id: string }).id;
    }
    expect(keyId).toMatch(/^[0-9A-Za-z]{8}$/);
  });

  it("agrees with the CLI's --json", async () => {
    const { projects } = devflow("project", "list") as {
      projects: { id: string; rootPath: string }[];
    };
    const listed = (await call("list_projects")) as {
      projects: { id: string; rootPath: string }[];
    };
    expect(listed.projects.map((p) => [p.id, p.rootPath])).toEqual(
      projects.filter((p) => p.rootPath === repo).map((p) => [p.id, p.rootPath]),
    );
    const projectId = listed.projects[0]!.id;

    const stage = (await call("analyze_stage", { period: "30d" })) as {
      current: { stage: string | null };
    };
    const cliStage = devflow("analyze", "stage", "--project", repo, "--period", "30d") as {
      current: { stage: string | null };
    };
    expect(stage.current.stage).toBe(cliStage.current.stage);

    const classes = (await call("classify_changes", { period: "30d", limit: 500 })) as {
      commits: { hash: string; category: string }[];
    };
    const cliClasses = devflow("analyze", "commits", "--project", repo, "--period", "30d") as {
      commits: { hash: string; category: string }[];
    };
    expect(new Map(classes.commits.map((c) => [c.hash, c.category]))).toEqual(
      new Map(cliClasses.commits.map((c) => [c.hash, c.category])),
    );
    expect(classes.commits.length).toBe(13);

    const methodology = (await call("check_methodology", { period: "30d" })) as {
      scores: { methodology: string; score: number }[];
    };
    const cliMethodology = devflow(
      "analyze",
      "methodology",
      "--project",
      repo,
      "--period",
      "30d",
    ) as { scores: { methodology: string; score: number }[] };
    expect(methodology.scores.map((s) => [s.methodology, s.score])).toEqual(
      cliMethodology.scores.map((s) => [s.methodology, s.score]),
    );

    const metrics = (await call("get_metrics", { period: "30d" })) as {
      metrics: { name: string; value: number | null }[];
    };
    const cliMetrics = devflow("analyze", "metrics", "--project", repo, "--period", "30d") as {
      metrics: { name: string; value: number | null }[];
    };
    const commitMetrics = (m: { name: string; value: number | null }[]) =>
      m.filter((x) => /commit|lines|churn/i.test(x.name)).map((x) => [x.name, x.value]);
    expect(commitMetrics(metrics.metrics)).toEqual(commitMetrics(cliMetrics.metrics));
    expect(commitMetrics(metrics.metrics).length).toBeGreaterThan(0);

    const audit = await call("verify_audit_log");
    const cliAudit = devflow("audit", "verify") as { ok: boolean; checked: number };
    expect(audit["ok"]).toBe(true);
    expect(cliAudit.ok).toBe(true);

    const keys = (await call("list_api_keys")) as { keys: { id: string }[] };
    const cliKeys = devflow("apikey", "list") as { id: string }[];
    expect(keys.keys.map((k) => k.id).sort()).toEqual(cliKeys.map((k) => k.id).sort());

    const usage = (await call("get_ai_usage", { by: "day" })) as {
      totals: { totalTokens: number };
    };
    const cliUsage = devflow("analyze", "ai", "--by", "day", "--no-sync", "--timezone", "UTC") as {
      totals: { totalTokens: number };
    };
    expect(usage.totals.totalTokens).toBe(cliUsage.totals.totalTokens);

    const rowsOf = (v: unknown) => (v as { rows: Record<string, unknown>[] }).rows;
    const pick = (rows: Record<string, unknown>[], keys: string[]) =>
      rows.map((r) => keys.map((k) => r[k]));
    const hot = rowsOf(await call("analyze_hotspots", { limit: 500 }));
    const cliHot = rowsOf(
      devflow("analyze", "hotspots", "--project", repo, "--timezone", "UTC", "--all"),
    );
    expect(pick(hot, ["entity", "revisions", "loc", "score"])).toEqual(
      pick(cliHot, ["entity", "revisions", "loc", "score"]),
    );
    expect(hot[0]?.["entity"]).toBe("src/cart.ts");
    const coupled = rowsOf(await call("analyze_change_coupling", { limit: 500 }));
    const cliCoupled = rowsOf(
      devflow("analyze", "coupling", "--project", repo, "--timezone", "UTC", "--all"),
    );
    expect(pick(coupled, ["entity", "coupled", "degree", "sharedRevs"])).toEqual(
      pick(cliCoupled, ["entity", "coupled", "degree", "sharedRevs"]),
    );
    expect(pick(coupled, ["entity", "coupled", "degree"])).toContainEqual([
      "src/cart.test.ts",
      "src/cart.ts",
      100,
    ]);
    const churn = rowsOf(await call("analyze_churn", { limit: 500 }));
    const cliChurn = rowsOf(
      devflow("analyze", "churn", "--project", repo, "--timezone", "UTC", "--all"),
    );
    expect(churn.map((r) => [r["key"], r["added"], r["deleted"]])).toEqual(
      pick(cliChurn, ["key", "added", "deleted"]),
    );
    const owners = rowsOf(await call("analyze_ownership", { limit: 500 }));
    const cliOwners = rowsOf(
      devflow("analyze", "main-dev", "--project", repo, "--timezone", "UTC", "--all"),
    );
    expect(pick(owners, ["entity", "mainDev", "ownership"])).toEqual(
      pick(cliOwners, ["entity", "mainDev", "ownership"]),
    );
    const stats = (await call("get_commit_stats")) as { totals: { commits: number } };
    const cliStats = devflow("analyze", "commit-stats", "--project", repo, "--timezone", "UTC") as {
      totals: { commits: number };
    };
    expect(stats.totals.commits).toBe(cliStats.totals.commits);
    const co = (await call("check_co_changes", { files: ["src/cart.ts"] })) as {
      rows: { missing: string; degree: number }[];
    };
    const cliCo = rowsOf(devflow("analyze", "co-changes", "src/cart.ts", "--project", repo));
    expect(co.rows.map((r) => [r.missing, r.degree])).toEqual(pick(cliCo, ["missing", "degree"]));
    expect(co.rows.map((r) => [r.missing, r.degree])).toContainEqual(["src/cart.test.ts", 100]);
    const dora = (await call("get_dora_metrics", { since: "90d" })) as {
      deploymentFrequency: { deployments: number; tier: string | null };
    };
    const cliDora = devflow(
      "analyze",
      "dora",
      "--project",
      repo,
      "--since",
      "90d",
      "--timezone",
      "UTC",
    ) as { deploymentFrequency: { deployments: number; tier: string | null } };
    expect(dora.deploymentFrequency).toMatchObject({
      deployments: cliDora.deploymentFrequency.deployments,
      tier: cliDora.deploymentFrequency.tier,
    });
    expect(dora.deploymentFrequency.deployments).toBe(1);
    const cycle = (await call("get_pr_cycle_time", { since: "90d" })) as {
      merges: number;
      rows: { branch: string | null; commits: number; cycleTimeMs: number; waitTimeMs: number }[];
    };
    expect(cycle.merges).toBe(1);
    expect(cycle.rows[0]).toMatchObject({
      branch: "feature/checkout",
      commits: 2,
      cycleTimeMs: 0.75 * 86_400_000,
      waitTimeMs: 0.25 * 86_400_000,
    });

    const status = (await call("get_project_status")) as {
      project: { id: string };
      commits: number;
      running: boolean;
    };
    expect(status.project.id).toBe(projectId);
    expect(status.commits).toBe(13);
    expect(status.running).toBe(true);
  });

  it("serves the project status resource and the three prompts", async () => {
    const { resources } = await client.listResources();
    const uri = resources.find((r) => r.uri.endsWith("/status"))?.uri;
    expect(uri).toMatch(/^devflow:\/\/projects\/.+\/status$/);
    const read = await client.readResource({ uri: uri! });
    const content = read.contents[0] as { text: string };
    expect(JSON.parse(content.text)).toMatchObject({ commits: 13 });
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      "daily_standup",
      "pre_commit_check",
      "weekly_review",
    ]);
    for (const p of prompts) {
      const got = await client.getPrompt({ name: p.name, arguments: {} });
      const text = (got.messages[0]?.content as { text: string }).text;
      expect(text.length, p.name).toBeGreaterThan(100);
    }
  });
});
