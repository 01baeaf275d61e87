/** `devflow mcp install`: writes Claude Desktop's config entry, keeps other servers, backs up. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));

function devflow(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: home,
    env: { ...process.env, DEVFLOW_HOME: home },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("devflow mcp install", () => {
  it("adds the devflow server, keeps other entries and settings, and backs up the old file", () => {
    const home = mkdtempSync(join(tmpdir(), "devflow-mcp-install-"));
    const repo = join(home, "repo");
    mkdirSync(repo);
    const config = join(home, "Claude", "claude_desktop_config.json");
    mkdirSync(join(home, "Claude"));
    const before = {
      globalShortcut: "Ctrl+Space",
      mcpServers: { other: { command: "x", args: ["y"] } },
    };
    writeFileSync(config, JSON.stringify(before));
    const r = devflow(home, "mcp", "install", "--project", repo, "--config", config, "--json");
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { backup: string; previous: unknown };
    expect(result.previous).toBeNull();
    expect(JSON.parse(readFileSync(result.backup, "utf8"))).toEqual(before);
    const after = JSON.parse(readFileSync(config, "utf8")) as {
      globalShortcut: string;
      mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
    };
    expect(after.globalShortcut).toBe("Ctrl+Space");
    expect(after.mcpServers["other"]).toEqual(before.mcpServers.other);
    const entry = after.mcpServers["devflow"]!;
    expect(entry.command).toBe(process.execPath);
    // `devflow mcp` of this CLI (the CLI does not depend on the devflow-mcp app).
    expect(entry.args[0]).toMatch(/apps\/cli\/dist\/index\.js$/);
    expect(existsSync(entry.args[0]!)).toBe(true);
    expect(entry.args.slice(1)).toEqual(["mcp", "--project", repo]);
    expect(entry.env).toEqual({ DEVFLOW_HOME: home });
    // running it again updates the entry in place
    const again = JSON.parse(
      devflow(home, "mcp", "install", "--config", config, "--json").stdout,
    ) as {
      previous: { args: string[] };
    };
    expect(again.previous.args.slice(1)).toEqual(["mcp", "--project", repo]);
  });

  it("refuses a config file that is not JSON and leaves it untouched", () => {
    const home = mkdtempSync(join(tmpdir(), "devflow-mcp-install-"));
    const config = join(home, "claude_desktop_config.json");
    writeFileSync(config, "{ not json");
    const r = devflow(home, "mcp", "install", "--config", config);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a JSON object; fix or move it/);
    expect(readFileSync(config, "utf8")).toBe("{ not json");
  });
});
