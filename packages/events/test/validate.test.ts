/**
 * validateEvent: defaults (UUIDv7 id, timestamp, category, per-type severity), JSON input, and
 * rejection with EVENTS_INVALID naming the bad field for every kind of bad input.
 */
import { describe, expect, it } from "vitest";
import { DevflowError, isDevflowError, isValidatedEvent, validateEvent } from "../src/index.js";
import { exampleEvent } from "./fixtures.js";
import { fileChanged } from "./helpers.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Runs `fn`, expects a DevflowError and returns it. */
function rejection(fn: () => unknown): DevflowError {
  try {
    fn();
  } catch (err) {
    expect(isDevflowError(err)).toBe(true);
    return err as DevflowError;
  }
  throw new Error("expected a DevflowError, nothing was thrown");
}

describe("validateEvent defaults", () => {
  it("fills in a UUIDv7 id, the current timestamp, the category and the severity when omitted", () => {
    const before = Date.now();
    const event = validateEvent(fileChanged("src/a.ts"));
    const after = Date.now();
    expect(event.id).toMatch(UUID_V7);
    expect(event.timestamp).toBeGreaterThanOrEqual(before);
    expect(event.timestamp).toBeLessThanOrEqual(after);
    expect(event.category).toBe("file");
    expect(event.severity).toBe("info");
    expect(event.data).toEqual({ path: "src/a.ts" });
  });

  it("generates ids that sort in creation order when many are made in the same millisecond", () => {
    const ids = Array.from({ length: 200 }, () => validateEvent(fileChanged("a.ts")).id);
    expect(new Set(ids).size).toBe(200);
    expect([...ids].sort()).toEqual(ids);
  });

  it.each([
    ["system.alert", "warning"],
    ["system.sample", "debug"],
    ["bottleneck.detected", "warning"],
    ["notification.failed", "warning"],
    ["security.login_failed", "warning"],
    ["security.permission_denied", "warning"],
    ["security.login_succeeded", "info"],
    ["git.commit", "info"],
  ] as const)("defaults the severity of %s to %s", (type, severity) => {
    expect(validateEvent(exampleEvent(type)).severity).toBe(severity);
  });

  it("keeps an explicit severity, id, timestamp and optional envelope fields", () => {
    const event = validateEvent({
      ...exampleEvent("system.alert"),
      id: "custom-id",
      timestamp: 1_700_000_000_000,
      severity: "critical",
      duration: 250,
      projectId: "p1",
      correlationId: "c1",
      parentId: "parent",
      metadata: { host: "laptop", tags: ["a"], nested: { n: 1 } },
    });
    expect(event).toMatchObject({
      id: "custom-id",
      timestamp: 1_700_000_000_000,
      severity: "critical",
      category: "system",
      duration: 250,
      projectId: "p1",
      correlationId: "c1",
      parentId: "parent",
      metadata: { host: "laptop", tags: ["a"], nested: { n: 1 } },
    });
  });

  it("fills defaults inside data (git.tag action defaults to created)", () => {
    const event = validateEvent(exampleEvent("git.tag"));
    expect(event.type === "git.tag" && event.data.action).toBe("created");
  });

  it("accepts a JSON string of a valid event", () => {
    const event = validateEvent(JSON.stringify(fileChanged("src/b.ts", { projectId: "p1" })));
    expect(event.type).toBe("file.changed");
    expect(event.projectId).toBe("p1");
    expect(event.id).toMatch(UUID_V7);
  });
});

