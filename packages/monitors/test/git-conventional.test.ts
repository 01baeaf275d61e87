// Conventional-commit subjects, trailers and message redaction.
import { describe, expect, it } from "vitest";
import {
  applyMessagePolicy,
  canonicalTrailerKey,
  groupTrailers,
  parseConventionalCommit,
  parseTrailers,
  redactText,
} from "../src/index.js";

describe("conventional commits", () => {
  it.each([
    ["feat: add login", { type: "feat", breaking: false, description: "add login" }],
    [
      "fix(api): handle 404",
      { type: "fix", scope: "api", breaking: false, description: "handle 404" },
    ],
    [
      "feat(ui)!: new layout",
      { type: "feat", scope: "ui", breaking: true, description: "new layout" },
    ],
    ["refactor!: drop node 18", { type: "refactor", breaking: true, description: "drop node 18" }],
    ["FEAT(Core): Upper", { type: "feat", scope: "Core", breaking: false, description: "Upper" }],
    [
      "build(deps-dev): bump vitest",
      { type: "build", scope: "deps-dev", breaking: false, description: "bump vitest" },
    ],
    ["chore(): empty scope", { type: "chore", breaking: false, description: "empty scope" }],
  ])("parses %j", (subject, expected) => {
    expect(parseConventionalCommit(subject)).toEqual(expected);
  });

  it.each([
    "Merge branch 'topic'",
    "fixup! feat: x",
    'Revert "feat: x"',
    "update readme",
    "feat:missing space",
    "feat(a)(b): two scopes",
    "two words: not a type",
    "",
  ])("rejects %j", (subject) => {
    expect(parseConventionalCommit(subject)).toBeUndefined();
  });

  it("sees a BREAKING CHANGE footer and reads only the subject line", () => {
    expect(
      parseConventionalCommit("feat: x\n\nbody\n\nBREAKING CHANGE: config renamed"),
    ).toMatchObject({
      type: "feat",
      breaking: true,
    });
    expect(parseConventionalCommit("fix: y\n\nBREAKING-CHANGE: gone")?.breaking).toBe(true);
    expect(parseConventionalCommit("fix: y\n\nnot a BREAKING CHANGE: here")?.breaking).toBe(false);
    expect(parseConventionalCommit("plain subject\n\nfeat: in the body")).toBeUndefined();
  });
});

describe("trailers", () => {
  it("reads the last paragraph when every line is a trailer, canonicalising keys", () => {
    const message = [
      "feat: pair work",
      "",
      "Some body text: with a colon.",
      "",
      "Co-Authored-By: Claude <noreply@anthropic.com>",
      "co-authored-by: Bob <bob@example.com>",
      "Signed-off-by: Ada <ada@example.com>",
      "Refs: #12",
      "  continued here",
      "(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)",
    ].join("\n");
    const trailers = parseTrailers(message);
    expect(trailers).toEqual([
      { key: "Co-authored-by", value: "Claude <noreply@anthropic.com>" },
      { key: "Co-authored-by", value: "Bob <bob@example.com>" },
      { key: "Signed-off-by", value: "Ada <ada@example.com>" },
      { key: "Refs", value: "#12 continued here" },
    ]);
    expect(groupTrailers(trailers)).toEqual({
      "Co-authored-by": ["Claude <noreply@anthropic.com>", "Bob <bob@example.com>"],
      "Signed-off-by": ["Ada <ada@example.com>"],
      Refs: ["#12 continued here"],
    });
  });

  it("finds none in the subject, in prose, or in a mixed last paragraph", () => {
    expect(parseTrailers("Signed-off-by: only a subject")).toEqual([]);
    expect(parseTrailers("fix: x\n\nJust prose here.")).toEqual([]);
    expect(parseTrailers("fix: x\n\nSigned-off-by: A <a@x.io>\nand some prose")).toEqual([]);
    expect(parseTrailers("fix: x\r\n\r\nReviewed-by: R <r@x.io>\r\n\r\n")).toEqual([
      { key: "Reviewed-by", value: "R <r@x.io>" },
    ]);
  });

  it("keeps BREAKING CHANGE as a footer key", () => {
    expect(parseTrailers("feat: x\n\nBREAKING CHANGE: all new")).toEqual([
      { key: "BREAKING CHANGE", value: "all new" },
    ]);
    expect(canonicalTrailerKey("SIGNED-OFF-BY")).toBe("Signed-off-by");
  });
});

describe("message privacy", () => {
  it("masks e-mail addresses and secret-looking tokens, keeps the rest", () => {
    const token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";
    expect(redactText(`fix: rotate ${token} for alice@example.com`)).toBe(
      "fix: rotate [secret] for [email]",
    );
    expect(redactText("chore: set password=hunter2hunter2 and api_key: 'abcdef123456'")).toBe(
      "chore: set password=[secret] and api_key: '[secret]'",
    );
    expect(redactText("ci: use https://bot:s3cr3tP4ss@git.example.com/repo.git")).toBe(
      "ci: use https://bot:[secret]@git.example.com/repo.git",
    );
    expect(redactText("add key AKIAIOSFODNN7EXAMPLE and sk-ant-api03-abcdefghijklmnopqrstuv")).toBe(
      "add key [secret] and [secret]",
    );
    expect(
      redactText(
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      ),
    ).toBe("jwt [secret]");
    expect(redactText("random Zx8Kq2Lm9Pw4Rt7Yv1Nb6Hc3Jd5Fg0Se2Ua8Ti4")).toBe("random [secret]");
  });

  it("keeps ordinary text, commit hashes and long identifiers", () => {
    const text =
      "This reverts commit 0123456789abcdef0123456789abcdef01234567.\n" +
      "Rename someVeryLongFunctionNameWithoutAnyDigits to parseTheThing; see #123.";
    expect(redactText(text)).toBe(text);
  });

  it("applies the policy: full, redacted, none", () => {
    const text = "feat: for bob@example.com";
    expect(applyMessagePolicy(text, "full")).toBe(text);
    expect(applyMessagePolicy(text, "redacted")).toBe("feat: for [email]");
    expect(applyMessagePolicy(text, "none")).toBeUndefined();
  });
});
