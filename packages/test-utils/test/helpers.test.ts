// The helpers themselves: cleanup really happens, the repositories are real, the logger keeps
// what it was given. Tests in one file run in order, so the second test sees the first's cleanup.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  captureLogger,
  commitFile,
  makeRepo,
  openTempStorage,
  runGit,
  tempDir,
} from "../src/index.js";

const created: string[] = [];

describe("@devflow/test-utils", () => {
  it("creates temp dirs, repositories and storage", () => {
    const dir = tempDir();
    expect(existsSync(dir)).toBe(true);
    const repo = makeRepo();
    const hash = commitFile(repo, "a.txt", "one\n", "feat: a");
    expect(runGit(repo, ["log", "--format=%H %s"]).trim().split("\n")).toEqual([
      `${hash} feat: a`,
      expect.stringMatching(/^[0-9a-f]{40} chore: init$/),
    ]);
    const storage = openTempStorage();
    expect(storage.projects.list()).toEqual([]);
    created.push(dir, repo);
  });

  it("removed them after the previous test", () => {
    expect(created).toHaveLength(2);
    for (const dir of created) expect(existsSync(dir)).toBe(false);
  });

  it("captures log calls, structured and as JSON", () => {
    const { logger, lines, json } = captureLogger();
    logger.child({ component: "x" }).warn({ err: new Error("boom"), n: 1 }, "failed");
    logger.info("plain");
    expect(lines.map((l) => [l.level, l.bindings, l.msg])).toEqual([
      ["warn", { component: "x" }, "failed"],
      ["info", {}, "plain"],
    ]);
    const first = JSON.parse(json[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: "warn", component: "x", n: 1, msg: "failed" });
    expect((first["err"] as { message: string }).message).toBe("boom");
    expect(JSON.parse(json[1]!)).toEqual({ level: "info", msg: "plain" });
  });
});
