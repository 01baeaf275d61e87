import { createDevflow } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, createLogger, output } from "../context.js";

/** `devflow up`: start everything that exists and run until SIGINT/SIGTERM. */
export function registerUp(program: Command): void {
  program
    .command("up")
    .description("start DevFlow (event engine, storage, retention) and run until interrupted")
    .action(async (_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const logger = createLogger(config, "info");
      const devflow = createDevflow(config, { logger });
      try {
        await devflow.start();
      } catch (err) {
        await devflow.stop();
        throw err;
      }
      const status = devflow.status();
      output(cmd, { event: "running", ...status }, () =>
        [
          `DevFlow is running (pid ${process.pid}).`,
          `  Database:  ${status.database.path}`,
          `  Home:      ${config.home}`,
          ...status.components.map((c) => `  Started:   ${c.name}: ${c.detail}`),
          "  Not built yet: file/git/system monitors, HTTP API and dashboard, MCP server.",
          "  Check it with `npm run -s devflow -- status`; stop it with Ctrl+C.",
        ].join("\n"),
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
      });
      await devflow.stop();
      output(cmd, { event: "stopped", signal }, () => `DevFlow stopped (${signal}).`);
    });
}
