// Tests import the workspace's packages through the `@devflow/source` export condition, so they
// run against `src` and cannot pass against a stale `dist` (vitest.shared.ts). The classes a
// package defines exist once per loaded module: if `@devflow/events` (directly, or through
// `@devflow/storage`'s own import of it) resolved to `dist/index.js`, its `DevflowError` would be
// a different class from the one in `packages/events/src/errors.ts`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DevflowError } from "@devflow/events";
import { openStorage } from "@devflow/storage";
// eslint-disable-next-line no-restricted-imports -- the point of this test: the src module itself
import { DevflowError as SourceDevflowError } from "../../events/src/errors.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the @devflow/source export condition", () => {
  it("resolves a direct import of @devflow/events to its src", () => {
    expect(DevflowError).toBe(SourceDevflowError);
  });

  it("resolves the imports inside another package's src too", () => {
    const dir = mkdtempSync(join(tmpdir(), "devflow-source-"));
    dirs.push(dir);
    writeFileSync(join(dir, "not-a-dir"), "");
    // The parent of the database path is a file: openStorage (storage's src) throws the
    // DevflowError of the @devflow/events module it imported.
    let caught: unknown;
    try {
      openStorage({ path: join(dir, "not-a-dir", "devflow.db") }).close();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SourceDevflowError);
    expect((caught as DevflowError).code).toBe("STORAGE_OPEN_FAILED");
  });
});
