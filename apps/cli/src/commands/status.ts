import type { MonitorStatus } from "@devflow/monitors";
import { type DevflowStatus, readRuntimeState } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, formatBytes, formatTime, output, openConfiguredStorage } from "../context.js";

function describeMonitor(m: MonitorStatus, names: Map<string, string>): string[] {
  const project = m.projectId ? ` [${names.get(m.projectId) ?? m.projectId}]` : "";
  const counters = Object.entries(m.counters)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const lines = [`  ${m.name}${project}: ${m.health}${counters ? ` — ${counters}` : ""}`];
  if (m.message) lines.push(`      ${m.message}`);
  if (m.fix) lines.push(`      fix: ${m.fix}`);
  return lines;
}

/** `devflow status`: whether DevFlow runs, each monitor's health and counters, the database. */
export function registerStatus(program: Command): void {
  program
    .command("status")
    .description(
      "show whether DevFlow is running, each monitor's health and counters, and the database",
    )
    .action((_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const state = readRuntimeState(config.home);
      const storage = openConfiguredStorage(config);
      try {
        const database = storage.info();
        const projects = storage.projects.list();
        const live = state?.status as Partial<DevflowStatus> | null | undefined;
        const value = {
          running: state !== null,
          pid: state?.pid ?? null,
          startedAt: state?.startedAt ?? null,
          updatedAt: state?.updatedAt ?? null,
          home: config.home,
          database,
          projects,
          components: live?.components ?? [],
          monitors: live?.monitors ?? [],
          engine: live?.engine ?? null,
        };
        output(cmd, value, () => {
          const names = new Map(projects.map((p) => [p.id, p.name]));
          const lines = [
            state
              ? `DevFlow is running (pid ${state.pid}, since ${formatTime(state.startedAt)}).`
              : "DevFlow is not running.",
            `  Database:  ${database.path} (${formatBytes(database.sizeBytes)}, WAL ${formatBytes(database.walBytes)})`,
            `  Events:    ${database.events} stored, newest ${formatTime(database.newestEventAt)}, oldest ${formatTime(database.oldestEventAt)}`,
            `  Projects:  ${projects.length ? projects.map((p) => `${p.name} (${p.rootPath})`).join(", ") : "none"}`,
          ];
          for (const c of value.components) lines.push(`  ${c.name}: ${c.state} — ${c.detail}`);
          if (value.engine) {
            const e = value.engine;
            lines.push(
              `  Engine:    ${e.emitted} emitted, ${e.persisted} persisted, ${e.queueDepth} queued, ${e.shed} shed, ${e.rejected} rejected`,
            );
          }
          if (value.monitors.length) lines.push("  Monitors:");
          for (const m of value.monitors) lines.push(...describeMonitor(m, names));
          return lines.join("\n");
        });
      } finally {
        storage.close();
      }
    });
}
