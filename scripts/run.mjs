#!/usr/bin/env node
// The two commands of the quick start: `npm start` and `npm test`.
// Needs only Node.js >= 20.19 and npm: installs the pinned pnpm locally (./.tools) when it is
// missing, installs dependencies, builds, then runs the devflow CLI or the whole test suite
// (build and typecheck, lint, the package surface checks of scripts/check-surface.mjs, vitest).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = "10.34.9";
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`Node.js >= 20.19 is required (this is ${process.versions.node}).`);
}

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
// better-sqlite3 is compiled from source; point node-gyp at the local Node headers when present
// so it never tries to download them.
if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h")) {
  env.npm_config_nodedir = "/usr";
}

function fail(message) {
  console.error(`devflow: ${message}`);
  process.exit(1);
}

function step(title) {
  console.error(`\n> ${title}`);
}

function pnpmVersionOnPath() {
  const r = spawnSync("pnpm", ["--version"], { env, encoding: "utf8", cwd: "/" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function ensurePnpm() {
  if (pnpmVersionOnPath() === PNPM_VERSION) return;
  const toolDir = join(root, ".tools", "pnpm");
  const bin = join(toolDir, "node_modules", ".bin");
  if (!existsSync(join(bin, "pnpm"))) {
    step(`installing pnpm ${PNPM_VERSION} into .tools/pnpm`);
    execFileSync(
      "npm",
      ["install", "--prefix", toolDir, "--no-save", "--no-package-lock", `pnpm@${PNPM_VERSION}`],
      { stdio: ["ignore", "inherit", "inherit"], env },
    );
  }
  env.PATH = `${bin}${delimiter}${env.PATH ?? ""}`;
  const got = pnpmVersionOnPath();
  if (got !== PNPM_VERSION) fail(`could not get pnpm ${PNPM_VERSION} (found ${got ?? "none"}).`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, env, ...opts });
  if (r.error) fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  return r.status ?? 1;
}

function must(cmd, args) {
  const code = run(cmd, args);
  if (code !== 0) fail(`\`${cmd} ${args.join(" ")}\` exited with ${code}.`);
}

function install() {
  ensurePnpm();
  step("installing dependencies (pnpm install --frozen-lockfile)");
  must("pnpm", ["install", "--frozen-lockfile", "--config.confirmModulesPurge=false"]);
}

function test() {
  install();
  step("build and typecheck");
  must("pnpm", ["turbo", "run", "build", "typecheck", "--output-logs=errors-only"]);
  step("lint and format check");
  must("pnpm", ["run", "lint"]);
  step("package surface checks (knip, publint, attw)");
  must("node", ["scripts/check-surface.mjs"]);
  step("tests");
  const report = join(root, ".vitest-report.json");
  const code = run("pnpm", [
    "exec",
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  if (!existsSync(report)) fail("vitest wrote no report.");
  const r = JSON.parse(readFileSync(report, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  process.exit(code === 0 && r.numFailedTests === 0 ? 0 : 1);
}

async function start(args) {
  install();
  step("build");
  must("pnpm", ["turbo", "run", "build", "--output-logs=errors-only"]);
  step("devflow up");
  // Run the CLI in this very process, so signals from a terminal or a process manager reach it
  // directly (npm may not forward SIGTERM to grandchildren).
  process.chdir(process.env.INIT_CWD ?? process.cwd());
  const cli = join(root, "apps/cli/dist/index.js");
  process.argv = [process.execPath, cli, "up", ...args];
  await import(pathToFileURL(cli).href);
}

const [command, ...rest] = process.argv.slice(2);
if (command === "test") test();
else if (command === "start") await start(rest);
else if (command === "install") install();
else fail(`unknown command "${command ?? ""}" (expected start, test or install).`);
