import { defineConfig } from "vitest/config";

// `vitest run` at the root runs every package and app as a project.
export default defineConfig({ test: { projects: ["packages/*", "apps/*"] } });
