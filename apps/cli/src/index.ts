#!/usr/bin/env node
import { createRequire } from "node:module";
import { reportError } from "./context.js";
import { createProgram } from "./program.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

createProgram(version).parseAsync(process.argv).catch(reportError);
