import { openStorage } from "@devflow/storage";
import { readRuntimeState } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, formatBytes, formatTime, output } from "../context.js";

/** `devflow status`: whether DevFlow runs, what it started, and the database. */
export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("show whether DevFlow is running, its components and the database")
    .action((_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const state = readRuntimeState(config.home);
      const storage = openStorage({
        path: config.storage.path,
        busyTimeoutMs: config.storage.busyTimeoutMs,
      });
      try {
        const database = storage.info();
        const live = state?.status as
          | {
              components?: Array<{ name: string; state: string; detail: string }>;
              engine?: Record<string, unknown>;
            }
          | null
          | undefined;
        const value = {
          running: state !== null,
          pid: state?.pid ?? null,
          startedAt: state?.startedAt ?? null,
          home: config.home,
          database,
          components: live?.components ?? [],
          engine: live?.engine ?? null,
        };
        output(cmd, value, () => {
          const lines = [
            state
              ? `DevFlow is running (pid ${state.pid}, since ${formatTime(state.startedAt)}).`
              : "DevFlow is not running.",
            `  Database:  ${database.path} (${formatBytes(database.sizeBytes)}, WAL ${formatBytes(database.walBytes)})`,
            `  Events:    ${database.events} stored, newest ${formatTime(database.newestEventAt)}, oldest ${formatTime(database.oldestEventAt)}`,
          ];
          for (const c of value.components) lines.push(`  ${c.name}: ${c.state} — ${c.detail}`);
          if (value.engine) {
            const e = value.engine;
            lines.push(
              `  Engine:    ${String(e.emitted)} emitted, ${String(e.persisted)} persisted, ${String(e.queueDepth)} queued, ${String(e.shed)} shed, ${String(e.rejected)} rejected`,
            );
          }
          return lines.join("\n");
        });
      } finally {
        storage.close();
      }
    });
}
