import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base.ts";

// The transport-agnostic root and the Node-only transports (`./stdio`, `./http`).
export default defineConfig(
  tsupConfig({ entry: ["src/index.ts", "src/transports/stdio.ts", "src/transports/http.ts"] }),
);
