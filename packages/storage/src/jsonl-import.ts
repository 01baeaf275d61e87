import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type Database from "better-sqlite3";
import { DevflowError, isDevflowError, type Logger } from "@devflow/events";
import { eventItemOf, paramsOf, parseLine, rollupParamsOf } from "./import-rows.js";
import { EXPORT_FORMAT, EXPORT_VERSION } from "./jsonl-export.js";
import type { EventWriter, EventWriteItem } from "./sink.js";
import { type ExportTable, quoteId, TABLE_SPECS, type TableSpec, tableCounts } from "./tables.js";

/** One line `importJsonl` could not store, with the reason. */
export interface ImportError {
  /** 1-based line number in the source. */
  line: number;
  error: string;
}

/** What `storage.importJsonl` did. */
export interface ImportResult {
  /** Rows newly stored per table (for rollups: rows added or raised). */
  inserted: Record<ExportTable, number>;
  /** Rows already present (same key; rollups already at least as high). */
  duplicates: number;
  /** The first {@link MAX_REPORTED_ERRORS} bad lines; the import goes on past them. */
  errors: ImportError[];
  /** Every bad line, including those beyond the reported ones. */
  errorCount: number;
}

/** Rows per transaction. */
export const IMPORT_BATCH_ROWS = 1000;
/** Bad lines reported individually in {@link ImportResult.errors}. */
export const MAX_REPORTED_ERRORS = 1000;

interface Pending {
  line: number;
  spec: TableSpec;
  row: Record<string, unknown>;
}

let importCounter = 0;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function checkHeader(text: string): void {
  let header: unknown;
  try {
    header = JSON.parse(text) as unknown;
  } catch {
    header = undefined;
  }
  const h = header as { format?: unknown; version?: unknown } | undefined;
  if (h?.format !== EXPORT_FORMAT || h.version !== EXPORT_VERSION) {
    throw new DevflowError(
      "STORAGE_IMPORT_INVALID",
      `not a DevFlow export: line 1 must be {"format":"${EXPORT_FORMAT}","version":${EXPORT_VERSION},...}`,
    );
  }
}

/** Imports one JSONL export; see `Storage.importJsonl`. */
class JsonlImport {
  readonly result: ImportResult = {
    inserted: tableCounts(),
    duplicates: 0,
    errors: [],
    errorCount: 0,
  };
  readonly #db: Database.Database;
  readonly #writer: EventWriter;
  readonly #temp = `import_rollups_${process.pid}_${++importCounter}`;
  readonly #inserts = new Map<string, Database.Statement>();
  readonly #stageRollup: Database.Statement;
  readonly #flush: Database.Transaction<(rows: Pending[]) => void>;

