import { basename } from "node:path";

/** What a command line runs: a build or a test run, and the tool behind it. */
export interface RunClass {
  /** The tool: `vitest`, `jest`, `pytest`, `go`, `cargo`, `tsc`, `webpack`, `make`, … */
  tool: string;
  kind: "build" | "test";
}

type Rule = (args: readonly string[]) => RunClass | null;

const HELP = new Set(["--help", "-h", "--version"]);
/** Wrappers that run the next word as the command (`npx jest`, `time make`). */
const WRAPPERS = new Set([
  "npx",
  "pnpx",
  "bunx",
  "env",
  "time",
  "nice",
  "nohup",
  "exec",
  "command",
  "stdbuf",
  "ionice",
  "timeout",
  "xvfb-run",
]);
/** `<tool> <verb> <command…>` wrappers: `pnpm exec vitest`, `uv run pytest`. */
const VERB_WRAPPERS: Record<string, ReadonlySet<string>> = {
  npm: new Set(["exec", "x"]),
  pnpm: new Set(["exec", "dlx"]),
  yarn: new Set(["exec", "dlx"]),
  bun: new Set(["x"]),
  uv: new Set(["run"]),
  poetry: new Set(["run"]),
  pipenv: new Set(["run"]),
  pdm: new Set(["run"]),
  rye: new Set(["run"]),
  hatch: new Set(["run"]),
};
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh"]);
/** Node options whose value is the next word. */
const NODE_VALUE_OPTIONS = new Set(["-r", "--require", "--import", "--loader", "--conditions"]);
const JAVA_MAIN: Record<string, string> = {
  "org.gradle.wrapper.GradleWrapperMain": "gradle",
  "org.gradle.launcher.GradleMain": "gradle",
  "org.codehaus.plexus.classworlds.launcher.Launcher": "mvn",
};

const positionals = (args: readonly string[]) => args.filter((a) => !a.startsWith("-"));
const has = (args: readonly string[], ...flags: string[]) =>
  args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
const test = (tool: string): RunClass => ({ tool, kind: "test" });
const build = (tool: string): RunClass => ({ tool, kind: "build" });
/** A rule for tools that always test or build unless watching. */
const unlessWatch =
  (make: () => RunClass, ...watchFlags: string[]): Rule =>
  (args) =>
    has(args, ...watchFlags) ? null : make();
/** A rule keyed on the first positional word (`go test`, `cargo build`). */
const bySubcommand =
  (tool: string, tests: string[], builds: string[], watchFlags: string[] = []): Rule =>
  (args) => {
    if (has(args, ...watchFlags)) return null;
    const sub = positionals(args)[0];
    if (sub === undefined) return null;
    if (tests.includes(sub)) return test(tool);
    return builds.includes(sub) ? build(tool) : null;
  };

const TEST_TASK = /(^|[:_-])(test|tests|check|e2e)([:_-]|$)|^test|Test$/;
const BUILD_TASK = /(^|[:_-])(build|compile|bundle|typecheck|assemble|jar|dist)([:_-]|$)|^build/;
/** `test` when a task/target looks like tests, `build` for build-like ones, else `null`. */
function byTasks(tool: string, tasks: readonly string[]): RunClass | null {
  if (tasks.some((t) => TEST_TASK.test(t))) return test(tool);
  return tasks.some((t) => BUILD_TASK.test(t)) ? build(tool) : null;
}

const MAKE_VALUE_OPTIONS = new Set(["-C", "-f", "-I", "-o", "-W", "-j", "--directory", "--file"]);
const MAKE_NON_BUILD = new Set([
  "clean",
  "distclean",
  "help",
  "watch",
  "serve",
  "dev",
  "run",
  "start",
  "lint",
  "fmt",
  "format",
]);
const make: Rule = (args) => {
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (MAKE_VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith("-") && !a.includes("=")) targets.push(a);
  }
  if (targets.length === 0) return build("make");
  if (targets.every((t) => MAKE_NON_BUILD.has(t))) return null;
  return byTasks("make", targets) ?? build("make");
};

const TURBO_COMMANDS = new Set([
  "daemon",
  "prune",
  "login",
  "logout",
  "link",
  "unlink",
  "gen",
  "generate",
  "telemetry",
  "ls",
  "query",
  "info",
  "scan",
  "boundaries",
  "watch",
  "devtools",
  "completion",
  "bin",
]);
const turbo: Rule = (args) => {
  const words = positionals(args);
  if (words[0] !== undefined && TURBO_COMMANDS.has(words[0])) return null;
  return byTasks("turbo", words[0] === "run" ? words.slice(1) : words);
};

const gradle: Rule = (args) => {
  if (has(args, "--continuous", "-t")) return null;
  const tasks = positionals(args).map((t) => t.split(":").pop() ?? t);
  if (tasks.some((t) => /^(test|check|connectedCheck|integrationTest)$|Test$/.test(t)))
    return test("gradle");
  const builds = /^(build|assemble\w*|compile\w*|jar|bootJar|shadowJar|installDist|classes)$/;
  return tasks.some((t) => builds.test(t)) ? build("gradle") : null;
};

