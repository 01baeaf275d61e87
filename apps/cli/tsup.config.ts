import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base.ts";

// A binary only: no declarations.
export default defineConfig(tsupConfig({ dts: false }));
