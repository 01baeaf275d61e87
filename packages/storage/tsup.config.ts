import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base.ts";

// `@devflow/storage` and `@devflow/storage/schema` (the drizzle tables).
export default defineConfig(tsupConfig({ entry: ["src/index.ts", "src/schema-index.ts"] }));
