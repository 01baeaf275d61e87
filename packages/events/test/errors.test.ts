/** DevflowError, isDevflowError, toDevflowError and the no-op Logger. */
import { describe, expect, it } from "vitest";
import {
  DevflowError,
  EVENTS_ERRORS,
  isDevflowError,
  noopLogger,
  toDevflowError,
  type DevflowErrorCode,
} from "../src/index.js";

describe("the closed list of codes", () => {
  it("lists each events code once, layer-prefixed, with a one-line meaning", () => {
    for (const [code, meaning] of Object.entries(EVENTS_ERRORS)) {
      expect(code).toMatch(/^EVENTS_[A-Z0-9_]+$/);
      expect(meaning.length).toBeGreaterThan(10);
      expect(meaning).not.toContain("\n");
    }
  });

  it("refuses an unlisted code at typecheck (the union is closed)", () => {
    const listed: DevflowErrorCode = "EVENTS_STOPPED";
    // @ts-expect-error -- a typo'd code is not in DevflowErrorCodes
    const typo: DevflowErrorCode = "EVENTS_STOPED";
    // @ts-expect-error -- a code no package lists is refused too
    expect(() => new DevflowError("EVENTS_WHATEVER", "x")).not.toThrow();
    expect([listed, typo]).toEqual(["EVENTS_STOPPED", "EVENTS_STOPED"]);
  });
});

describe("DevflowError", () => {
  it("carries its name, layer-prefixed code, message, data and cause", () => {
    const cause = new Error("disk full");
    const err = new DevflowError("EVENTS_STOPPED", "could not write", {
      data: { table: "events" },
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("DevflowError");
    expect(err.code).toBe("EVENTS_STOPPED");
    expect(err.message).toBe("could not write");
    expect(err.data).toEqual({ table: "events" });
    expect(err.cause).toBe(cause);
    expect(String(err)).toBe("DevflowError: could not write");
  });

  it("has no cause or data when none is given", () => {
    const err = new DevflowError("EVENTS_STOPPED", "stopped");
    expect(err.data).toBeUndefined();
    expect("cause" in err).toBe(false);
  });
});

describe("isDevflowError", () => {
  it("recognises instances and look-alikes from a duplicated module copy", () => {
    expect(isDevflowError(new DevflowError("EVENTS_INVALID", "x"))).toBe(true);
    const copy = Object.assign(new Error("x"), { name: "DevflowError", code: "EVENTS_INVALID" });
    expect(isDevflowError(copy)).toBe(true);
  });

  it("rejects plain errors and non-errors", () => {
    expect(isDevflowError(new Error("x"))).toBe(false);
    expect(isDevflowError(Object.assign(new Error("x"), { name: "DevflowError" }))).toBe(false);
    expect(isDevflowError({ name: "DevflowError", code: "X_Y", message: "x" })).toBe(false);
    expect(isDevflowError(null)).toBe(false);
    expect(isDevflowError("DevflowError")).toBe(false);
  });
});

describe("toDevflowError", () => {
  it("returns a DevflowError unchanged", () => {
    const err = new DevflowError("EVENTS_INVALID", "bad");
    expect(toDevflowError(err, "EVENTS_INTERNAL")).toBe(err);
  });

  it("wraps an Error with the fallback code, keeping it as cause", () => {
    const original = new TypeError("boom");
    const err = toDevflowError(original, "EVENTS_INTERNAL");
    expect(err).toBeInstanceOf(DevflowError);
    expect(err.code).toBe("EVENTS_INTERNAL");
    expect(err.message).toBe("boom");
    expect(err.cause).toBe(original);
  });

  it("wraps a thrown non-error value", () => {
    const err = toDevflowError("just a string", "EVENTS_INTERNAL");
    expect(err.message).toBe("just a string");
    expect(err.cause).toBe("just a string");
  });
});

describe("noopLogger", () => {
  it("accepts both call styles, discards everything and returns itself as child", () => {
    expect(() => {
      noopLogger.info("message");
      noopLogger.warn({ err: new Error("x") }, "message");
      noopLogger.debug({ a: 1 });
      noopLogger.error("e");
    }).not.toThrow();
    expect(noopLogger.child({ component: "x" })).toBe(noopLogger);
  });
});
