/**
 * FileMonitor basics on real chokidar, a real engine and SQLite: each action yields exactly one
 * event of the right kind (create, change, delete, rename, atomic saves of three editors), temp
 * and swap files are never recorded, and events carry the relative path, language, size and
 * line delta.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventEngine, isDevflowError } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { MonitorsConfigSchema } from "../src/config.js";
import { FileMonitor } from "../src/file-monitor.js";
import { sleep, startMonitor, summary, tempDir, writeTree } from "./file-monitor-fixtures.js";

const fileConfig = MonitorsConfigSchema.parse({}).file;

describe("FileMonitor", () => {
  it("throws MONITORS_NO_PROJECT when the context has no project", () => {
    const storage = openStorage({ path: ":memory:" });
    try {
      const ctx = { engine: new EventEngine(), storage };
      let error: unknown;
      try {
        new FileMonitor(ctx, fileConfig);
      } catch (err) {
        error = err;
      }
      expect(isDevflowError(error) && error.code).toBe("MONITORS_NO_PROJECT");
    } finally {
      storage.close();
    }
  });

  it("fails to start with MONITORS_ROOT_NOT_FOUND and health error when the root is missing", async () => {
    const h = await startMonitor(join(tempDir(), "missing"), { start: false });
    await expect(h.monitor.start()).rejects.toMatchObject({ code: "MONITORS_ROOT_NOT_FOUND" });
    expect(h.monitor.status().health).toBe("error");
  });

  it("records a created file once with relative path, language, size and lines", async () => {
    const root = tempDir();
    const h = await startMonitor(root);
    expect(h.monitor.status().health).toBe("healthy");
    writeTree(root, { "src/app.ts": "const a = 1;\nconst b = 2;\nexport { a, b };\n" });
    await h.settle();
    expect(h.stored()).toEqual([
      {
        type: "file.created",
        data: {
          path: "src/app.ts",
          language: "TypeScript",
          size: 43,
          linesAdded: 3,
          linesRemoved: 0,
        },
      },
    ]);
    expect(h.monitor.status().counters).toMatchObject({ events: 1, reconciled: 0, errors: 0 });
  });

  it("records each change once, with the line delta against the last count", async () => {
    const root = tempDir();
    const h = await startMonitor(root);
    const file = join(root, "notes.md");
    writeFileSync(file, "one\ntwo\n");
    await h.settle();
    appendFileSync(file, "three\nfour\n");
    await h.settle();
    writeFileSync(file, "only\n");
    await h.settle();
    // Several writes within the debounce window are one change.
    for (let i = 0; i < 5; i++) {
      appendFileSync(file, `line ${i}\n`);
      await sleep(10);
    }
    await h.settle();
    expect(h.stored().map((e) => [e.type, e.data])).toEqual([
      [
        "file.created",
        { path: "notes.md", language: "Markdown", size: 8, linesAdded: 2, linesRemoved: 0 },
      ],
      [
        "file.changed",
        { path: "notes.md", language: "Markdown", size: 19, linesAdded: 2, linesRemoved: 0 },
      ],
      [
        "file.changed",
        { path: "notes.md", language: "Markdown", size: 5, linesAdded: 0, linesRemoved: 3 },
      ],
      [
        "file.changed",
        { path: "notes.md", language: "Markdown", size: 40, linesAdded: 5, linesRemoved: 0 },
      ],
    ]);
  });

  it("reports a change of a file that existed before the start without a line delta, then with one", async () => {
    const root = tempDir();
    writeTree(root, { "lib/old.py": "a = 1\n" });
    const h = await startMonitor(root);
    appendFileSync(join(root, "lib/old.py"), "b = 2\n");
    await h.settle();
    appendFileSync(join(root, "lib/old.py"), "c = 3\n");
    await h.settle();
    expect(h.stored().map((e) => e.data)).toEqual([
      { path: "lib/old.py", language: "Python", size: 12 },
      { path: "lib/old.py", language: "Python", size: 18, linesAdded: 1, linesRemoved: 0 },
    ]);
  });

  it("records a deletion once, with the lines removed", async () => {
    const root = tempDir();
    const h = await startMonitor(root);
    writeTree(root, { "a.go": "package a\n\nfunc A() {}\n" });
    await h.settle();
    rmSync(join(root, "a.go"));
    await h.settle();
    expect(h.stored().map((e) => [e.type, e.data])).toEqual([
      ["file.created", { path: "a.go", language: "Go", size: 23, linesAdded: 3, linesRemoved: 0 }],
      ["file.deleted", { path: "a.go", language: "Go", size: 23, linesAdded: 0, linesRemoved: 3 }],
    ]);
  });

  it("records a rename, a move across directories and a directory rename as renames only", async () => {
    const root = tempDir();
    writeTree(root, {
      "src/a.ts": "a\n",
      "src/b.ts": "bb\n",
      "pkg/x/one.rs": "1\n",
      "pkg/x/two.rs": "22\n",
    });
    const h = await startMonitor(root);
    renameSync(join(root, "src/a.ts"), join(root, "src/a2.ts"));
    mkdirSync(join(root, "lib"));
    renameSync(join(root, "src/b.ts"), join(root, "lib/b.ts"));
    renameSync(join(root, "pkg/x"), join(root, "pkg/y"));
    await h.settle();
    expect(summary(h.stored())).toEqual([
      "file.renamed pkg/x/one.rs -> pkg/y/one.rs",
      "file.renamed pkg/x/two.rs -> pkg/y/two.rs",
      "file.renamed src/a.ts -> src/a2.ts",
      "file.renamed src/b.ts -> lib/b.ts",
    ]);
    const renamed = h.stored().find((e) => e.data.path === "src/a2.ts");
    expect(renamed?.data).toEqual({
      path: "src/a2.ts",
      oldPath: "src/a.ts",
      language: "TypeScript",
      size: 2,
    });
  });

  it("records an atomic save (temp file renamed over the target) as one change, nothing for the temp", async () => {
    const root = tempDir();
    writeTree(root, { "src/main.ts": "old\n" });
    const h = await startMonitor(root);
    // VS Code / write-file-atomic style: a uniquely named temp file, renamed over the target.
    writeFileSync(join(root, "src/main.ts.4f2a9c"), "new\ncontent\n");
    renameSync(join(root, "src/main.ts.4f2a9c"), join(root, "src/main.ts"));
    await h.settle();
    expect(h.stored()).toEqual([
      { type: "file.changed", data: { path: "src/main.ts", language: "TypeScript", size: 12 } },
    ]);
  });

  it("records vim's and JetBrains' save sequences as one change each", async () => {
    const root = tempDir();
    writeTree(root, { "vim.c": "int a;\n", "jb.kt": "val a = 1\n" });
    const h = await startMonitor(root);
    // vim (backupcopy=no): swap file, rename to backup, write new file, delete backup.
    writeFileSync(join(root, ".vim.c.swp"), "swap");
    renameSync(join(root, "vim.c"), join(root, "vim.c~"));
    writeFileSync(join(root, "vim.c"), "int a;\nint b;\n");
    rmSync(join(root, "vim.c~"));
    // JetBrains safe write: temp file, old file aside, temp into place, old removed.
    writeFileSync(join(root, "jb.kt___jb_tmp___"), "val a = 2\n");
    renameSync(join(root, "jb.kt"), join(root, "jb.kt___jb_old___"));
    renameSync(join(root, "jb.kt___jb_tmp___"), join(root, "jb.kt"));
    rmSync(join(root, "jb.kt___jb_old___"));
    await h.settle();
    rmSync(join(root, ".vim.c.swp"));
    await h.settle();
    expect(summary(h.stored())).toEqual(["file.changed jb.kt", "file.changed vim.c"]);
  });

  it("never records temp and swap files, nor a file that existed only briefly", async () => {
    const root = tempDir();
    const h = await startMonitor(root);
    const temps = [
      ".a.ts.swp",
      ".a.ts.swo",
      "a.ts~",
      ".#a.ts",
      "#a.ts#",
      "a.ts___jb_tmp___",
      "x.tmp",
    ];
    for (const name of temps) writeFileSync(join(root, name), "temp");
    await h.settle();
    for (const name of temps) appendFileSync(join(root, name), "more");
    writeFileSync(join(root, "brief.txt"), "gone soon");
    rmSync(join(root, "brief.txt"));
    await h.settle();
    for (const name of temps) rmSync(join(root, name));
    await h.settle();
    expect(h.stored()).toEqual([]);
    expect(h.events).toEqual([]);
  });

  it("records size but no line delta for binary files", async () => {
    const root = tempDir();
    const h = await startMonitor(root);
    writeFileSync(join(root, "blob.dat"), Buffer.from([1, 2, 0, 3, 10, 10]));
    writeFileSync(join(root, "image.png"), "not really a png\n");
    await h.settle();
    expect(
      h
        .stored()
        .map((e) => e.data)
        .sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual([
      { path: "blob.dat", size: 6 },
      { path: "image.png", size: 17 },
    ]);
  });

  it("reports status counters and the watched path count, and stops cleanly", async () => {
    const root = tempDir();
    writeTree(root, { "a.ts": "a\n", "dir/b.ts": "b\n" });
    const h = await startMonitor(root);
    // root (in its parent's list), a.ts, dir, dir/b.ts
    expect(h.monitor.watchedPathCount()).toBe(4);
    writeTree(root, { "dir/c.ts": "c\n" });
    await h.settle();
    const status = h.monitor.status();
    expect(status).toMatchObject({ name: "file", projectId: "p1", health: "healthy" });
    expect(status.counters).toMatchObject({ events: 1, files: 3, errors: 0, invalidEvents: 0 });
    await h.monitor.stop();
    expect(h.monitor.status().health).toBe("stopped");
    expect(h.monitor.watchedPathCount()).toBe(0);
  });
});
