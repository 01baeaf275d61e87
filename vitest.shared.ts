/**
 * What every vitest project of the workspace shares: imports of `@devflow/*` packages resolve
 * through the `@devflow/source` export condition to their `src/*.ts`, so a test always runs
 * against the source in the tree and can never pass against a stale `dist`.
 * (Apps' end-to-end tests that spawn a built binary still need `pnpm build` first.)
 */

/** The export condition of the workspace's own source (first in each `exports` entry). */
const SOURCE_CONDITION = "@devflow/source";

// vite's default server conditions (module, node, development|production) after ours: setting
// `conditions` replaces the defaults instead of adding to them.
const conditions = [SOURCE_CONDITION, "module", "node", "development|production"];

/** The `resolve` settings to spread into each `defineProject({...})`. */
export const sourceResolve = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
};
