import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { installClaudeDesktop } from "@devflow/runtime";
import { defineMcpOptions, readMcpOptions, serveMcp } from "@devflow/runtime/mcp";
import type { Command } from "commander";
import { type GlobalOptions, output } from "../context.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The absolute path of this CLI's entry point (`dist/index.js`), which runs `devflow mcp`. */
function cliEntry(): string {
  return fileURLToPath(new URL("./index.js", import.meta.url));
}

/** `devflow mcp [options]` (the MCP server) and `devflow mcp install` (Claude Desktop). */
export function registerMcp(program: Command, version: string): void {
  const mcp = defineMcpOptions(
    program
      .command("mcp")
      .description(
        "run DevFlow's MCP server (stdio; --http for Streamable HTTP); `mcp install` adds it to Claude Desktop",
      ),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = readMcpOptions(cmd);
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    await serveMcp(
      {
        ...opts,
        home: opts.home ?? globals.home,
        db: opts.db ?? globals.db,
        logLevel: opts.logLevel ?? globals.logLevel,
      },
      version,
    );
  });

  mcp
    .command("install")
    .description(
      "write (or update) the devflow entry in Claude Desktop's config, backing up the old file",
    )
    .option("--project <path>", "a project root the server may read (repeatable)", collect, [])
    .option("--config <file>", "the config file (default: Claude Desktop's for this OS)")
    .option("--name <name>", "the server name in Claude Desktop", "devflow")
    .action(async (opts: { project: string[]; config?: string; name: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      // `--project` may be parsed by `mcp` itself (it has the same option): take both.
      const parentProjects = cmd.parent?.opts<{ project?: string[] }>().project ?? [];
      const projects = [...new Set([...parentProjects, ...opts.project].map((p) => resolve(p)))];
      const args = [cliEntry(), "mcp", ...projects.flatMap((p) => ["--project", p])];
      const home = globals.home ?? process.env["DEVFLOW_HOME"];
      const result = installClaudeDesktop(
        {
          command: process.execPath,
          args,
          ...(home === undefined ? {} : { env: { DEVFLOW_HOME: resolve(home) } }),
        },
        { ...(opts.config === undefined ? {} : { path: opts.config }), name: opts.name },
      );
      output(cmd, result, () =>
        [
          `${result.previous === null ? "added" : "updated"} "${result.name}" in ${result.path}`,
          ...(result.backup ? [`previous file backed up to ${result.backup}`] : []),
          `command: ${result.entry.command} ${result.entry.args.join(" ")}`,
          "Restart Claude Desktop to load it.",
        ].join("\n"),
      );
      await Promise.resolve();
    });
}