describe("validateEvent rejections", () => {
  it.each<[string, unknown, RegExp]>([
    [
      "an unknown type",
      { type: "file.exploded", source: "t", data: {} },
      /type: unknown event type "file\.exploded"/,
    ],
    ["a non-string type", { type: 42, source: "t", data: {} }, /type: required/],
    ["a missing type", { source: "t", data: { path: "a" } }, /type: required/],
    ["a missing data.path", { type: "file.changed", source: "t", data: {} }, /data\.path: /],
    ["a missing data", { type: "file.changed", source: "t" }, /data: /],
    ["a missing source", { type: "file.changed", data: { path: "a" } }, /source: /],
    [
      "a wrong field type",
      { type: "file.changed", source: "t", data: { path: "a", size: "12" } },
      /data\.size: .*expected number/,
    ],
    [
      "an unknown data key (file contents)",
      { type: "file.changed", source: "t", data: { path: "a", content: "secret" } },
      /data: Unrecognized key: "content"/,
    ],
    [
      "an unknown envelope key",
      { type: "file.changed", source: "t", data: { path: "a" }, body: "secret" },
      /\(root\): Unrecognized key: "body"/,
    ],
    [
      "an absolute POSIX path",
      { type: "file.changed", source: "t", data: { path: "/etc/passwd" } },
      /data\.path: must be relative to the project root/,
    ],
    [
      "an absolute Windows path",
      { type: "file.changed", source: "t", data: { path: "C:\\Users\\a.ts" } },
      /data\.path: must be relative to the project root/,
    ],
    [
      "a path with '..'",
      { type: "file.changed", source: "t", data: { path: "src/../../etc/passwd" } },
      /data\.path: must not contain '\.\.' segments/,
    ],
    [
      "a renamed file whose old path escapes the root",
      { type: "file.renamed", source: "t", data: { path: "a.ts", oldPath: "..\\b.ts" } },
      /data\.oldPath: must not contain/,
    ],
    [
      "a category that does not match the type",
      { type: "file.changed", source: "t", category: "git", data: { path: "a" } },
      /category: /,
    ],
    ["an unknown severity", { ...fileChanged("a"), severity: "fatal" }, /severity: /],
    [
      "a timestamp in microseconds",
      { ...fileChanged("a"), timestamp: 1_700_000_000_000_000 },
      /timestamp: /,
    ],
    ["a negative duration", { ...fileChanged("a"), duration: -1 }, /duration: /],
    [
      "a bad nested field",
      {
        type: "git.commit",
        source: "t",
        data: { ...exampleEvent("git.commit").data, author: { name: 1 } },
      },
      /data\.author\.name: /,
    ],
    ["a non-JSON string", "{not json", /\(root\): not valid JSON/],
    ["a number", 42, /\(root\): expected an event object/],
    ["null", null, /\(root\): expected an event object/],
    ["an array", [fileChanged("a")], /\(root\): expected an event object/],
    ["a JSON string of a non-object", "[1,2]", /\(root\): expected an event object/],
  ])("rejects %s with EVENTS_INVALID naming the field", (_what, input, message) => {
    const err = rejection(() => validateEvent(input));
    expect(err).toBeInstanceOf(DevflowError);
    expect(err.code).toBe("EVENTS_INVALID");
    expect(err.message).toMatch(message);
  });

  it("lists every bad field in the message and in data.issues", () => {
    const err = rejection(() =>
      validateEvent({ type: "file.renamed", source: "", data: { path: "/abs", oldPath: ".." } }),
    );
    const issues = (err.data?.issues ?? []) as Array<{ path: string; message: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(["data.oldPath", "data.path", "source"]);
    expect(err.message).toContain("invalid event file.renamed:");
    for (const issue of issues) expect(err.message).toContain(`${issue.path}: ${issue.message}`);
  });

  it("rejects data larger than maxDataBytes, naming data and the sizes", () => {
    const input = fileChanged("a".repeat(300));
    expect(() => validateEvent(input)).not.toThrow();
    const err = rejection(() => validateEvent(input, { maxDataBytes: 256 }));
    expect(err.code).toBe("EVENTS_INVALID");
    expect(err.message).toMatch(/data: is \d+ bytes, more than the 256 allowed/);
  });

  it("rejects data over the default 64 KiB even when every field is within its own limit", () => {
    const prompt = (chars: number) => ({
      type: "ai.prompt",
      source: "t",
      data: { tool: "claude-code", sessionId: "s", chars, text: "x".repeat(chars) },
    });
    expect(() => validateEvent(prompt(60_000))).not.toThrow();
    const err = rejection(() => validateEvent(prompt(65_536)));
    expect(err.message).toMatch(/data: is \d+ bytes, more than the 65536 allowed/);
  });

  it("counts metadata towards maxDataBytes", () => {
    const input = { ...fileChanged("a.ts"), metadata: { note: "n".repeat(300) } };
    expect(() => validateEvent(input)).not.toThrow();
    expect(rejection(() => validateEvent(input, { maxDataBytes: 256 })).code).toBe(
      "EVENTS_INVALID",
    );
  });

  it("does not mutate the input object", () => {
    const input = fileChanged("src/a.ts");
    const copy = structuredClone(input);
    validateEvent(input);
    expect(input).toEqual(copy);
  });
});

describe("isValidatedEvent", () => {
  it("is true only for the very objects validateEvent returned", () => {
    const event = validateEvent(fileChanged("a.ts"));
    expect(isValidatedEvent(event)).toBe(true);
    expect(isValidatedEvent({ ...event })).toBe(false);
    expect(isValidatedEvent(fileChanged("a.ts"))).toBe(false);
    expect(isValidatedEvent(null)).toBe(false);
    expect(isValidatedEvent(JSON.stringify(event))).toBe(false);
  });
});
