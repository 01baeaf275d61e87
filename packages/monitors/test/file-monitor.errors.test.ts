/**
 * Failure modes: ENOSPC/EMFILE make the monitor degraded with a message and the fix, never
 * crash it, and events keep flowing. Faults are raised on the live chokidar watcher the way
 * chokidar raises them (an `error` event carrying the errno error), through the
 * `watcherFactory` option that hands the test the real watcher; one test also hits the real
 * inotify limit inside a user namespace, where it can be lowered without touching the host.
 * Symlink loops (`ln -s .. loop`, a → b → a) neither hang nor crash the monitor.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { startMonitor, summary, tempDir, writeTree } from "./file-monitor-fixtures.js";

const SYSCTL_FIX = "sudo sysctl fs.inotify.max_user_watches=524288";

function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = {
    ENOSPC: "System limit for number of file watchers reached",
    EMFILE: "too many open files",
    EACCES: "permission denied",
  };
  return Object.assign(new Error(`${code}: ${messages[code]}, ${syscall} '${path}'`), {
    code,
    syscall,
    path,
    errno: -28,
  });
}

const canUnshare = (() => {
  try {
    execFileSync("unshare", ["--user", "--map-root-user", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Transpiles the monitor's sources to plain ESM in `dir`, next to a link to node_modules. */
function transpileSources(dir: string): void {
  const src = join(dirname(fileURLToPath(import.meta.url)), "../src");
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".ts") ? [join(d, e.name)] : [],
    );
  for (const file of walk(src)) {
    const out = join(dir, relative(src, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(out, outputText);
  }
  symlinkSync(join(src, "../node_modules"), join(dir, "node_modules"));
}

describe("FileMonitor failure modes", () => {
  it("turns ENOSPC on the live watcher into degraded health with the sysctl fix, and keeps working", async () => {
    const root = tempDir();
    writeTree(root, { "src/a.ts": "a\n" });
    const h = await startMonitor(root);
    h.watcher().emit("error", errnoError("ENOSPC", "watch", join(root, "src")));
    const status = h.monitor.status();
    expect(status.health).toBe("degraded");
    expect(status.message).toContain("ENOSPC");
    expect(status.message).toContain("rescans the project every 30 s");
    expect(status.fix).toContain(SYSCTL_FIX);
    expect(status.counters.errors).toBe(1);
    // A second fault of the same kind is counted, not reported twice.
    h.watcher().emit("error", errnoError("ENOSPC", "watch", join(root, "src")));
    expect(h.monitor.status().counters.errors).toBe(2);
    expect(h.logs.filter((l) => l.includes("ENOSPC")).length).toBe(1);
    // The watcher still works: events flow.
    writeTree(root, { "src/b.ts": "b\n" });
    await h.settle();
    expect(summary(h.stored())).toEqual(["file.created src/b.ts"]);
    expect(h.monitor.status().health).toBe("degraded");
  });

  it("turns EMFILE into degraded health with the ulimit fix; other errors are only counted", async () => {
    const root = tempDir();
    const h = await startMonitor(root);
    h.watcher().emit("error", errnoError("EACCES", "scandir", join(root, "private")));
    expect(h.monitor.status()).toMatchObject({ health: "healthy", counters: { errors: 1 } });
    h.watcher().emit("error", errnoError("EMFILE", "watch", join(root, "x")));
    const status = h.monitor.status();
    expect(status).toMatchObject({ health: "degraded", counters: { errors: 2 } });
    expect(status.message).toContain("EMFILE");
    expect(status.fix).toContain("ulimit -n 65536");
    // Logs carry error codes, never the absolute paths of error messages.
    expect(h.logs.some((l) => l.includes('"code":"EACCES"'))).toBe(true);
    expect(h.logs.filter((l) => l.includes(root))).toEqual([]);
  });

  it.skipIf(!canUnshare)(
    "survives a real ENOSPC (inotify limit lowered to 200 in a user namespace)",
    { timeout: 60_000 },
    () => {
      const work = tempDir();
      const lib = join(work, "lib");
      transpileSources(lib);
      const root = join(work, "tree");
      for (let d = 0; d < 10; d++) {
        for (let f = 0; f < 50; f++) writeTree(root, { [`d${d}/f${f}.ts`]: `${f}\n` });
      }
      const script = `
        import { EventEngine } from "@devflow/events";
        import { openStorage } from "@devflow/storage";
        import { MonitorsConfigSchema } from "./config.js";
        import { FileMonitor } from "./file-monitor.js";
        const [root, db] = process.argv.slice(2);
        const storage = openStorage({ path: db });
        const engine = new EventEngine();
        engine.addSink(storage.sink);
        const project = { id: "p", name: "p", rootPath: root };
        const monitor = new FileMonitor({ engine, storage, project }, MonitorsConfigSchema.parse({}).file);
        await monitor.start();
        await new Promise((resolve) => setTimeout(resolve, 300));
        const status = monitor.status();
        await monitor.stop();
        await engine.stop();
        storage.close();
        console.log(JSON.stringify({ status, alive: true }));
      `;
      writeFileSync(join(lib, "enospc-child.mjs"), script);
      const run = spawnSync(
        "unshare",
        [
          "--user",
          "--map-root-user",
          "sh",
          "-c",
          'echo 200 > /proc/sys/user/max_inotify_watches && exec "$0" "$@"',
          process.execPath,
          join(lib, "enospc-child.mjs"),
          root,
          join(work, "db.sqlite"),
        ],
        { encoding: "utf8", timeout: 50_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const { status, alive } = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
        status: { health: string; message: string; fix: string; counters: Record<string, number> };
        alive: boolean;
      };
      console.log(`[enospc] ${status.counters.errors} watcher errors; health ${status.health}`);
      expect(alive).toBe(true);
      expect(status.health).toBe("degraded");
      expect(status.message).toContain("ENOSPC");
      expect(status.fix).toContain(SYSCTL_FIX);
      expect(status.counters.errors).toBeGreaterThan(0);
    },
  );

  it("is ready within seconds next to symlink loops and never follows them", async () => {
    const root = tempDir();
    writeTree(root, { "src/a.ts": "a\n" });
    symlinkSync("..", join(root, "src/loop")); // ln -s .. loop
    symlinkSync("b", join(root, "a")); // a → b → a
    symlinkSync("a", join(root, "b"));
    symlinkSync("/", join(root, "slash"));
    symlinkSync(join(root, "src"), join(root, "src-link"));
    const started = Date.now();
    const h = await startMonitor(root);
    const readyMs = Date.now() - started;
    expect(readyMs).toBeLessThan(5000);
    // root, src, src/a.ts: symlinks are not watched.
    expect(h.monitor.watchedPathCount()).toBe(3);
    symlinkSync("../src", join(root, "src/loop2")); // a new loop while running
    writeTree(root, { "src/b.ts": "b\n" });
    await h.settle();
    expect(summary(h.stored())).toEqual(["file.created src/b.ts"]);
    expect(h.monitor.status()).toMatchObject({ health: "healthy", counters: { errors: 0 } });
  });
});
