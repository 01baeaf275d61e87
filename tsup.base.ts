/**
 * The one tsup configuration of the workspace: every package's and app's `tsup.config.ts` calls
 * `tsupConfig()` with only what differs (entries, declarations).
 *
 * - ESM only, for Node 20 (the oldest Node DevFlow supports), with source maps.
 * - Declarations are built against the other packages' built `dist` (the `^build` turbo
 *   dependency), never through the `@devflow/source` export condition that tests and
 *   typecheck use: what is published must not depend on another package's `src`.
 */
import type { Options } from "tsup";

/** What a package's config may choose; everything else is shared. */
export interface TsupConfigOptions {
  /** Entry points (default `["src/index.ts"]`). */
  entry?: string[];
  /** Declarations: `true` for every entry (default), `false` for none, or some entries only. */
  dts?: boolean | string | string[];
}

/** The tsup options of one package or app. */
export function tsupConfig(options: TsupConfigOptions = {}): Options {
  const entry = options.entry ?? ["src/index.ts"];
  const dts = options.dts ?? true;
  return {
    entry,
    format: ["esm"],
    target: "node20",
    platform: "node",
    sourcemap: true,
    clean: true,
    dts:
      dts === false
        ? false
        : {
            ...(dts === true ? {} : { entry: dts }),
            // Resolve other @devflow packages through their published `types`, not their src.
            compilerOptions: { customConditions: [] },
          },
  };
}
