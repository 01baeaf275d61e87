/**
 * The built `devflow` binary with the monitors: `project add|list|remove`, `import git` on a
 * real repository, `watch --json` printing one envelope per line for real file changes, and
 * `status` showing each monitor's health while `up` runs.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));

function temp(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

function devflow(home: string, args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: cwd ?? home,
    env: {
      ...process.env,
      DEVFLOW_HOME: home,
      DEVFLOW_LOG_LEVEL: "warn",
      DEVFLOW_AI_ENABLED: "false",
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Waits for a child to exit; SIGKILLs it after 30 s so a hung child never outlives the test. */
function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function gitRepo(commits: number): string {
  const dir = temp("devflow-repo-");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "dev@example.com");
  git("config", "user.name", "Dev");
  for (let i = 0; i < commits; i++) {
    writeFileSync(join(dir, `f${i % 3}.txt`), `line ${i}\n`.repeat(i + 1));
    git("add", ".");
    git("commit", "-q", "-m", `feat: change ${i}`);
  }
  return dir;
}

describe("devflow project", () => {
  it("adds (idempotently), lists and removes projects", () => {
    const home = temp("devflow-home-");
    const dir = temp("devflow-proj-");
    const added = JSON.parse(
      devflow(home, ["project", "add", dir, "--name", "demo", "--json"]).stdout,
    ) as {
      created: boolean;
      project: { id: string; rootPath: string; name: string };
    };
    expect(added.created).toBe(true);
    expect(added.project).toMatchObject({ rootPath: dir, name: "demo" });
    const again = JSON.parse(devflow(home, ["project", "add", dir, "--json"]).stdout) as {
      created: boolean;
    };
    expect(again.created).toBe(false);
    const list = JSON.parse(devflow(home, ["project", "list", "--json"]).stdout) as {
      projects: Array<{ id: string }>;
    };
    expect(list.projects.map((p) => p.id)).toEqual([added.project.id]);
    expect(devflow(home, ["project", "remove", dir]).code).toBe(0);
    expect(JSON.parse(devflow(home, ["project", "list", "--json"]).stdout)).toMatchObject({
      projects: [],
      total: 0,
    });
  });

  it("refuses a path that is not a directory and an unknown project", () => {
    const home = temp("devflow-home-");
    const add = devflow(home, ["project", "add", "/nonexistent/dir"]);
    expect(add.code).toBe(1);
    expect(add.stderr).toBe("devflow: /nonexistent/dir: not an existing directory\n");
    const rm = devflow(home, ["project", "remove", "nope"]);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toMatch(/^devflow: no registered project is "nope"/);
  });
});

describe("devflow import git", () => {
  it("imports every commit once and continues from the last import", () => {
    const home = temp("devflow-home-");
    const repo = gitRepo(12);
    const first = JSON.parse(devflow(home, ["import", "git", repo, "--json"]).stdout) as {
      commits: number;
    };
    expect(first.commits).toBe(12);
    const second = JSON.parse(devflow(home, ["import", "git", repo, "--json"]).stdout) as {
      commits: number;
    };
    expect(second.commits).toBe(0);
    const quiet = devflow(home, ["import", "git", repo]);
    expect(quiet.stderr).not.toMatch(/\[/); // no progress bar when stderr is not a TTY
  });

  it("refuses a directory outside any repository", () => {
    const r = devflow(temp("devflow-home-"), ["import", "git", temp("devflow-norepo-")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not inside a git repository/);
  });
});

describe("devflow watch --json", () => {
  it("prints one event envelope per line for real file changes", async () => {
    const home = temp("devflow-home-");
    const dir = temp("devflow-watch-");
    mkdirSync(join(dir, "src"));
    const proc = spawn(process.execPath, [bin, "watch", dir, "--json"], {
      cwd: home,
      env: {
        ...process.env,
        DEVFLOW_HOME: home,
        DEVFLOW_LOG_LEVEL: "warn",
        DEVFLOW_AI_ENABLED: "false",
      },
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const until = async (pred: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    };
    await until(
      () => devflow(home, ["status", "--json"]).stdout.includes('"running":true'),
      15_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(join(dir, "src", "app.ts"), "export const a = 1;\n");
    await until(() => out.includes('"file.created"'), 10_000);
    proc.kill("SIGTERM");
    await exited(proc);
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; data: { path?: string }; id: string });
    const created = events.filter((e) => e.type === "file.created");
    expect(created).toHaveLength(1);
    expect(created[0]!.data.path).toBe("src/app.ts");
    expect(created[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  }, 90_000);
});

describe("devflow status with monitors", () => {
  it("shows each monitor's health and counters while up runs", async () => {
    const home = temp("devflow-home-");
    const repo = gitRepo(2);
    const proc = spawn(process.execPath, [bin, "up", repo, "--json"], {
      cwd: home,
      env: {
        ...process.env,
        DEVFLOW_HOME: home,
        DEVFLOW_LOG_LEVEL: "warn",
        DEVFLOW_AI_ENABLED: "false",
      },
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 20_000;
    while (!out.includes('"event":"running"') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    const status = JSON.parse(devflow(home, ["status", "--json"]).stdout) as {
      running: boolean;
      monitors: Array<{ name: string; health: string; counters: Record<string, number> }>;
    };
    proc.kill("SIGTERM");
    await exited(proc);
    expect(status.running).toBe(true);
    const names = status.monitors.map((m) => m.name).sort();
    expect(names).toEqual(expect.arrayContaining(["file", "git", "perf", "system", "activity"]));
    for (const m of status.monitors) {
      expect(["healthy", "degraded"]).toContain(m.health);
      expect(typeof m.counters.events).toBe("number");
    }
    const text = devflow(home, ["status"]).stdout;
    expect(text).toContain("DevFlow is not running.");
  }, 90_000);
});
