import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type Database from "better-sqlite3";
import { DevflowError, type Logger } from "@devflow/events";
import { type ExportTable, quoteId, TABLE_SPECS, type TableSpec, tableCounts } from "./tables.js";

/** The export format name written in the header line. */
export const EXPORT_FORMAT = "devflow-export";
/** The export format version written in the header line. */
export const EXPORT_VERSION = 1;

/** Options of `storage.exportJsonl`. */
export interface ExportOptions {
  /** Export one project only (settings, which are global, are then left out). */
  projectId?: string;
}

/** What `storage.exportJsonl` wrote. */
export interface ExportResult {
  /** Rows written per table. */
  rows: Record<ExportTable, number>;
}

/** Rows read per query: pages keep memory flat and never hold the connection between writes. */
const PAGE_ROWS = 1000;

/** The output stream and the first error it reported (so a failed stream never hangs a wait). */
interface Output {
  stream: NodeJS.WritableStream;
  error?: Error;
}

async function write(out: Output, chunk: string): Promise<void> {
  if (out.error) throw out.error;
  if (!out.stream.write(chunk)) await once(out.stream as NodeJS.EventEmitter, "drain");
}

function encodeRow(spec: TableSpec, row: Record<string, unknown>): Record<string, unknown> {
  for (const column of spec.columns) {
    const value = row[column.name];
    if (!column.json || typeof value !== "string") continue;
    try {
      row[column.name] = JSON.parse(value) as unknown;
    } catch {
      // not JSON after all: keep the text as it is
    }
  }
  return row;
}

async function exportTable(
  db: Database.Database,
  spec: TableSpec,
  out: Output,
  projectId: string | undefined,
): Promise<number> {
  const filter =
    projectId === undefined || spec.projectColumn === null
      ? ""
      : ` AND ${quoteId(spec.projectColumn)} = @projectId`;
  const page = db.prepare(
    `SELECT rowid AS "__rowid", * FROM ${quoteId(spec.name)} WHERE rowid > @after${filter} ORDER BY rowid LIMIT ${PAGE_ROWS}`,
  );
  const prefix = `{"table":${JSON.stringify(spec.name)},"row":`;
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = page.all(projectId === undefined ? { after } : { after, projectId }) as Array<
      Record<string, unknown> & { __rowid: number }
    >;
    if (rows.length === 0) break;
    let chunk = "";
    for (const row of rows) {
      after = row.__rowid;
      const { __rowid: _rowid, ...values } = row;
      chunk += `${prefix}${JSON.stringify(encodeRow(spec, values))}}\n`;
    }
    total += rows.length;
    await write(out, chunk);
    if (rows.length < PAGE_ROWS) break;
  }
  return total;
}

/**
 * Streams the database as JSONL: a header line, then `{"table":…,"row":{…}}` per row, table by
 * table in dependency order with rollups last. JSON columns appear as JSON values.
 */
export async function exportJsonl(
  db: Database.Database,
  target: string | NodeJS.WritableStream,
  options: ExportOptions,
  logger: Logger,
): Promise<ExportResult> {
  const file = typeof target === "string" ? createWriteStream(target) : undefined;
  const out: Output = { stream: file ?? (target as NodeJS.WritableStream) };
  const onError = (err: Error): void => {
    out.error ??= err;
  };
  out.stream.on("error", onError);
  const rows = tableCounts();
  try {
    const header: Record<string, unknown> = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: Date.now(),
    };
    if (options.projectId !== undefined) header.projectId = options.projectId;
    await write(out, `${JSON.stringify(header)}\n`);
    for (const spec of TABLE_SPECS.values()) {
      if (options.projectId !== undefined && spec.projectColumn === null) continue;
      rows[spec.name] = await exportTable(db, spec, out, options.projectId);
    }
    if (file) {
      file.end();
      await finished(file);
    }
  } catch (err) {
    file?.destroy();
    const where = typeof target === "string" ? ` to ${target}` : "";
    throw new DevflowError(
      "STORAGE_EXPORT_FAILED",
      `export${where} failed: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  } finally {
    // A file stream we own keeps its listener; a caller's stream gets its own handling back.
    if (!file) out.stream.off("error", onError);
  }
  logger.info({ rows }, "storage export written");
  return { rows };
}
