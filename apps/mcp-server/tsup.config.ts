import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base.ts";

// The `devflow-mcp` binary (index) and the library entry `devflow mcp` mounts (main).
export default defineConfig(
  tsupConfig({ entry: ["src/index.ts", "src/main.ts"], dts: "src/main.ts" }),
);
