import { defineProject } from "vitest/config";
import { sourceResolve } from "../../vitest.shared.ts";

// These tests spawn the built server; on a loaded 2-core machine a spawn can take seconds.
export default defineProject({
  ...sourceResolve,
  test: { name: "mcp-server", environment: "node", testTimeout: 120_000 },
});
