import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach } from "vitest";

type Cleanup = () => Promise<void> | void;

const afterTest: Cleanup[] = [];
const afterFile: Cleanup[] = [];
let fileScope = false;

async function drain(list: Cleanup[]): Promise<void> {
  for (const fn of list.splice(0).reverse()) await fn();
}

afterEach(() => drain(afterTest));
afterAll(() => drain(afterFile));

/**
 * Runs `fn` after the current test, last registered first (inside `forFile`: after the test
 * file). Every helper of this package registers its own cleanup here.
 */
export function onCleanup(fn: Cleanup): void {
  (fileScope ? afterFile : afterTest).push(fn);
}

/** Runs `fn` so that what it creates lives until the end of the test file (for `beforeAll`). */
export function forFile<T>(fn: () => T): T {
  fileScope = true;
  try {
    return fn();
  } finally {
    fileScope = false;
  }
}

/** A new temp directory, removed (recursively) after the test. */
export function tempDir(prefix = "devflow-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
