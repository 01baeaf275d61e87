import { bootstrapAdmin, createDevflow, openSecurity } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, createLogger, output, wantsJson } from "../context.js";
import { importHistories, selectProjects, untilSignal } from "../run-loop.js";

/** `devflow up [path]`: start everything that exists and run until SIGINT/SIGTERM. */
export function registerUp(program: Command): void {
  program
    .command("up")
    .description(
      "start DevFlow (monitors, event engine, storage, retention) and run until interrupted",
    )
    .argument(
      "[path]",
      "project to watch (registered if new; default: every registered project, else the current repository)",
    )
    .option("--no-import", "skip importing git history")
    .action(async (path: string | undefined, opts: { import: boolean }, cmd: Command) => {
      const stopped = untilSignal();
      const abort = new AbortController();
      void stopped.then(() => abort.abort());
      const config = configFrom(cmd);
      const logger = createLogger(config, "info");
      const devflow = createDevflow(config, { logger });
      try {
        // Keys (created on first run) and, with no users yet, the first admin.
        const security = openSecurity({ home: config.home, storage: devflow.storage, logger });
        const adminFile = await bootstrapAdmin(config.home, security, logger);
        const selected = await selectProjects(devflow, path);
        await devflow.start({ projects: selected?.map((p) => p.id) });
        const projects = selected ?? devflow.storage.projects.list();
        if (opts.import) await importHistories(devflow, projects, wantsJson(cmd), abort.signal);
        const status = devflow.status();
        output(cmd, { event: "running", ...status, adminPasswordFile: adminFile }, () =>
          [
            `DevFlow is running (pid ${process.pid}).`,
            `  Database:  ${status.database.path}`,
            `  Home:      ${config.home}`,
            ...(adminFile === null
              ? []
              : [`  Admin:     created user "admin"; its password is in ${adminFile} (mode 0600)`]),
            ...status.components.map((c) => `  Started:   ${c.name}: ${c.detail}`),
            ...(projects.length
              ? projects.map((p) => `  Watching:  ${p.name} ${p.rootPath}`)
              : ["  Watching:  no project (add one with `devflow project add <path>`)"]),
            `  Monitors:  ${status.monitors.map((m) => `${m.name} ${m.health}${m.message ? ` (${m.message})` : ""}`).join(", ")}`,
            "  MCP server: `devflow mcp` (or `devflow mcp install` for Claude Desktop). Not built yet: the HTTP API and dashboard.",
            "  Check it with `npm run -s devflow -- status`; stop it with Ctrl+C.",
          ].join("\n"),
        );
        const signal = await stopped;
        await devflow.stop();
        output(cmd, { event: "stopped", signal }, () => `DevFlow stopped (${signal}).`);
      } finally {
        await devflow.stop();
      }
    });
}
