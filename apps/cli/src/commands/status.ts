import type { MonitorStatus } from "@devflow/monitors";
import { readStatus } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, formatBytes, formatTime, output } from "../context.js";

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
    .action(async (_opts: unknown, cmd: Command) => {
      // Live from the running DevFlow's control channel; else the database and last state.
      const value = await readStatus(configFrom(cmd));
      const { database, projects } = value;
      output(cmd, value, () => {
        const names = new Map(projects.map((p) => [p.id, p.name]));
        const lines = [
          value.running
            ? `DevFlow is running (pid ${value.pid}, since ${formatTime(value.startedAt)}).`
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
    });
}