const maven: Rule = (args) => {
  const phases = positionals(args);
  if (phases.some((p) => /^(test|verify|integration-test|surefire:test)$/.test(p)))
    return test("mvn");
  return phases.some((p) => /^(compile|test-compile|package|install|deploy)$/.test(p))
    ? build("mvn")
    : null;
};

/** The rules, by program name (as the basename of the executable or script). */
const RULES: Record<string, Rule> = {
  vitest: (args) => {
    const sub = positionals(args)[0];
    if (sub === "watch" || sub === "dev" || sub === "init" || sub === "list") return null;
    return has(args, "--watch", "-w") ? null : test("vitest");
  },
  jest: unlessWatch(() => test("jest"), "--watch", "--watchAll"),
  mocha: unlessWatch(() => test("mocha"), "--watch", "-w"),
  pytest: () => test("pytest"),
  "py.test": () => test("pytest"),
  unittest: () => test("unittest"),
  playwright: bySubcommand("playwright", ["test"], []),
  cypress: bySubcommand("cypress", ["run"], []),
  ctest: () => test("ctest"),
  go: bySubcommand("go", ["test"], ["build", "install"]),
  cargo: bySubcommand("cargo", ["test", "t", "nextest", "bench"], ["build", "b"]),
  tsc: (args) => (has(args, "--watch", "-w", "--init", "--showConfig") ? null : build("tsc")),
  webpack: (args) => {
    const sub = positionals(args)[0];
    if (sub && ["serve", "s", "server", "watch", "w"].includes(sub)) return null;
    return has(args, "--watch", "-w") ? null : build("webpack");
  },
  vite: (args) =>
    positionals(args)[0] === "build" && !has(args, "--watch", "-w") ? build("vite") : null,
  esbuild: unlessWatch(() => build("esbuild"), "--watch", "--serve", "--service"),
  rollup: unlessWatch(() => build("rollup"), "--watch", "-w"),
  tsup: unlessWatch(() => build("tsup"), "--watch", "-w"),
  next: bySubcommand("next", [], ["build"]),
  ng: bySubcommand("ng", ["test", "t", "e2e"], ["build", "b"]),
  turbo,
  make,
  gmake: make,
  gradle,
  gradlew: gradle,
  mvn: maven,
  mvnw: maven,
  dotnet: bySubcommand("dotnet", ["test"], ["build", "publish"]),
  deno: bySubcommand("deno", ["test", "bench"], ["compile"], ["--watch"]),
  bazel: bySubcommand("bazel", ["test", "coverage"], ["build"]),
  bazelisk: bySubcommand("bazel", ["test", "coverage"], ["build"]),
  swift: bySubcommand("swift", ["test"], ["build"]),
  bun: bySubcommand("bun", ["test"], ["build"], ["--watch"]),
};
const ALIASES: Record<string, string> = {
  _mocha: "mocha",
  "npx-cli": "npx",
  "npm-cli": "npm",
  "webpack-cli": "webpack",
  "jest-cli": "jest",
  typescript: "tsc",
};

/** The program name of an executable or script path: `…/bin/jest.js` → `jest`. */
function programName(path: string): string {
  const name = basename(path).replace(/\.(c|m)?(j|t)s$/, "");
  return ALIASES[name] ?? name;
}

/** Known tool of a node script path: its own name, or its package when it is a bin script. */
function nodeScriptTool(path: string): string | undefined {
  const name = programName(path);
  const known = (n: string) => Object.hasOwn(RULES, n) || WRAPPERS.has(n) || n in VERB_WRAPPERS;
  if (known(name)) return name;
  // node_modules/<pkg>/<file> or node_modules/<pkg>/bin/<file>, never deeper (workers).
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:bin\/)?[^/]+$/.exec(path.replaceAll("\\", "/"));
  const pkg = m ? (ALIASES[m[1]!] ?? m[1]!) : undefined;
  return pkg !== undefined && known(pkg) ? pkg : undefined;
}

/**
 * Strips interpreters and wrappers from a command line and returns the program name and its
 * arguments: `node …/.bin/vitest run` → `vitest [run]`, `python -m pytest` → `pytest []`.
 */
