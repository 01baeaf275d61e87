/**
 * The built `devflow` binary, run as a user would, against a temporary DEVFLOW_HOME:
 * `up` reaches a running state and stops cleanly on SIGTERM; `status`, `db *`, `export`,
 * `import` and `doctor` work with and without `--json`; bad input gives one clear line and
 * a non-zero exit.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "devflow-cli-"));
}

function devflow(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: home,
    // DEVFLOW_AI_ENABLED=false: an `up` here never reads this machine's AI-assistant records.
    env: {
      ...process.env,
      DEVFLOW_HOME: home,
      DEVFLOW_LOG_LEVEL: "warn",
      DEVFLOW_AI_ENABLED: "false",
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T = Record<string, unknown>>(out: string): T {
  return JSON.parse(out) as T;
}

describe("devflow up", () => {
  it("starts, says where the database is, publishes its state and stops on SIGTERM", async () => {
    const home = tempHome();
    const proc = spawn(process.execPath, [bin, "up"], {
      cwd: home,
      env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_AI_ENABLED: "false" },
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no running banner: ${out}`)), 15_000);
      proc.stdout.on("data", () => {
        if (out.includes("DevFlow is running")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(out).toContain(join(home, "devflow.db"));
    const status = json<{ running: boolean; pid: number }>(
      devflow(home, "status", "--json").stdout,
    );
    expect(status.running).toBe(true);
    expect(status.pid).toBe(proc.pid);

    const second = devflow(home, "up");
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^devflow: DevFlow is already running \(pid \d+\)/);

    proc.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => proc.on("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain("DevFlow stopped (SIGTERM)");
    expect(json<{ running: boolean }>(devflow(home, "status", "--json").stdout).running).toBe(
      false,
    );
  }, 90_000);
});

describe("devflow status and db", () => {
  it("reports an empty database", () => {
    const home = tempHome();
    const r = devflow(home, "status");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("DevFlow is not running.");
    expect(r.stdout).toContain("0 stored");
  });

  it("checks, migrates, prunes and backs up", () => {
    const home = tempHome();
    const check = json<{ ok: boolean }>(devflow(home, "db", "check", "--json").stdout);
    expect(check.ok).toBe(true);
    const migrate = json<{ migrations: unknown[] }>(
      devflow(home, "db", "migrate", "--json").stdout,
    );
    expect(migrate.migrations.length).toBeGreaterThan(0);
    const prune = json<{ deleted: number; retentionDays: number }>(
      devflow(home, "db", "prune", "--days", "7", "--json").stdout,
    );
    expect(prune).toMatchObject({ deleted: 0, retentionDays: 7 });
    const dest = join(home, "b.db");
    const backup = devflow(home, "db", "backup", dest, "--json");
    expect(backup.code).toBe(0);
    expect(existsSync(dest)).toBe(true);
    const again = devflow(home, "db", "backup", dest);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rejects a bad --days with one clear line", () => {
    const r = devflow(tempHome(), "db", "prune", "--days", "soon");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^devflow: .*--days.*"soon"/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rejects an unknown command", () => {
    const r = devflow(tempHome(), "frobnicate");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^devflow: unknown command 'frobnicate'/);
  });

  it("names the bad setting when the environment is invalid", () => {
    const home = tempHome();
    const r = spawnSync(process.execPath, [bin, "status"], {
      encoding: "utf8",
      env: { ...process.env, DEVFLOW_HOME: home, DEVFLOW_BATCH_SIZE: "0" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/engine\.batchSize: .*\(from DEVFLOW_BATCH_SIZE\)/);
  });
});

describe("devflow export and import", () => {
  it("round-trips through a file and reports bad lines without losing good ones", () => {
    const home = tempHome();
    const file = join(home, "export.jsonl");
    const header = JSON.stringify({ format: "devflow-export", version: 1, exportedAt: Date.now() });
    const event = (id: string, path: string) =>
      JSON.stringify({
        table: "events",
        row: {
          id,
          type: "file.changed",
          category: "file",
          severity: "info",
          timestamp: 1_700_000_000_000,
          source: "t",
          data: { path },
        },
      });
    writeFileSync(
      join(home, "in.jsonl"),
      [header, event("e1", "a.ts"), "{not json", event("e2", "b.ts")].join("\n") + "\n",
    );
    const imported = devflow(home, "import", join(home, "in.jsonl"));
    expect(imported.code).toBe(1);
    expect(imported.stdout).toMatch(/line 3: /);

    const exported = devflow(home, "export", file, "--json");
    expect(exported.code).toBe(0);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.filter((l) => l.includes('"table":"events"'))).toHaveLength(2);

    const other = tempHome();
    const r = devflow(other, "import", file, "--json");
    expect(r.code).toBe(0);
    expect(json<{ inserted: { events: number } }>(r.stdout).inserted.events).toBe(2);
    const again = devflow(other, "import", file, "--json");
    expect(
      json<{ inserted: { events: number }; duplicates: number }>(again.stdout).inserted.events ?? 0,
    ).toBe(0);
  });

  it("refuses a missing import file", () => {
    const r = devflow(tempHome(), "import", "/nonexistent/x.jsonl");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("devflow: /nonexistent/x.jsonl: no such file\n");
  });
});

describe("devflow doctor", () => {
  it("checks node, home, database and inotify", () => {
    const r = devflow(tempHome(), "doctor", "--json");
    const report = json<{ checks: Array<{ name: string; ok: boolean }> }>(r.stdout);
    const names = report.checks.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["node", "home", "database"]));
    if (process.platform === "linux") expect(names).toContain("inotify watches");
    expect(report.checks.find((c) => c.name === "database")?.ok).toBe(true);
  });
});
