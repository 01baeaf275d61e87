import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import {
  activitiesTable,
  auditAnchorsTable,
  commitFilesTable,
  commitsTable,
  eventsTable,
  metricsTable,
  projectsTable,
  rollupsTable,
  securityEventsTable,
  settingsTable,
  stageTransitionsTable,
} from "./schema.js";

/**
 * Every table in JSONL export order: parents before children, rollups last. Credentials (users,
 * sessions, refresh tokens, API keys, throttling, the vault) are never exported: they move
 * only with `db backup`, together with the key file. Neither is the AI readers' state
 * (`ai_reader*`): it describes files on this machine, and a re-read rebuilds it.
 */
export const EXPORT_TABLES = [
  "projects",
  "settings",
  "events",
  "metrics",
  "stage_transitions",
  "activities",
  "commits",
  "commit_files",
  "security_events",
  "audit_anchors",
  "rollups",
] as const;
/** The name of an exported table. */
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** One column as export/import sees it. */
interface ColumnSpec {
  name: string;
  /** JSON text in SQLite, a JSON value in the export. */
  json: boolean;
  notNull: boolean;
}

/** One table as export/import sees it, derived from the drizzle schema. */
export interface TableSpec {
  name: ExportTable;
  columns: ColumnSpec[];
  columnNames: ReadonlySet<string>;
  /** The column a `projectId` export filter applies to; `null` when the table is global. */
  projectColumn: string | null;
}

const drizzleTables: Record<ExportTable, SQLiteTable> = {
  projects: projectsTable,
  settings: settingsTable,
  events: eventsTable,
  metrics: metricsTable,
  stage_transitions: stageTransitionsTable,
  activities: activitiesTable,
  commits: commitsTable,
  commit_files: commitFilesTable,
  security_events: securityEventsTable,
  audit_anchors: auditAnchorsTable,
  rollups: rollupsTable,
};

function specOf(name: ExportTable): TableSpec {
  const config = getTableConfig(drizzleTables[name]);
  const columns = config.columns.map((c) => ({
    name: c.name,
    json: c.columnType === "SQLiteTextJson",
    notNull: c.notNull,
  }));
  const names = new Set(columns.map((c) => c.name));
  // The audit chain is global: a per-project slice of it could not be verified.
  const projectColumn =
    name === "projects"
      ? "id"
      : name !== "security_events" && names.has("project_id")
        ? "project_id"
        : null;
  return { name, columns, columnNames: names, projectColumn };
}

/** Export/import specs of every table, in export order. */
export const TABLE_SPECS: ReadonlyMap<string, TableSpec> = new Map(
  EXPORT_TABLES.map((name) => [name, specOf(name)]),
);

/** Double-quotes an SQL identifier (`end` is a keyword). */
export function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A zeroed per-table counter. */
export function tableCounts(): Record<ExportTable, number> {
  return Object.fromEntries(EXPORT_TABLES.map((t) => [t, 0])) as Record<ExportTable, number>;
}
