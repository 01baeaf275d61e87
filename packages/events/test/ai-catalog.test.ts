// The ai.* event schemas: the optional fields the AI readers and attribution add, and what
// they still refuse.
import { describe, expect, it } from "vitest";
import { validateEvent } from "../src/index.js";

const ok = (type: string, data: object) => validateEvent({ type, source: "test", data });

describe("ai.* events", () => {
  it("accept the reader and attribution fields", () => {
    expect(
      ok("ai.usage", {
        tool: "claude-code",
        sessionId: "s",
        model: "claude-opus-4-6",
        inputTokens: 1,
        outputTokens: 2,
        cacheWriteTokens: 10,
        cacheWrite1hTokens: 4,
        cacheReadTokens: 100,
        reasoningTokens: 0,
        costUsd: 0.1,
        costSource: "calculated",
        requestKey: "m:r",
        sidechain: false,
        speed: "fast",
        placeholderInput: true,
        cwd: "/work/x",
      }).type,
    ).toBe("ai.usage");
    expect(
      ok("ai.session_started", { tool: "cursor", sessionId: "p", detectedBy: "process", pid: 42 })
        .type,
    ).toBe("ai.session_started");
    expect(
      ok("ai.session_ended", {
        tool: "cursor",
        sessionId: "p",
        reason: "process_gone",
        lastActivity: 5,
      }).type,
    ).toBe("ai.session_ended");
    expect(
      ok("ai.edit", {
        tool: "codex",
        sessionId: "s",
        path: "src/a.ts",
        linesAdded: 1,
        linesRemoved: 0,
        op: "create",
        via: "apply_patch",
        toolUseId: "c1",
      }).type,
    ).toBe("ai.edit");
    const attributed = ok("ai.commit_attributed", {
      hash: "abcdef1",
      tool: "claude-code",
      method: "fingerprint",
      confidence: "high",
      evidence: [{ kind: "line_match", detail: "5 of 5", confidence: "high", tool: "claude-code" }],
      linesAdded: 5,
      aiLinesAdded: 5,
      aiLines: { "src/c.ts": [[1, 5]] },
    });
    expect(attributed.type).toBe("ai.commit_attributed");
  });

  it("refuse bad values in the new fields", () => {
    expect(() =>
      ok("ai.usage", {
        tool: "x",
        sessionId: "s",
        model: "m",
        inputTokens: 1,
        outputTokens: 1,
        costSource: "guessed",
      }),
    ).toThrow(/costSource/);
    expect(() =>
      ok("ai.tool_use", { tool: "x", sessionId: "s", name: "Edit", path: "/etc/passwd" }),
    ).toThrow(/relative/);
    expect(() =>
      ok("ai.commit_attributed", {
        hash: "abcdef1",
        tool: "x",
        method: "trailer",
        aiLines: { a: [[1]] },
      }),
    ).toThrow(/aiLines/);
    expect(() =>
      ok("ai.prompt", { tool: "x", sessionId: "s", chars: 3, kind: "tool_result" }),
    ).toThrow(/kind/);
  });
});