function resolveProgram(words: readonly string[]): { name: string; args: string[] } | null {
  let i = 0;
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++; // FOO=bar
    const word = words[i];
    if (word === undefined) return null;
    const name = programName(word);
    const rest = words.slice(i + 1);
    if (WRAPPERS.has(name)) {
      i++;
      while (i < words.length && (/^-/.test(words[i]!) || /^\d+(\.\d+)?[smhd]?$/.test(words[i]!)))
        i++;
      continue;
    }
    const verb = rest[0];
    if (verb !== undefined && VERB_WRAPPERS[name]?.has(verb)) {
      i += 2;
      if (words[i] === "--") i++;
      continue;
    }
    if (SHELLS.has(name)) {
      // `sh ./gradlew build` runs a script; `sh -c "…"` is left to the child process.
      if (verb === undefined || verb.startsWith("-")) return null;
      i++;
      continue;
    }
    if (/^(node|nodejs|node\d+|tsx|ts-node)$/.test(name)) return resolveNode(rest);
    if (/^python(\d(\.\d+)?)?$|^py$/.test(name)) return resolvePython(rest);
    if (name === "java") return resolveJava(rest);
    return { name, args: rest };
  }
  return null;
}

function resolveNode(args: readonly string[]): { name: string; args: string[] } | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--test") return has(args, "--watch") ? null : { name: "node --test", args: [] };
    if (a === "-e" || a === "--eval" || a === "-p" || a === "--print") return null;
    if (NODE_VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith("-")) {
      const tool = nodeScriptTool(a);
      return tool === undefined ? null : resolveProgram([tool, ...args.slice(i + 1)]);
    }
  }
  return null;
}

function resolvePython(args: readonly string[]): { name: string; args: string[] } | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-c") return null;
    if (a === "-m") {
      const mod = args[i + 1];
      return mod === undefined ? null : { name: mod, args: args.slice(i + 2) };
    }
    if (!a.startsWith("-")) {
      const rest = args.slice(i + 1);
      if (basename(a) === "manage.py" && positionals(rest)[0] === "test")
        return { name: "django", args: rest };
      return { name: programName(a), args: rest };
    }
  }
  return null;
}

function resolveJava(args: readonly string[]): { name: string; args: string[] } | null {
  const at = args.findIndex((a) => a in JAVA_MAIN);
  return at < 0 ? null : { name: JAVA_MAIN[args[at]!]!, args: args.slice(at + 1) };
}

/**
 * Classifies a process command line (as `ps` shows it) as a test run or a build, or `null`.
 * Only the program that actually runs counts, after interpreters and wrappers (`node`,
 * `python -m`, `npx`, `pnpm exec`, `java … GradleWrapperMain`): an editor or `grep` with
 * "test" in an argument is not a test run. Watch modes, dev servers, `--help`/`--version` and
 * long-lived helpers (esbuild's `--service`, `turbo daemon`, `tsserver`) are not runs either.
 * Package-manager scripts (`npm test`) return `null`: the runner they start is detected.
 *
 * @example classifyCommand("node /p/node_modules/.bin/vitest run") // { tool: "vitest", kind: "test" }
 */
export function classifyCommand(cmd: string): RunClass | null {
  const words = cmd.trim().split(/\s+/).filter(Boolean);
  const program = resolveProgram(words);
  if (program === null) return null;
  if (program.name === "node --test") return test("node");
  if (program.name === "django") return test("django");
  if (program.args.some((a) => HELP.has(a))) return null;
  const rule = Object.hasOwn(RULES, program.name) ? RULES[program.name] : undefined;
  return rule ? rule(program.args) : null;
}

const SCRIPT_RUNNERS = new Set(["npm", "pnpm", "yarn", "bun"]);
/**
 * Classifies a package-manager script (`npm test`, `pnpm run build`, `yarn test:unit`) by the
 * script name, or `null`. Used for commands DevFlow runs itself, whose tool is the manager.
 */
export function classifyScript(cmd: string): RunClass | null {
  const words = cmd.trim().split(/\s+/).filter(Boolean);
  const manager = words[0] === undefined ? "" : programName(words[0]);
  if (!SCRIPT_RUNNERS.has(manager)) return null;
  const rest = positionals(words.slice(1));
  let script = rest[0];
  if (script === "run" || script === "run-script") script = rest[1];
  if (script === undefined) return null;
  if (["t", "tst"].includes(script)) return test(manager);
  return byTasks(manager, [script]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const SECRET_ARG = /^(--?[\w-]*(?:token|secret|password|passwd|api-?key|auth)[\w-]*[=:])(.+)$/i;

/**
 * A command line fit for storage: the project root becomes `.`, the home directory `~`, and
 * values of secret-looking options (`--token=…`) are masked.
 */
export function sanitizeCommand(cmd: string, projectRoot: string, home?: string): string {
  const prefix = (dir: string) => new RegExp(`${escapeRegExp(dir)}(?=[/\\\\\\s]|$)`, "g");
  let out = projectRoot.length > 1 ? cmd.replace(prefix(projectRoot), ".") : cmd;
  if (home !== undefined && home.length > 1) out = out.replace(prefix(home), "~");
  out = out
    .split(/\s+/)
    .map((w) => w.replace(SECRET_ARG, "$1***"))
    .join(" ");
  return out.length > 4096 ? `${out.slice(0, 4093)}...` : out;
}
