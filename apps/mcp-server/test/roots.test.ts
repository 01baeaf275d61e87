/**
 * The project-root allowlist on a real directory tree: `..`, absolute paths elsewhere,
 * symlinks that leave the root (existing, dangling, chained), sibling prefixes, NUL bytes and
 * over-long paths are refused with TOOLS_PATH_OUTSIDE_ROOTS / TOOLS_BAD_PATH; paths inside,
 * including through a symlink that stays inside, are accepted in canonical form. Checked on
 * `ProjectRoots` directly and through the tools of an MCP server (in-memory transport).
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { noopLogger } from "@devflow/events";
import { OPERATIONS, createDevflowMcpServer, ProjectRoots } from "@devflow/mcp-tools";
import { openStorage, type Storage } from "@devflow/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, tempDir } from "./support.js";

let base: string;
let root: string;
let outside: string;
let roots: ProjectRoots;
let storage: Storage;

beforeAll(() => {
  base = tempDir("roots");
  root = join(base, "repo");
  outside = join(base, "outside");
  for (const d of [root, outside, `${root}-evil`, join(root, "src"), join(root, "sub")]) {
    mkdirSync(d);
  }
  writeFileSync(join(root, "src", "index.ts"), "export {};\n");
  writeFileSync(join(outside, "secret.txt"), "secret\n");
  mkdirSync(join(root, "..dots"));
  symlinkSync(join(root, "src"), join(root, "sub", "inner-link"));
  symlinkSync("../src/index.ts", join(root, "sub", "relative-link"));
  symlinkSync(outside, join(root, "escape"));
  symlinkSync("../outside/secret.txt", join(root, "escape-file"));
  symlinkSync(join(outside, "not-yet"), join(root, "dangling"));
  symlinkSync(join(root, "escape"), join(root, "chain"));
  symlinkSync(join(root, "loop"), join(root, "loop"));
  symlinkSync(root, join(base, "repo-link"));
  roots = new ProjectRoots([root]);
  storage = openStorage({ path: join(base, "devflow.db") });
  storage.projects.add({ name: "repo", rootPath: root });
});

afterAll(() => {
  storage.close();
  rmSync(base, { recursive: true, force: true });
});

function code(fn: () => unknown): string {
  try {
    fn();
    return "accepted";
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe("ProjectRoots", () => {
  it("canonicalises its roots, including one given through a symlink", () => {
    expect(roots.roots).toEqual([root]);
    expect(new ProjectRoots([join(base, "repo-link"), root]).roots).toEqual([root]);
    expect(new ProjectRoots([`${root}/./sub/..`]).roots).toEqual([root]);
  });

  it.each([
    [".", ""],
    ["", "root itself as absolute"],
    ["sub", "sub"],
    ["./sub/../sub", "sub"],
    ["src/index.ts", "src/index.ts"],
    ["sub/inner-link", "src"],
    ["sub/inner-link/index.ts", "src/index.ts"],
    ["sub/relative-link", "src/index.ts"],
    ["new/dir/file.txt", "new/dir/file.txt"],
    ["..dots", "..dots"],
    ["loop", "loop"],
  ])("accepts %s (inside the root)", (path, expected) => {
    const input = path === "" ? root : path;
    const want = expected === "" || path === "" ? root : join(root, expected);
    expect(roots.resolve(input)).toBe(want);
    expect(roots.resolve(join(root, input === root ? "." : input))).toBe(want);
    expect(roots.contains(want)).toBe(true);
  });

  it("accepts a path through another symlink to the root", () => {
    expect(roots.resolve(join(base, "repo-link", "sub"))).toBe(join(root, "sub"));
  });

  it.each([
    "..",
    "../outside",
    "../outside/secret.txt",
    "sub/../../outside",
    "src/../../repo-evil",
    "escape",
    "escape/secret.txt",
    "escape/new-file",
    "escape-file",
    "dangling",
    "dangling/new-file",
    "chain",
    "chain/secret.txt",
    "/",
    "/etc/passwd",
    "OUTSIDE",
    "EVIL",
    "EVIL/x",
    "ROOTevil",
  ])("refuses %s with TOOLS_PATH_OUTSIDE_ROOTS", (path) => {
    const input = path
      .replace("OUTSIDE", outside)
      .replace("EVIL", `${root}-evil`)
      .replace("ROOT", root);
    expect(code(() => roots.resolve(input))).toBe("TOOLS_PATH_OUTSIDE_ROOTS");
  });

  it("a sibling-prefix directory is not inside the root", () => {
    expect(roots.contains(`${root}-evil`)).toBe(false);
    expect(roots.contains(`${root}evil`)).toBe(false);
    expect(roots.contains(base)).toBe(false);
    expect(roots.contains(root)).toBe(true);
  });

  it.each([
    ["NUL byte", "src\u0000/../../outside"],
    ["NUL only", "\u0000"],
    ["empty", ""],
    ["4097 characters", "a".repeat(4097)],
    ["deep nesting", "sub/".repeat(1100)],
  ])("refuses a %s path with TOOLS_BAD_PATH", (_label, path) => {
    expect(code(() => roots.resolve(path))).toBe("TOOLS_BAD_PATH");
  });

  it("accepts 4096 characters and uses `base` for relative paths", () => {
    const long = `${"d/".repeat(2047)}x`.slice(0, 4096);
    expect(roots.resolve(long)).toBe(join(root, long));
    expect(roots.resolve("index.ts", join(root, "src"))).toBe(join(root, "src", "index.ts"));
    expect(code(() => roots.resolve("secret.txt", outside))).toBe("TOOLS_PATH_OUTSIDE_ROOTS");
  });

  it("with no roots allows nothing", () => {
    const none = new ProjectRoots([]);
    expect(code(() => none.resolve("."))).toBe("TOOLS_PATH_OUTSIDE_ROOTS");
    expect(code(() => none.resolve(root))).toBe("TOOLS_PATH_OUTSIDE_ROOTS");
    expect(none.contains(root)).toBe(false);
  });

  it("with several roots accepts each and nothing between them", () => {
    const two = new ProjectRoots([join(root, "src"), outside]);
    expect(two.resolve(join(outside, "secret.txt"))).toBe(join(outside, "secret.txt"));
    expect(two.resolve("index.ts")).toBe(join(root, "src", "index.ts"));
    expect(code(() => two.resolve(join(root, "sub")))).toBe("TOOLS_PATH_OUTSIDE_ROOTS");
    expect(code(() => two.resolve(".."))).toBe("TOOLS_PATH_OUTSIDE_ROOTS");
  });
});

describe("path arguments of the MCP tools", () => {
  async function client(): Promise<Client> {
    const server = createDevflowMcpServer(
      {
        storage,
        roots,
        home: base,
        clock: () => new Date(),
        logger: noopLogger,
        caller: { kind: "local", name: "test" },
        runtimeStatus: () => null,
      },
      { version: "test", tools: OPERATIONS, toolsets: ["all"] },
    );
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const c = new Client({ name: "roots-test", version: "1" });
    await c.connect(clientSide);
    return c;
  }

  it("register_project refuses every escape and registers only canonical paths inside", async () => {
    const c = await client();
    const hostile: [string, RegExp][] = [
      ["..", /^TOOLS_PATH_OUTSIDE_ROOTS: /],
      [outside, /^TOOLS_PATH_OUTSIDE_ROOTS: /],
      ["escape", /^TOOLS_PATH_OUTSIDE_ROOTS: /],
      ["chain", /^TOOLS_PATH_OUTSIDE_ROOTS: /],
      ["dangling", /^TOOLS_PATH_OUTSIDE_ROOTS: /],
      [`${root}-evil`, /^TOOLS_PATH_OUTSIDE_ROOTS: /],
      ["sub\u0000", /^TOOLS_BAD_PATH: /],
      ["x".repeat(5000), /Input validation error|^TOOLS_BAD_PATH: /],
      ["escape-file", /^TOOLS_PATH_OUTSIDE_ROOTS: /],
      ["src/index.ts", /^TOOLS_BAD_PATH: src\/index.ts: not an existing directory/],
    ];
    for (const [path, expected] of hostile) {
      const r = await c.callTool({ name: "register_project", arguments: { path } });
      expect(r.isError, path).toBe(true);
      expect(resultText(r), path.slice(0, 80)).toMatch(expected);
      // The refusal never echoes the resolved outside location.
      expect(resultText(r)).not.toContain(outside);
    }
    const viaLink = await c.callTool({
      name: "register_project",
      arguments: { path: "sub/inner-link" },
    });
    expect(viaLink.isError, resultText(viaLink)).toBeFalsy();
    expect(viaLink.structuredContent).toMatchObject({ project: { rootPath: join(root, "src") } });
    const dots = await c.callTool({ name: "register_project", arguments: { path: "..dots" } });
    expect(dots.structuredContent).toMatchObject({ project: { rootPath: join(root, "..dots") } });
    expect(
      storage.projects
        .list()
        .map((p) => p.rootPath)
        .sort(),
    ).toEqual([root, join(root, "..dots"), join(root, "src")].sort());
    await c.close();
  });

  it("a project argument given as a path is resolved the same way", async () => {
    const c = await client();
    const inside = await c.callTool({
      name: "get_project_status",
      arguments: { project: join(root, "sub", "relative-link") },
    });
    expect(inside.isError, resultText(inside)).toBeFalsy();
    expect(inside.structuredContent).toMatchObject({ project: { rootPath: join(root, "src") } });
    for (const project of ["escape/secret.txt", "../outside", `${root}-evil`, "/etc"]) {
      const r = await c.callTool({ name: "get_project_status", arguments: { project } });
      expect(r.isError, project).toBe(true);
      expect(resultText(r)).toMatch(/^TOOLS_PATH_OUTSIDE_ROOTS: /);
    }
    const nul = await c.callTool({ name: "get_activity", arguments: { project: "a\u0000b" } });
    expect(resultText(nul)).toMatch(/^TOOLS_BAD_PATH: /);
    await c.close();
  });
});
