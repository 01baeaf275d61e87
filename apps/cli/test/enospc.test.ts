/**
 * A real ENOSPC, end to end: `devflow up` runs in a user namespace whose inotify watch limit is
 * lowered to 200, on a project that needs more. The process keeps running, and `devflow status`
 * (from outside) shows the file monitor's error and the sysctl fix.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));

const canUnshare = (() => {
  try {
    execFileSync("unshare", ["--user", "--map-root-user", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("devflow up under ENOSPC", () => {
  it.skipIf(!canUnshare)(
    "survives and status shows the error and the fix",
    async () => {
      const home = realpathSync(mkdtempSync(join(tmpdir(), "devflow-enospc-home-")));
      const project = realpathSync(mkdtempSync(join(tmpdir(), "devflow-enospc-proj-")));
      for (let d = 0; d < 30; d++) {
        mkdirSync(join(project, `dir${d}`));
        for (let f = 0; f < 10; f++) writeFileSync(join(project, `dir${d}`, `f${f}.ts`), "x\n");
      }
      const env = {
        ...process.env,
        DEVFLOW_HOME: home,
        DEVFLOW_LOG_LEVEL: "warn",
        DEVFLOW_AI_ENABLED: "false",
      };
      const proc = spawn(
        "unshare",
        [
          "--user",
          "--map-root-user",
          "sh",
          "-c",
          'echo 200 > /proc/sys/user/max_inotify_watches && exec "$0" "$@"',
          process.execPath,
          bin,
          "up",
          project,
          "--no-import",
          "--json",
        ],
        { cwd: home, env },
      );
      let out = "";
      proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const status = () =>
        JSON.parse(
          spawnSync(process.execPath, [bin, "status", "--json"], {
            cwd: home,
            env,
            encoding: "utf8",
          }).stdout,
        ) as {
          running: boolean;
          monitors: Array<{
            name: string;
            health: string;
            message: string | null;
            fix: string | null;
          }>;
        };
      try {
        const end = Date.now() + 60_000;
        let file: ReturnType<typeof status>["monitors"][number] | undefined;
        while (Date.now() < end) {
          if (out.includes('"event":"running"')) {
            file = status().monitors.find((m) => m.name === "file");
            if (file && file.health !== "healthy" && file.health !== "starting") break;
          }
          await new Promise((r) => setTimeout(r, 300));
        }
        expect(proc.exitCode).toBeNull(); // still running
        expect(file?.health).toMatch(/^(degraded|error)$/);
        expect(file?.message).toContain("ENOSPC");
        expect(file?.fix).toContain("sysctl fs.inotify.max_user_watches");
        const text = spawnSync(process.execPath, [bin, "status"], {
          cwd: home,
          env,
          encoding: "utf8",
        }).stdout;
        expect(text).toMatch(/file \[.*\]: (degraded|error)/);
        expect(text).toContain("fix: ");
      } finally {
        proc.kill("SIGTERM");
        await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.on("exit", r)));
      }
    },
    90_000,
  );
});
