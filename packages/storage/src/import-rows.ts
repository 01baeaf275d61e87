import { z } from "zod";
import { DevflowError, toFieldIssues } from "@devflow/events";
import type { EventWriteItem } from "./sink.js";
import { ROLLUP_BUCKETS } from "./rollup-buckets.js";
import type { TableSpec } from "./tables.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkColumns(spec: TableSpec, row: Record<string, unknown>): void {
  const unknown = Object.keys(row).filter((k) => !spec.columnNames.has(k));
  if (unknown.length > 0) {
    throw new DevflowError(
      "STORAGE_IMPORT_INVALID",
      `${spec.name}: unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`,
    );
  }
}

/** A parsed JSONL line: `{"table": …, "row": {…}}`; throws a message naming what is wrong. */
export function parseLine(text: string): { table: string; row: Record<string, unknown> } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new DevflowError(
      "STORAGE_IMPORT_INVALID",
      `malformed JSON (${err instanceof Error ? err.message : String(err)})`,
      {
        cause: err,
      },
    );
  }
  if (!isRecord(value) || typeof value.table !== "string" || !isRecord(value.row)) {
    throw new DevflowError("STORAGE_IMPORT_INVALID", 'expected {"table": "<name>", "row": {...}}');
  }
  return { table: value.table, row: value.row };
}

/**
 * Turns an exported `events` row back into the event the sink validates, keeping its
 * `received_at`. Null columns become absent optional fields.
 */
export function eventItemOf(spec: TableSpec, row: Record<string, unknown>): EventWriteItem {
  checkColumns(spec, row);
  const input: Record<string, unknown> = {
    id: row.id,
    type: row.type,
    category: row.category,
    severity: row.severity,
    timestamp: row.timestamp,
    source: row.source,
    data: row.data,
  };
  const optional = {
    duration: row.duration,
    projectId: row.project_id,
    metadata: row.metadata,
    correlationId: row.correlation_id,
    parentId: row.parent_id,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== null && value !== undefined) input[key] = value;
  }
  const receivedAt = row.received_at;
  return typeof receivedAt === "number" && Number.isInteger(receivedAt)
    ? { input, receivedAt }
    : { input };
}

/** Positional insert parameters for a plain table row; JSON columns are serialised again. */
export function paramsOf(spec: TableSpec, row: Record<string, unknown>): unknown[] {
  checkColumns(spec, row);
  return spec.columns.map((column) => {
    const value = row[column.name];
    if (value === undefined || (value === null && !(column.json && column.notNull))) return null;
    if (column.json) return JSON.stringify(value);
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "string" || typeof value === "number") return value;
    throw new DevflowError(
      "STORAGE_IMPORT_INVALID",
      `${spec.name}.${column.name}: expected a string, number or null`,
    );
  });
}

const RollupRowSchema = z.strictObject({
  bucket: z.enum(ROLLUP_BUCKETS),
  bucket_start: z.number().int(),
  project_id: z.string().default(""),
  type: z.string().min(1),
  count: z.number().int().nonnegative(),
  duration_ms: z.number().nonnegative().default(0),
});

/** Positional parameters of an exported rollup row, validated; throws naming the bad field. */
export function rollupParamsOf(
  row: Record<string, unknown>,
): [string, number, string, string, number, number] {
  const parsed = RollupRowSchema.safeParse(row);
  if (!parsed.success) {
    const detail = toFieldIssues(parsed.error, "rollups")
      .map((i) => `${i.path}: ${i.message}`)
      .join("; ");
    throw new DevflowError("STORAGE_IMPORT_INVALID", `invalid rollup: ${detail}`);
  }
  const r = parsed.data;
  return [r.bucket, r.bucket_start, r.project_id, r.type, r.count, r.duration_ms];
}
