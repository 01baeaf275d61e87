import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base.ts";

// `@devflow/storage`, `@devflow/storage/schema` (the drizzle tables) and
// `@devflow/storage/testing` (the connection, for tests only).
export default defineConfig(
  tsupConfig({ entry: ["src/index.ts", "src/schema-index.ts", "src/testing.ts"] }),
);
