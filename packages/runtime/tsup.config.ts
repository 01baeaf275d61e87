import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base.ts";

// The root, the app logger (`./logger`) and the MCP serving entry (`./mcp`).
export default defineConfig(
  tsupConfig({ entry: ["src/index.ts", "src/logger.ts", "src/mcp-serve.ts"] }),
);
