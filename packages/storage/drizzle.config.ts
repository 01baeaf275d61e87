import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes SQL migrations to ./drizzle; they are committed and applied by
// openStorage() at runtime with drizzle-orm's better-sqlite3 migrator.
export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/schema.ts", "./src/schema-auth.ts", "./src/schema-ai.ts"],
  out: "./drizzle",
  strict: true,
});
