import { defineProject } from "vitest/config";

// These tests spawn the built server; on a loaded 2-core machine a spawn can take seconds.
export default defineProject({
  test: { name: "mcp-server", environment: "node", testTimeout: 120_000 },
});
