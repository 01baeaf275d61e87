/**
 * @module schema
 * The drizzle-orm schema of the DevFlow SQLite database. drizzle-kit generates the committed
 * migrations in `drizzle/` from this file (`pnpm db:generate`); column names are snake_case.
 * This file imports nothing but drizzle-orm so that drizzle-kit can load it on its own.
 */
import {
  foreignKey,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
} from "drizzle-orm/sqlite-core";

/** Projects: one row per monitored repository (one database holds many projects). */
export const projectsTable = sqliteTable("projects", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  rootPath: text("root_path").notNull().unique(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  settings: text("settings", { mode: "json" })
    .$type<Record<string, unknown>>()
    .notNull()
    .default({}),
});

/**
 * Raw events, one row per `DevflowEvent`. No foreign key to `projects`: events may arrive
 * for a project that is not registered yet. `data` and `metadata` hold JSON text.
 */
export const eventsTable = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    category: text("category").notNull(),
    severity: text("severity").notNull(),
    timestamp: integer("timestamp").notNull(),
    duration: real("duration"),
    source: text("source").notNull(),
    projectId: text("project_id"),
    data: text("data", { mode: "json" }).$type<unknown>().notNull(),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    correlationId: text("correlation_id"),
    parentId: text("parent_id"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    index("idx_events_timestamp").on(t.timestamp),
    index("idx_events_type_ts").on(t.type, t.timestamp),
    index("idx_events_project_ts").on(t.projectId, t.timestamp),
  ],
);

/**
 * Pre-aggregated event counts per UTC bucket (`5m`, `1h`, `1d`), maintained in the ingest
 * transaction. `project_id` is `''` for events without a project. Kept when raw events are pruned.
 */
export const rollupsTable = sqliteTable(
  "rollups",
  {
    bucket: text("bucket", { enum: ["5m", "1h", "1d"] }).notNull(),
    bucketStart: integer("bucket_start").notNull(),
    projectId: text("project_id").notNull().default(""),
    type: text("type").notNull(),
    count: integer("count").notNull().default(0),
    durationMs: real("duration_ms").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.bucket, t.bucketStart, t.projectId, t.type] }),
    // Covering index in (start, type) order: hourly-by-type reads need no table lookups or sort.
    index("idx_rollups_start_type").on(t.bucket, t.bucketStart, t.type, t.projectId, t.count),
  ],
);

/** Numeric samples (build times, coverage, system figures) with free-form JSON tags. */
export const metricsTable = sqliteTable(
  "metrics",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id"),
    name: text("name").notNull(),
    value: real("value").notNull(),
    unit: text("unit"),
    timestamp: integer("timestamp").notNull(),
    tags: text("tags", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index("idx_metrics_name_ts").on(t.name, t.timestamp),
    index("idx_metrics_project_ts").on(t.projectId, t.timestamp),
  ],
);

/** Development-stage changes detected by the analyzers, with the evidence behind them. */
export const stageTransitionsTable = sqliteTable(
  "stage_transitions",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    fromStage: text("from_stage"),
    toStage: text("to_stage").notNull(),
    subStage: text("sub_stage"),
    confidence: real("confidence").notNull(),
    timestamp: integer("timestamp").notNull(),
    evidence: text("evidence", { mode: "json" }).$type<unknown>(),
  },
  (t) => [index("idx_stage_transitions_project_ts").on(t.projectId, t.timestamp)],
);

/** Activity spans built from merged heartbeats (start and end in ms UTC). */
export const activitiesTable = sqliteTable(
  "activities",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id"),
    start: integer("start").notNull(),
    end: integer("end").notNull(),
    durationMs: real("duration_ms").notNull(),
    category: text("category").notNull(),
    language: text("language"),
    entity: text("entity"),
  },
  (t) => [
    index("idx_activities_start").on(t.start),
    index("idx_activities_project_start").on(t.projectId, t.start),
  ],
);

/** Git commit facts for analytics, one row per (project, hash). */
export const commitsTable = sqliteTable(
  "commits",
  {
    projectId: text("project_id").notNull(),
    hash: text("hash").notNull(),
    parents: text("parents", { mode: "json" }).$type<string[]>().notNull(),
    authorName: text("author_name").notNull(),
    authorEmail: text("author_email").notNull(),
    authoredAt: integer("authored_at").notNull(),
    committedAt: integer("committed_at").notNull(),
    message: text("message"),
    conventionalType: text("conventional_type"),
    isMerge: integer("is_merge", { mode: "boolean" }).notNull(),
    filesChanged: integer("files_changed").notNull(),
    insertions: integer("insertions").notNull(),
    deletions: integer("deletions").notNull(),
    trailers: text("trailers", { mode: "json" })
      .$type<Array<{ key: string; value: string }>>()
      .notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.hash] }),
    index("idx_commits_project_authored").on(t.projectId, t.authoredAt),
  ],
);

/** Per-file numstat of a commit; `insertions`/`deletions` are null for binary files. */
export const commitFilesTable = sqliteTable(
  "commit_files",
  {
    projectId: text("project_id").notNull(),
    hash: text("hash").notNull(),
    path: text("path").notNull(),
    insertions: integer("insertions"),
    deletions: integer("deletions"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.hash, t.path] }),
    index("idx_commit_files_project_path").on(t.projectId, t.path),
    foreignKey({
      columns: [t.projectId, t.hash],
      foreignColumns: [commitsTable.projectId, commitsTable.hash],
    }).onDelete("cascade"),
  ],
);

/** Global key/value settings; values are JSON text. */
export const settingsTable = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * The hash-chained security audit log (`@devflow/security` audit chain). `seq` is the chain
 * sequence (1, 2, …); `details` holds canonical-compatible JSON (primitives only); `hash`
 * covers the row's content, `seq` and `prev_hash`. Written only by the audit store.
 */
export const securityEventsTable = sqliteTable(
  "security_events",
  {
    seq: integer("seq").primaryKey(),
    timestamp: text("timestamp").notNull(),
    type: text("type").notNull(),
    actor: text("actor"),
    subject: text("subject"),
    ip: text("ip"),
    projectId: text("project_id"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("idx_security_events_timestamp").on(t.timestamp),
    index("idx_security_events_type").on(t.type, t.timestamp),
  ],
);

/**
 * Checkpoints of the audit chain head (seq and hash of the anchored entry) to detect tail
 * truncation. `seq` references the anchored entry without cascade: deleting an anchored entry
 * is refused while foreign keys are on, and never removes the anchor.
 */
export const auditAnchorsTable = sqliteTable("audit_anchors", {
  seq: integer("seq")
    .primaryKey()
    .references(() => securityEventsTable.seq),
  hash: text("hash").notNull(),
  at: text("at").notNull(),
});
