import { join } from "node:path";
import { DevflowError } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import type { DevflowConfig } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, formatBytes, output, openConfiguredStorage } from "../context.js";

async function withStorage<T>(
  config: DevflowConfig,
  fn: (storage: Storage) => T | Promise<T>,
): Promise<T> {
  const storage = openConfiguredStorage(config);
  try {
    return await fn(storage);
  } finally {
    storage.close();
  }
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 36_500) {
    throw new DevflowError(
      "CLI_BAD_ARGUMENT",
      `--days: expected a whole number of days from 1 to 36500, got "${value}"`,
    );
  }
  return days;
}

function timestampName(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/** `devflow db backup|check|prune|migrate`. */
export function registerDb(program: Command): void {
  const db = program.command("db").description("database maintenance");

  db.command("backup")
    .description("online backup of the database to a new file")
    .argument("[file]", "destination (default: $DEVFLOW_HOME/backups/devflow-<time>.db)")
    .action(async (file: string | undefined, _opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const dest = file ?? join(config.home, "backups", `devflow-${timestampName()}.db`);
      const storage = openConfiguredStorage(config);
      try {
        const r = await storage.backup(dest);
        output(
          cmd,
          r,
          () =>
            `Backed up to ${r.path} (${formatBytes(r.bytes)} in ${Math.round(r.durationMs)} ms).`,
        );
      } finally {
        storage.close();
      }
    });

  db.command("check")
    .description("run SQLite integrity and foreign-key checks")
    .action(async (_opts: unknown, cmd: Command) => {
      const r = await withStorage(configFrom(cmd), (s) => s.integrityCheck());
      output(cmd, r, () =>
        r.ok
          ? "Database integrity: ok."
          : `Database integrity: FAILED\n  ${r.problems.join("\n  ")}`,
      );
      if (!r.ok) process.exitCode = 1;
    });

  db.command("prune")
    .description("delete raw events older than the retention period (rollups are kept)")
    .option("--days <n>", "retention in days (default: storage.retentionDays, 30)", parseDays)
    .action(async (opts: { days?: number }, cmd: Command) => {
      const config = configFrom(cmd);
      const retentionDays = opts.days ?? config.storage.retentionDays;
      const r = await withStorage(config, (s) => s.prune({ retentionDays }));
      output(
        cmd,
        { ...r, retentionDays },
        () => `Deleted ${r.deleted} raw events older than ${new Date(r.cutoff).toISOString()}.`,
      );
    });

  db.command("migrate")
    .description("apply pending schema migrations and list the applied ones")
    .action(async (_opts: unknown, cmd: Command) => {
      const info = await withStorage(configFrom(cmd), (s) => s.info());
      output(cmd, { path: info.path, migrations: info.migrations }, () =>
        [
          `Database ${info.path} is up to date; applied migrations:`,
          ...info.migrations.map((m) => `  ${m.tag}`),
        ].join("\n"),
      );
    });
}
