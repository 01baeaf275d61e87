import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/main.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: { entry: "src/main.ts" },
  sourcemap: true,
  clean: true,
});
