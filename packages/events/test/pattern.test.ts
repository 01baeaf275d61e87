/** compilePattern: `*`, `<category>.*`, exact types, and EVENTS_BAD_PATTERN for anything else. */
import { describe, expect, it } from "vitest";
import { compilePattern, DevflowError } from "../src/index.js";

describe("compilePattern", () => {
  it("matches every type with *", () => {
    const match = compilePattern("*");
    for (const type of ["git.commit", "file.changed", "security.login_failed"]) {
      expect(match(type)).toBe(true);
    }
  });

  it("matches a whole category with git.* and nothing outside it", () => {
    const match = compilePattern("git.*");
    expect(match("git.commit")).toBe(true);
    expect(match("git.branch_created")).toBe(true);
    expect(match("github.commit")).toBe(false);
    expect(match("file.changed")).toBe(false);
    expect(match("git")).toBe(false);
  });

  it("matches only the exact type for an exact pattern", () => {
    const match = compilePattern("git.commit");
    expect(match("git.commit")).toBe(true);
    expect(match("git.commit_x")).toBe(false);
    expect(match("git.comm")).toBe(false);
    expect(match("ai.commit")).toBe(false);
  });

  it.each([
    "",
    "git",
    "git.",
    "*.commit",
    "git.**",
    "Git.*",
    "git.commit.*",
    "git.com*",
    " git.*",
    "**",
  ])("throws EVENTS_BAD_PATTERN when the pattern is %j", (pattern) => {
    expect(() => compilePattern(pattern)).toThrow(DevflowError);
    try {
      compilePattern(pattern);
    } catch (err) {
      expect((err as DevflowError).code).toBe("EVENTS_BAD_PATTERN");
      expect((err as DevflowError).message).toContain(`"${pattern}"`);
    }
  });
});
