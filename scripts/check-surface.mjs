#!/usr/bin/env node
// The package surface checks of `npm test`, over what would really be published:
//   1. knip: no unused files, exports or dependencies anywhere in the workspace (knip.json);
//   2. for each published package (not `private`), `pnpm pack` (which applies `publishConfig`
//      and turns `workspace:` ranges into versions), then on that tarball:
//      - the packed package.json keeps no `@devflow/source` condition and no `workspace:` range
//        (the source condition is for this repository's tests and typecheck only);
//      - publint (packaging errors; warnings count as errors);
//      - attw with the ESM-only profile (types resolve for every entry point);
//   3. the closed error codes work from the built .d.ts (no source condition): a file that
//      imports the packages typechecks with their listed codes and refuses an unlisted one.
// Needs `pnpm build` first (the tarballs contain dist/). Works offline: nothing is fetched.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const SOURCE_CONDITION = "@devflow/source";
const failures = [];

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}`.trim() };
}

function check(title, { code, out }) {
  if (code === 0) {
    console.log(`ok   ${title}`);
  } else {
    console.log(`FAIL ${title}\n${out.replace(/^/gm, "     ")}`);
    failures.push(title);
  }
}

check("knip (unused files, exports, dependencies)", run("pnpm", ["exec", "knip", "--no-progress"]));

const published = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name))
  .filter((dir) => {
    try {
      return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private !== true;
    } catch {
      return false;
    }
  });

const out = mkdtempSync(join(tmpdir(), "devflow-surface-"));
try {
  for (const dir of published) {
    const { name } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const before = new Set(readdirSync(out));
    const packed = run("pnpm", ["pack", "--pack-destination", out], dir);
    const tarball = readdirSync(out).find((f) => f.endsWith(".tgz") && !before.has(f));
    if (packed.code !== 0 || tarball === undefined) {
      check(`${name}: pnpm pack`, { code: 1, out: packed.out });
      continue;
    }
    const file = join(out, tarball);
    const manifest = run("tar", ["-xzOf", file, "package/package.json"]);
    const leaks = [SOURCE_CONDITION, "workspace:"].filter((s) => manifest.out.includes(s));
    check(`${name}: packed package.json has no ${SOURCE_CONDITION} condition or workspace: range`, {
      code: manifest.code === 0 && leaks.length === 0 ? 0 : 1,
      out: leaks.length > 0 ? `found: ${leaks.join(", ")}` : manifest.out,
    });
    check(`${name}: publint`, run("pnpm", ["exec", "publint", "run", file, "--strict"]));
    check(
      `${name}: attw (esm-only)`,
      run("pnpm", [
        "exec",
        "attw",
        file,
        "--profile",
        "esm-only",
        "--no-definitely-typed",
        "--format",
        "ascii",
        "--no-color",
        "--no-emoji",
      ]),
    );
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

// The error codes as a library user sees them: resolved through `types` (dist), not src. The
// file sits in packages/runtime, whose node_modules links every library.
const codesDir = mkdtempSync(join(root, "packages", "runtime", ".dts-codes-"));
try {
  writeFileSync(
    join(codesDir, "check.ts"),
    [
      'import { DevflowError, type DevflowErrorCode } from "@devflow/events";',
      'import "@devflow/security";',
      'import "@devflow/storage";',
      'import "@devflow/monitors";',
      'import "@devflow/analyzers";',
      'import "@devflow/mcp-tools";',
      'import "@devflow/runtime";',
      "export const listed: DevflowErrorCode[] = [",
      '  "EVENTS_STOPPED", "SECURITY_KEYRING_INVALID", "STORAGE_UNKNOWN_PROJECT",',
      '  "MONITORS_GIT_FAILED", "ANALYZERS_BAD_ARGUMENT", "TOOLS_BAD_ARGUMENT", "RUNTIME_LOCK_BUSY",',
      "];",
      "// @ts-expect-error -- an unlisted code",
      'export const unlisted = new DevflowError("STORAGE_NOT_A_CODE", "x");',
      "",
    ].join("\n"),
  );
  check(
    "error codes: closed union from the built .d.ts",
    run(
      "pnpm",
      [
        "exec",
        "tsc",
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--target",
        "es2022",
        "--types",
        "node",
        join(codesDir, "check.ts"),
      ],
      join(root, "packages", "runtime"),
    ),
  );
} finally {
  rmSync(codesDir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\npackage surface checks: ${failures.length} failed`);
  process.exit(1);
}
console.log("\npackage surface checks: all passed");
