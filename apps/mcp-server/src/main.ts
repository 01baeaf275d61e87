/**
 * `devflow-mcp` (also `devflow mcp`): DevFlow's MCP server. A composition root only: the
 * options are parsed here and everything else — config and logger, opening or attaching to
 * DevFlow, the tools, stdio or Streamable HTTP — is `serveMcp` of `@devflow/runtime/mcp`.
 */
import { Command } from "commander";
import { DevflowError } from "@devflow/events";
import { defineMcpOptions, readMcpOptions, serveMcp } from "@devflow/runtime/mcp";
import { redactSecrets } from "@devflow/security";

/** Parses `argv` (without node and script) and runs the server. */
export async function runMcpServer(argv: readonly string[], version: string): Promise<void> {
  const program = defineMcpOptions(new Command("devflow-mcp"))
    .description("DevFlow's MCP server (stdio by default; --http for Streamable HTTP)")
    .version(version)
    .exitOverride();
  program.parse([...argv], { from: "user" });
  await serveMcp(readMcpOptions(program), version);
}

/** Prints one clear error line on stderr and sets a failing exit code. */
export function reportFatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (
    err instanceof DevflowError ||
    !(err instanceof Error && "code" in err && String(err.code).startsWith("commander."))
  ) {
    process.stderr.write(`devflow-mcp: ${redactSecrets(message)}\n`);
  }
  process.exitCode = 1;
}
