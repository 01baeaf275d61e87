/**
 * The closed error codes (issue 12): every package's list is layer-prefixed and disjoint from the
 * others, each README's "Error codes" table has exactly the listed codes, `knownErrorCode`
 * accepts listed codes only, and the control channel keeps a listed code it reads off the wire.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ANALYZERS_ERRORS } from "@devflow/analyzers";
import { EVENTS_ERRORS } from "@devflow/events";
import { TOOLS_ERRORS } from "@devflow/mcp-tools";
import { MONITORS_ERRORS } from "@devflow/monitors";
import { SECURITY_ERRORS } from "@devflow/security";
import { STORAGE_ERRORS } from "@devflow/storage";
import { describe, expect, it } from "vitest";
import { knownErrorCode, RUNTIME_ERRORS } from "../src/index.js";

const LISTS: Record<string, Readonly<Record<string, string>>> = {
  events: EVENTS_ERRORS,
  security: SECURITY_ERRORS,
  storage: STORAGE_ERRORS,
  monitors: MONITORS_ERRORS,
  analyzers: ANALYZERS_ERRORS,
  "mcp-tools": TOOLS_ERRORS,
  runtime: RUNTIME_ERRORS,
};

/** The codes in the "## Error codes" section's table of a package README. */
function readmeCodes(pkg: string): string[] {
  const path = fileURLToPath(new URL(`../../${pkg}/README.md`, import.meta.url));
  const text = readFileSync(path, "utf8");
  const section = text.slice(text.indexOf("\n## Error codes"));
  const end = section.indexOf("\n## ", 1);
  const body = end === -1 ? section : section.slice(0, end);
  return [...body.matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\|/gm)].map((m) => m[1]!);
}

describe("error code lists", () => {
  it("are SCREAMING_SNAKE with a known layer, one line of meaning each, and disjoint", () => {
    const seen = new Map<string, string>();
    for (const [pkg, list] of Object.entries(LISTS)) {
      for (const [code, meaning] of Object.entries(list)) {
        expect(code, pkg).toMatch(
          /^(EVENTS|STORAGE|SECURITY|MONITORS|ANALYZERS|INTEGRATIONS|TOOLS|CONFIG|RUNTIME|CLI|API)_[A-Z0-9_]+$/,
        );
        expect(meaning.trim().length, code).toBeGreaterThan(10);
        expect(meaning, code).not.toContain("\n");
        expect(seen.get(code), `${code} listed by ${pkg} and ${seen.get(code)}`).toBeUndefined();
        seen.set(code, pkg);
      }
    }
    // The merged synonyms are gone (issue 12).
    for (const old of [
      "SECURITY_INVALID_KEYRING",
      "SECURITY_INVALID_ARGUMENT",
      "STORAGE_INVALID",
      "STORAGE_INVALID_QUERY",
      "STORAGE_NOT_FOUND",
      "ANALYZERS_BAD_OPTION",
      "ANALYZERS_INVALID_INPUT",
      "ANALYZERS_UNKNOWN_PROJECT",
      "MONITORS_INVALID_QUERY",
      "MONITORS_INVALID",
    ]) {
      expect(seen.has(old), old).toBe(false);
    }
  });

  it.each(Object.keys(LISTS))("the README of %s has a row for exactly its codes", (pkg) => {
    expect(readmeCodes(pkg).sort()).toEqual(Object.keys(LISTS[pkg]!).sort());
  });

  it("knownErrorCode accepts listed codes and nothing else", () => {
    expect(knownErrorCode("STORAGE_UNKNOWN_PROJECT")).toBe("STORAGE_UNKNOWN_PROJECT");
    expect(knownErrorCode("RUNTIME_LOCK_BUSY")).toBe("RUNTIME_LOCK_BUSY");
    expect(knownErrorCode("TOOLS_BAD_ARGUMENT")).toBe("TOOLS_BAD_ARGUMENT");
    expect(knownErrorCode("STORAGE_INVALID_QUERY")).toBeUndefined();
    expect(knownErrorCode("RUNTIME_MADE_UP")).toBeUndefined();
    expect(knownErrorCode("")).toBeUndefined();
  });
});
