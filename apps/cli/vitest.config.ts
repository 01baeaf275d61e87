import { defineProject } from "vitest/config";
import { sourceResolve } from "../../vitest.shared.ts";

// These tests spawn the built CLI many times; on a loaded 2-core machine each spawn can take
// over a second, so the per-test budget is generous.
export default defineProject({
  ...sourceResolve,
  test: { name: "cli", environment: "node", testTimeout: 60_000 },
});
