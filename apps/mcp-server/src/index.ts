#!/usr/bin/env node
import { createRequire } from "node:module";
import { reportFatal, runMcpServer } from "./main.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

runMcpServer(process.argv.slice(2), version).catch(reportFatal);
