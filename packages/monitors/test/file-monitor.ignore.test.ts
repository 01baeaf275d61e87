/**
 * Ignored trees are never watched: `.gitignore` (root and nested), `node_modules` by default and
 * `.git` always, pruned before chokidar descends. Checked on chokidar's own `getWatched()`, on
 * the events (none for changes in ignored trees), and at acceptance scale: 50,000 source files
 * next to a 100,000-file `node_modules` and a `dist/` listed in `.gitignore`.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { startMonitor, summary, tempDir, writeTree } from "./file-monitor-fixtures.js";

/** A full garbage collection (`gc` exposed at runtime), so RSS figures are comparable. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Every path in chokidar's `getWatched()`, relative to `root` ('.' for the root itself). */
function watchedPaths(watched: Record<string, string[]>, root: string): string[] {
  const out: string[] = [];
  for (const [dir, children] of Object.entries(watched)) {
    for (const child of children) {
      const abs = join(dir, child);
      out.push(abs === root ? "." : abs.slice(root.length + 1));
    }
  }
  return out.sort();
}

describe("FileMonitor ignore rules", () => {
  it("watches nothing under .gitignore'd, nested-ignored, node_modules and .git trees", async () => {
    const root = tempDir();
    writeTree(root, {
      ".gitignore": "dist/\n*.log\n",
      ".git/HEAD": "ref: refs/heads/main\n",
      "src/app.ts": "app\n",
      "src/.gitignore": "generated/\n",
      "src/generated/out.ts": "gen\n",
      "dist/bundle.js": "bundle\n",
      "dist/sub/x.js": "x\n",
      "node_modules/pkg/index.js": "pkg\n",
      "node_modules/pkg/sub/y.js": "y\n",
      "packages/a/node_modules/dep/z.js": "z\n",
      "packages/a/src/b.ts": "b\n",
      "debug.log": "log\n",
    });
    const h = await startMonitor(root);
    expect(watchedPaths(h.watcher().getWatched(), root)).toEqual([
      ".",
      ".gitignore",
      "packages",
      "packages/a",
      "packages/a/src",
      "packages/a/src/b.ts",
      "src",
      "src/.gitignore",
      "src/app.ts",
    ]);
    expect(h.monitor.watchedPathCount()).toBe(9);
    expect(h.monitor.status().counters).toMatchObject({ ignoredDirs: 5, files: 4 });

    // Changes in ignored trees (including new ones) produce nothing; the control change does.
    appendFileSync(join(root, "dist/bundle.js"), "more\n");
    appendFileSync(join(root, "node_modules/pkg/index.js"), "more\n");
    appendFileSync(join(root, "debug.log"), "more\n");
    appendFileSync(join(root, ".git/HEAD"), "x\n");
    writeTree(root, {
      "dist/new.js": "new\n",
      "src/generated/new.ts": "new\n",
      "node_modules/newpkg/index.js": "new\n",
      "packages/b/node_modules/dep/index.js": "new\n",
      "packages/b/.git": "gitdir: ../../.git/worktrees/b\n",
      "trace.log": "new\n",
    });
    appendFileSync(join(root, "src/app.ts"), "changed\n");
    await h.settle();
    expect(summary(h.stored())).toEqual(["file.changed src/app.ts"]);
    const watched = watchedPaths(h.watcher().getWatched(), root);
    expect(watched.filter((p) => /node_modules|dist|generated|\.git$|\.log$/.test(p))).toEqual([]);
    expect(watched).toContain("packages/b");
  });

  it("applies a changed .gitignore: a file ignored since is forgotten, not reported deleted", async () => {
    const root = tempDir();
    writeTree(root, { ".gitignore": "*.log\n" });
    const h = await startMonitor(root);
    writeTree(root, { "notes.txt": "a\n" });
    await h.settle();
    appendFileSync(join(root, ".gitignore"), "notes.txt\n");
    await h.settle();
    appendFileSync(join(root, "notes.txt"), "b\n");
    writeTree(root, { "other.txt": "c\n" });
    await h.settle();
    expect(summary(h.stored())).toEqual([
      "file.changed .gitignore",
      "file.created notes.txt",
      "file.created other.txt",
    ]);
    expect(h.monitor.status().counters.files).toBe(2); // .gitignore, other.txt
  });

  it(
    "acceptance scale: 50,000 source files, a 100,000-file node_modules and an ignored dist",
    { timeout: 180_000 },
    async () => {
      const root = tempDir();
      let started = Date.now();
      writeFileSync(join(root, ".gitignore"), "dist/\n");
      for (let p = 0; p < 50; p++) {
        for (let d = 0; d < 10; d++) {
          const dir = join(root, "src", `p${p}`, `d${d}`);
          mkdirSync(dir, { recursive: true });
          for (let f = 0; f < 100; f++)
            writeFileSync(join(dir, `f${f}.ts`), `export const v = ${f};\n`);
        }
      }
      for (let p = 0; p < 1000; p++) {
        const dir = join(root, "node_modules", `pkg${p}`, "lib");
        mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 100; f++) writeFileSync(join(dir, `m${f}.js`), "module.exports = 1;\n");
      }
      for (let d = 0; d < 50; d++) {
        const dir = join(root, "dist", `chunk${d}`);
        mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 100; f++) writeFileSync(join(dir, `c${f}.js`), "x\n");
      }
      console.log(`[scale] generated 155,000 files in ${Date.now() - started} ms`);

      const h = await startMonitor(root, { start: false });
      collectGarbage();
      const rssBefore = process.memoryUsage().rss;
      started = Date.now();
      await h.monitor.start();
      const readyMs = Date.now() - started;
      collectGarbage();
      const rssAddedMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
      const watched = watchedPaths(h.watcher().getWatched(), root);
      console.log(
        `[scale] ready in ${readyMs} ms, RSS +${rssAddedMb.toFixed(0)} MB (after gc), ` +
          `${h.monitor.watchedPathCount()} watched paths, counters ${JSON.stringify(h.monitor.status().counters)}`,
      );
      // root, .gitignore, src, 50 + 500 directories, 50,000 files; nothing else.
      expect(h.monitor.watchedPathCount()).toBe(1 + 1 + 1 + 50 + 500 + 50_000);
      expect(watched.filter((p) => p.startsWith("node_modules") || p.startsWith("dist"))).toEqual(
        [],
      );
      expect(h.monitor.status().counters).toMatchObject({ ignoredDirs: 2, files: 50_001 });

      appendFileSync(join(root, "src/p7/d3/f42.ts"), "export const w = 1;\n");
      appendFileSync(join(root, "node_modules/pkg7/lib/m42.js"), "changed\n");
      appendFileSync(join(root, "dist/chunk7/c42.js"), "changed\n");
      await h.settle();
      expect(summary(h.stored())).toEqual(["file.changed src/p7/d3/f42.ts"]);
    },
  );
});
