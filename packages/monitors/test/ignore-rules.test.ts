/**
 * createIgnoreMatcher on real directories: always-ignored names, root and nested `.gitignore`
 * files (relative to their directory, negations, directory-only patterns), configured patterns,
 * lazy loading, invalidation and the ignored-directory count.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createIgnoreMatcher, isTempFileName } from "../src/ignore-rules.js";

const DIR = { isDirectory: () => true };
const FILE = { isDirectory: () => false };
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "devflow-ignore-")));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

describe("createIgnoreMatcher", () => {
  it("always ignores .git, node_modules and editor temp files, with no .gitignore", () => {
    const root = tree({});
    const m = createIgnoreMatcher(root);
    expect(m.ignores(join(root, ".git"), DIR)).toBe(true);
    expect(m.ignores(join(root, "sub/.git"), FILE)).toBe(true); // worktree/submodule marker
    expect(m.ignores(join(root, "node_modules"), DIR)).toBe(true);
    expect(m.ignores(join(root, "packages/a/node_modules"))).toBe(true);
    for (const name of [
      ".a.ts.swp",
      "a.ts~",
      ".#a.ts",
      "#a.ts#",
      "a.ts___jb_tmp___",
      "a.ts___jb_old___",
      "x.tmp",
    ]) {
      expect([name, m.ignores(join(root, "src", name), FILE)]).toEqual([name, true]);
    }
    expect(m.ignores(join(root, "src/app.ts"), FILE)).toBe(false);
    expect(m.ignores(join(root, "src"), DIR)).toBe(false);
  });

  it("never ignores the root itself or paths outside it", () => {
    const root = tree({ ".gitignore": "*\n" });
    const m = createIgnoreMatcher(root);
    expect(m.ignores(root, DIR)).toBe(false);
    expect(m.ignores(`${root}-sibling/x.ts`, FILE)).toBe(false);
    expect(m.ignores("/elsewhere/x.ts", FILE)).toBe(false);
    expect(m.ignores(join(root, "x.ts"), FILE)).toBe(true);
  });

  it("applies the root .gitignore, with directory-only patterns matching directories only", () => {
    const root = tree({ ".gitignore": "dist/\n*.log\n/build\n!keep.log\n" });
    const m = createIgnoreMatcher(root);
    expect(m.ignores(join(root, "dist"), DIR)).toBe(true);
    expect(m.ignores(join(root, "dist"), FILE)).toBe(false); // a file named dist
    expect(m.ignores(join(root, "dist"))).toBe(false); // kind unknown: chokidar asks again with stats
    expect(m.ignores(join(root, "src/dist"), DIR)).toBe(true);
    expect(m.ignores(join(root, "error.log"), FILE)).toBe(true);
    expect(m.ignores(join(root, "logs/deep/error.log"), FILE)).toBe(true);
    expect(m.ignores(join(root, "keep.log"), FILE)).toBe(false);
    expect(m.ignores(join(root, "build"), DIR)).toBe(true);
    expect(m.ignores(join(root, "src/build"), DIR)).toBe(false); // anchored to the root
  });

  it("applies nested .gitignore files relative to their directory, overriding the ones above", () => {
    const root = tree({
      ".gitignore": "*.gen.ts\n",
      "packages/a/.gitignore": "out/\n/local.json\n!keep.gen.ts\n",
      "packages/a/src/.gitignore": "*.snap\n",
    });
    const m = createIgnoreMatcher(root);
    const a = join(root, "packages/a");
    expect(m.ignores(join(a, "out"), DIR)).toBe(true);
    expect(m.ignores(join(a, "src/out"), DIR)).toBe(true);
    expect(m.ignores(join(root, "out"), DIR)).toBe(false); // not under packages/a
    expect(m.ignores(join(a, "local.json"), FILE)).toBe(true);
    expect(m.ignores(join(a, "src/local.json"), FILE)).toBe(false); // anchored to packages/a
    expect(m.ignores(join(a, "x.gen.ts"), FILE)).toBe(true); // root rule applies below
    expect(m.ignores(join(a, "keep.gen.ts"), FILE)).toBe(false); // nested negation wins
    expect(m.ignores(join(root, "keep.gen.ts"), FILE)).toBe(true);
    expect(m.ignores(join(a, "src/x.snap"), FILE)).toBe(true);
    expect(m.ignores(join(a, "x.snap"), FILE)).toBe(false);
  });

  it("adds the configured patterns after the root .gitignore, so they can re-include", () => {
    const root = tree({ ".gitignore": "*.csv\n" });
    const m = createIgnoreMatcher(root, ["coverage/", "!data/important.csv", "*.bak"]);
    expect(m.ignores(join(root, "coverage"), DIR)).toBe(true);
    expect(m.ignores(join(root, "old.bak"), FILE)).toBe(true);
    expect(m.ignores(join(root, "data/other.csv"), FILE)).toBe(true);
    expect(m.ignores(join(root, "data/important.csv"), FILE)).toBe(false);
  });

  it("reads a nested .gitignore lazily and re-reads it after invalidate", () => {
    const root = tree({ "sub/a.txt": "" });
    const m = createIgnoreMatcher(root);
    // Written after the matcher was created, before the directory was first seen: applies.
    writeFileSync(join(root, "sub/.gitignore"), "a.txt\n");
    expect(m.ignores(join(root, "sub/a.txt"), FILE)).toBe(true);
    writeFileSync(join(root, "sub/.gitignore"), "b.txt\n");
    expect(m.ignores(join(root, "sub/a.txt"), FILE)).toBe(true); // cached until invalidated
    m.invalidate(join(root, "sub"));
    expect(m.ignores(join(root, "sub/a.txt"), FILE)).toBe(false);
    expect(m.ignores(join(root, "sub/b.txt"), FILE)).toBe(true);
  });

  it("counts each ignored directory once and reports it", () => {
    const root = tree({ ".gitignore": "dist/\n" });
    const seen: string[] = [];
    const m = createIgnoreMatcher(root, [], { onIgnoredDir: (p) => seen.push(p) });
    for (let i = 0; i < 3; i++) {
      m.ignores(join(root, "dist"), DIR);
      m.ignores(join(root, "node_modules"), DIR);
      m.ignores(join(root, "src"), DIR);
      m.ignores(join(root, "x.tmp"), FILE);
    }
    expect(m.ignoredDirCount).toBe(2);
    expect(seen).toEqual([join(root, "dist"), join(root, "node_modules")]);
  });

  it("keeps answering correctly past its cache reset", () => {
    const root = tree({ ".gitignore": "*.o\n" });
    const m = createIgnoreMatcher(root);
    let ignored = 0;
    for (let i = 0; i < 25_000; i++)
      if (m.ignores(join(root, `d${i % 50}/f${i}.${i % 2 ? "o" : "c"}`), FILE)) ignored++;
    expect(ignored).toBe(12_500);
  });
});

describe("isTempFileName", () => {
  it("tells editor temp files from ordinary names", () => {
    expect(
      ["a.swp", "a.swx", "a~", ".#a", "#a#", "a___jb_tmp___", "a.tmp"].map(isTempFileName),
    ).toEqual(Array(7).fill(true));
    expect(["a.ts", "#", "tmp", "a.tmpl", "swp", ".gitignore", "a#"].map(isTempFileName)).toEqual(
      Array(7).fill(false),
    );
  });
});