  constructor(db: Database.Database, writer: EventWriter) {
    this.#db = db;
    this.#writer = writer;
    db.exec(`CREATE TEMP TABLE ${this.#temp} (bucket TEXT NOT NULL, bucket_start INTEGER NOT NULL,
      project_id TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL, duration_ms REAL NOT NULL,
      PRIMARY KEY (bucket, bucket_start, project_id, type))`);
    this.#stageRollup = db.prepare(
      `INSERT INTO temp.${this.#temp} VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET
         count = max(count, excluded.count), duration_ms = max(duration_ms, excluded.duration_ms)`,
    );
    for (const spec of TABLE_SPECS.values()) {
      if (spec.name === "events" || spec.name === "rollups") continue;
      const columns = spec.columns.map((c) => quoteId(c.name)).join(", ");
      const values = spec.columns.map(() => "?").join(", ");
      this.#inserts.set(
        spec.name,
        db.prepare(
          `INSERT INTO ${quoteId(spec.name)} (${columns}) VALUES (${values}) ON CONFLICT DO NOTHING`,
        ),
      );
    }
    this.#flush = db.transaction((rows: Pending[]) => this.#store(rows));
  }

  error(line: number, error: string): void {
    this.result.errorCount++;
    if (this.result.errors.length < MAX_REPORTED_ERRORS) this.result.errors.push({ line, error });
  }

  flush(rows: Pending[]): void {
    if (rows.length > 0) this.#flush.immediate(rows);
  }

  #store(rows: Pending[]): void {
    const now = Date.now();
    let events: Array<{ line: number; item: EventWriteItem }> = [];
    const writeEvents = (): void => {
      if (events.length === 0) return;
      const outcome = this.#writer.writeInTransaction(
        events.map((e) => e.item),
        now,
      );
      this.result.inserted.events += outcome.stored;
      this.result.duplicates += outcome.duplicates;
      for (const r of outcome.rejected) this.error(events[r.index]?.line ?? 0, r.error);
      events = [];
    };
    for (const { line, spec, row } of rows) {
      try {
        if (spec.name === "events") {
          events.push({ line, item: eventItemOf(spec, row) });
          continue;
        }
        writeEvents();
        if (spec.name === "rollups") {
          this.#stageRollup.run(...rollupParamsOf(row));
        } else if (this.#inserts.get(spec.name)?.run(...paramsOf(spec, row)).changes === 1) {
          this.result.inserted[spec.name]++;
        } else {
          this.result.duplicates++;
        }
      } catch (err) {
        if (!this.#db.inTransaction) throw err;
        this.error(line, messageOf(err));
      }
    }
    writeEvents();
  }

  /** Applies the staged rollups with `count = max(existing, imported)`, after every event. */
  applyRollups(): void {
    const temp = `temp.${this.#temp}`;
    this.#db
      .transaction(() => {
        const { total, changed } = this.#db
          .prepare(
            `SELECT COUNT(*) AS total, COALESCE(SUM(r.bucket IS NULL OR i.count > r.count
                OR (i.count = r.count AND i.duration_ms <> r.duration_ms)), 0) AS changed
             FROM ${temp} i LEFT JOIN rollups r ON r.bucket = i.bucket AND r.bucket_start = i.bucket_start
               AND r.project_id = i.project_id AND r.type = i.type`,
          )
          .get() as { total: number; changed: number };
        this.#db
          .prepare(
            `INSERT INTO rollups (bucket, bucket_start, project_id, type, count, duration_ms)
             SELECT bucket, bucket_start, project_id, type, count, duration_ms FROM ${temp} WHERE true
             ON CONFLICT (bucket, bucket_start, project_id, type) DO UPDATE SET
               count = max(count, excluded.count),
               duration_ms = CASE
                 WHEN excluded.count > count THEN excluded.duration_ms
                 WHEN excluded.count < count THEN duration_ms
                 WHEN abs(excluded.duration_ms - duration_ms) <= 1e-9 * max(1.0, abs(duration_ms))
                   THEN excluded.duration_ms
                 ELSE max(duration_ms, excluded.duration_ms) END`,
          )
          .run();
        this.result.inserted.rollups += changed;
        this.result.duplicates += total - changed;
      })
      .immediate();
  }

  dispose(): void {
    this.#db.exec(`DROP TABLE IF EXISTS temp.${this.#temp}`);
  }
}

/**
 * Reads a JSONL export line by line and stores it: events through the sink path (so rollups
 * follow), other tables with `ON CONFLICT DO NOTHING` in transactions of at most
 * {@link IMPORT_BATCH_ROWS} rows, rollup lines last with `count = max(existing, imported)`.
 * Bad lines are reported, never fatal; a bad header is.
 */
export async function importJsonl(
  db: Database.Database,
  writer: EventWriter,
  source: string | NodeJS.ReadableStream,
  logger: Logger,
): Promise<ImportResult> {
  const job = new JsonlImport(db, writer);
  const input: NodeJS.ReadableStream =
    typeof source === "string" ? createReadStream(source) : source;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let streamError: Error | undefined;
  const onError = (err: Error): void => {
    streamError ??= err;
    lines.close();
  };
  input.on("error", onError);
  try {
    let pending: Pending[] = [];
    let lineNo = 0;
    let sawHeader = false;
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === "") continue;
      if (!sawHeader) {
        checkHeader(text);
        sawHeader = true;
        continue;
      }
      try {
        const { table, row } = parseLine(text);
        const spec = TABLE_SPECS.get(table);
        if (!spec)
          throw new DevflowError("STORAGE_IMPORT_INVALID", `unknown table "${table.slice(0, 80)}"`);
        pending.push({ line: lineNo, spec, row });
      } catch (err) {
        job.error(lineNo, messageOf(err));
      }
      if (pending.length >= IMPORT_BATCH_ROWS) {
        job.flush(pending);
        pending = [];
      }
    }
    job.flush(pending);
    if (streamError) throw streamError;
    if (!sawHeader)
      throw new DevflowError("STORAGE_IMPORT_INVALID", "not a DevFlow export: the input is empty");
    job.applyRollups();
  } catch (err) {
    if (isDevflowError(err)) throw err;
    const from = typeof source === "string" ? ` from ${source}` : "";
    throw new DevflowError("STORAGE_IMPORT_FAILED", `import${from} failed: ${messageOf(err)}`, {
      cause: err,
    });
  } finally {
    lines.close();
    if (typeof source === "string") (input as ReturnType<typeof createReadStream>).destroy();
    else input.off("error", onError);
    job.dispose();
  }
  const { inserted, duplicates, errorCount } = job.result;
  logger.info({ inserted, duplicates, errors: errorCount }, "storage import done");
  return job.result;
}
