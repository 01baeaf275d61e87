/**
 * @module schema-ai
 * The drizzle-orm tables of the AI-assistant readers' incremental state (`@devflow/monitors`
 * `ai` readers): per reader a header row, one cursor row per transcript file, one listing row
 * per directory, one row per de-duplication key, and the open-session table. Bookkeeping only:
 * never exported (a re-read from the sources rebuilds it). Like `schema.ts`, this file imports
 * nothing but drizzle-orm so drizzle-kit can load it alone.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per reader (`claude-code`, `codex`, …): state version, corrupt lines, generation. */
export const aiReadersTable = sqliteTable("ai_readers", {
  tool: text("tool").primaryKey(),
  version: integer("version").notNull(),
  /** Corrupt lines seen over every read. */
  corruptLines: integer("corrupt_lines").notNull().default(0),
  /** Incremented by every save: a holder of a cached copy reloads when it changed. */
  generation: integer("generation").notNull().default(0),
  updatedAt: integer("updated_at").notNull(),
});

/** Where the incremental read of one file stopped (inode, offset, size, mtime, tail hash). */
export const aiReaderFilesTable = sqliteTable(
  "ai_reader_files",
  {
    tool: text("tool").notNull(),
    path: text("path").notNull(),
    ino: integer("ino").notNull(),
    offset: integer("offset").notNull(),
    size: integer("size").notNull(),
    mtimeMs: real("mtime_ms").notNull(),
    tail: text("tail").notNull(),
    /** The reader's own per-file state (JSON object); null when empty. */
    extra: text("extra", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.tool, t.path] })],
);

/** A directory listing remembered while the directory's mtime holds (names, not paths). */
export const aiReaderDirsTable = sqliteTable(
  "ai_reader_dirs",
  {
    tool: text("tool").notNull(),
    path: text("path").notNull(),
    mtimeMs: real("mtime_ms").notNull(),
    files: text("files", { mode: "json" }).$type<string[]>().notNull(),
    dirs: text("dirs", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tool, t.path] })],
);

/**
 * The usage copy already emitted per request key (Claude `message.id:requestId`), ranked as the
 * de-duplication rule ranks copies: main chain over sidechain, then the token total, then a
 * stated speed, then the earlier timestamp.
 */
export const aiReaderUsageKeysTable = sqliteTable(
  "ai_reader_usage_keys",
  {
    tool: text("tool").notNull(),
    key: text("key").notNull(),
    sidechain: integer("sidechain", { mode: "boolean" }).notNull(),
    total: integer("total").notNull(),
    speed: integer("speed", { mode: "boolean" }).notNull(),
    timestamp: integer("timestamp").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tool, t.key] })],
);

/** Assistant sessions seen in the transcripts, until they are ended (idle) and a week old. */
export const aiReaderSessionsTable = sqliteTable(
  "ai_reader_sessions",
  {
    tool: text("tool").notNull(),
    sessionId: text("session_id").notNull(),
    projectId: text("project_id"),
    startedAt: integer("started_at").notNull(),
    lastAt: integer("last_at").notNull(),
    ended: integer("ended", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tool, t.sessionId] }),
    index("idx_ai_reader_sessions_open").on(t.ended, t.lastAt),
  ],
);
