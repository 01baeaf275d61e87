import type Database from "better-sqlite3";
import { z } from "zod";
import { type DevflowEvent, DevflowError, type SinkResult, toFieldIssues } from "@devflow/events";
import type { StorageSink } from "../sink.js";
import { StatementCache } from "../statement-cache.js";
import { type CommitFile, type CommitRow, type StoredCommit, toStoredCommit } from "./commits.js";

const ms = z.number().int().nonnegative();
const id = z.string().min(1).max(256);

const StageTransitionInputSchema = z.strictObject({
  /** Deterministic ids make re-running an analysis idempotent. */
  id,
  projectId: z.string().min(1).max(128),
  fromStage: z.string().min(1).max(128).nullable(),
  toStage: z.string().min(1).max(128),
  subStage: z.string().min(1).max(128).nullable().default(null),
  confidence: z.number().min(0).max(1),
  timestamp: ms,
  /** Any JSON-serialisable value (the events and rules behind the transition). */
  evidence: z
    .unknown()
    .optional()
    .refine((value) => {
      try {
        return value === undefined || JSON.stringify(value) !== undefined;
      } catch {
        return false;
      }
    }, "must be JSON-serialisable")
    .transform((value) => value ?? null),
});

/** One stage transition given to {@link WorkRepository.recordTransitions}. */
export type StageTransitionInput = z.input<typeof StageTransitionInputSchema>;
/** A stored stage transition. */
export type StoredStageTransition = z.output<typeof StageTransitionInputSchema>;

const MetricSampleInputSchema = z.strictObject({
  /** Deterministic ids (project, name, period) make a recomputation replace the sample. */
  id,
  projectId: z.string().min(1).max(128).nullable().default(null),
  name: z.string().min(1).max(256),
  value: z.number().refine(Number.isFinite, "must be a finite number"),
  unit: z.string().min(1).max(64).nullable().default(null),
  timestamp: ms,
  tags: z.record(z.string(), z.json()).nullable().default(null),
});

/** One metric sample given to {@link WorkRepository.putMetrics}. */
export type MetricSampleInput = z.input<typeof MetricSampleInputSchema>;
/** A stored metric sample. */
export type StoredMetricSample = z.output<typeof MetricSampleInputSchema>;

/** Stage transitions of one project, `from` inclusive and `to` exclusive (ms UTC). */
export interface StageTransitionQuery {
  projectId: string;
  from?: number;
  to?: number;
}

/** Metric samples by name, project and time (`from` inclusive, `to` exclusive). */
export interface MetricQuery {
  projectId?: string;
  names?: readonly string[];
  from?: number;
  to?: number;
}

/** Commits of one project authored in `[from, to)` (ms UTC); every commit when unbounded. */
export interface CommitRangeQuery {
  projectId: string;
  from?: number;
  to?: number;
}

/**
 * Facts of the analyses of the work: stage transitions (`stage_transitions`), metric samples
 * (`metrics`) and the reads they need over commits and their files.
 */
export interface WorkRepository {
  /**
   * Stores transitions and (optionally) their `stage.transition` events in one transaction;
   * rows and events whose id is already stored are skipped. Returns how many rows were new.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` naming the bad field; nothing is stored then.
   */
  recordTransitions(
    transitions: readonly StageTransitionInput[],
    events?: readonly DevflowEvent[],
  ): { stored: number; events: SinkResult | null };
  /** Transitions of a project ordered by time. */
  transitions(query: StageTransitionQuery): StoredStageTransition[];
  /** The last transition at or before `at` (default: the last one), or `undefined`. */
  lastTransition(projectId: string, at?: number): StoredStageTransition | undefined;
  /**
   * Stores metric samples, replacing samples with the same id, in one transaction.
   *
   * @throws {@link DevflowError} `STORAGE_BAD_ARGUMENT` naming the bad field; nothing is stored then.
   */
  putMetrics(samples: readonly MetricSampleInput[]): number;
  /** Metric samples ordered by time, then name. */
  metrics(query?: MetricQuery): StoredMetricSample[];
  /** Commits with their files, ordered by author time then hash. */
  commitsWithFiles(query: CommitRangeQuery): StoredCommit[];
  /** The files of one commit (empty for merges and unknown hashes). */
  commitFiles(projectId: string, hash: string): CommitFile[];
}

interface RangeParams {
  projectId: string;
  from: number;
  to: number;
}

interface TransitionRow {
  id: string;
  project_id: string;
  from_stage: string | null;
  to_stage: string;
  sub_stage: string | null;
  confidence: number;
  timestamp: number;
  evidence: string | null;
}

interface MetricRow {
  id: string;
  project_id: string | null;
  name: string;
  value: number;
  unit: string | null;
  timestamp: number;
  tags: string | null;
}

function parseAll<TSchema extends z.ZodType>(
  schema: TSchema,
  items: readonly unknown[],
  what: string,
): Array<z.output<TSchema>> {
  return items.map((item, i) => {
    const result = schema.safeParse(item);
    if (result.success) return result.data;
    const detail = toFieldIssues(result.error, `${what}[${i}]`)
      .map((issue) => `${issue.path}: ${issue.message}`)
      .join("; ");
    throw new DevflowError("STORAGE_BAD_ARGUMENT", `invalid ${what}: ${detail}`);
  });
}

function checkRange(from: number | undefined, to: number | undefined): void {
  for (const value of [from, to]) {
    if (value !== undefined && !Number.isFinite(value)) {
      throw new DevflowError("STORAGE_BAD_ARGUMENT", "from and to must be finite numbers of ms");
    }
  }
}

const toTransition = (row: TransitionRow): StoredStageTransition => ({
  id: row.id,
  projectId: row.project_id,
  fromStage: row.from_stage,
  toStage: row.to_stage,
  subStage: row.sub_stage,
  confidence: row.confidence,
  timestamp: row.timestamp,
  evidence:
    row.evidence === null ? null : (JSON.parse(row.evidence) as StoredStageTransition["evidence"]),
});

const toMetric = (row: MetricRow): StoredMetricSample => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  value: row.value,
  unit: row.unit,
  timestamp: row.timestamp,
  tags: row.tags === null ? null : (JSON.parse(row.tags) as StoredMetricSample["tags"]),
});

/** The SQLite implementation of {@link WorkRepository}. */
export class SqliteWorkRepository implements WorkRepository {
  readonly #db: Database.Database;
  readonly #sink: StorageSink;
  readonly #insertTransition: Database.Statement<[TransitionRow]>;
  readonly #lastTransition: Database.Statement<[string, number], TransitionRow>;
  readonly #upsertMetric: Database.Statement<[MetricRow]>;
  readonly #files: Database.Statement<[string, string], CommitFile>;
  readonly #transitions: Database.Statement<[RangeParams], TransitionRow>;
  readonly #commits: Database.Statement<[RangeParams], CommitRow>;
  readonly #commitFileRows: Database.Statement<[RangeParams], CommitFile & { hash: string }>;
  readonly #statements: StatementCache;

  constructor(db: Database.Database, sink: StorageSink) {
    this.#db = db;
    this.#sink = sink;
    this.#insertTransition = db.prepare(
      `INSERT INTO stage_transitions (id, project_id, from_stage, to_stage, sub_stage, confidence,
         timestamp, evidence)
       VALUES (@id, @project_id, @from_stage, @to_stage, @sub_stage, @confidence, @timestamp, @evidence)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#lastTransition = db.prepare(
      `SELECT * FROM stage_transitions WHERE project_id = ? AND timestamp <= ?
       ORDER BY timestamp DESC, id DESC LIMIT 1`,
    );
    this.#upsertMetric = db.prepare(
      `INSERT INTO metrics (id, project_id, name, value, unit, timestamp, tags)
       VALUES (@id, @project_id, @name, @value, @unit, @timestamp, @tags)
       ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, name = excluded.name,
         value = excluded.value, unit = excluded.unit, timestamp = excluded.timestamp,
         tags = excluded.tags`,
    );
    this.#files = db.prepare(
      "SELECT path, insertions, deletions FROM commit_files WHERE project_id = ? AND hash = ? ORDER BY path",
    );
    this.#transitions = db.prepare(
      `SELECT * FROM stage_transitions WHERE project_id = @projectId
         AND timestamp >= @from AND timestamp < @to ORDER BY timestamp, id`,
    );
    this.#commits = db.prepare(
      `SELECT * FROM commits WHERE project_id = @projectId
         AND authored_at >= @from AND authored_at < @to ORDER BY authored_at, hash`,
    );
    this.#commitFileRows = db.prepare(
      `SELECT f.hash AS hash, f.path AS path, f.insertions AS insertions, f.deletions AS deletions
       FROM commit_files f JOIN commits c ON c.project_id = f.project_id AND c.hash = f.hash
       WHERE c.project_id = @projectId AND c.authored_at >= @from AND c.authored_at < @to
       ORDER BY f.hash, f.path`,
    );
    this.#statements = new StatementCache(db);
  }

  recordTransitions(
    transitions: readonly StageTransitionInput[],
    events: readonly DevflowEvent[] = [],
  ): { stored: number; events: SinkResult | null } {
    const rows = parseAll(StageTransitionInputSchema, transitions, "transitions");
    const run = this.#db.transaction(() => {
      let stored = 0;
      for (const t of rows) {
        const row: TransitionRow = {
          id: t.id,
          project_id: t.projectId,
          from_stage: t.fromStage,
          to_stage: t.toStage,
          sub_stage: t.subStage,
          confidence: t.confidence,
          timestamp: t.timestamp,
          evidence: t.evidence === null ? null : JSON.stringify(t.evidence),
        };
        stored += this.#insertTransition.run(row).changes;
      }
      const written = events.length > 0 ? this.#sink.write(events) : null;
      return { stored, events: written };
    });
    return run.immediate();
  }

  transitions(query: StageTransitionQuery): StoredStageTransition[] {
    checkRange(query.from, query.to);
    return this.#transitions
      .all({
        projectId: query.projectId,
        from: query.from ?? 0,
        to: query.to ?? Number.MAX_SAFE_INTEGER,
      })
      .map(toTransition);
  }

  lastTransition(
    projectId: string,
    at = Number.MAX_SAFE_INTEGER,
  ): StoredStageTransition | undefined {
    const row = this.#lastTransition.get(projectId, at);
    return row ? toTransition(row) : undefined;
  }

  putMetrics(samples: readonly MetricSampleInput[]): number {
    const rows = parseAll(MetricSampleInputSchema, samples, "metrics");
    const run = this.#db.transaction(() => {
      for (const m of rows) {
        this.#upsertMetric.run({
          id: m.id,
          project_id: m.projectId,
          name: m.name,
          value: m.value,
          unit: m.unit,
          timestamp: m.timestamp,
          tags: m.tags === null ? null : JSON.stringify(m.tags),
        });
      }
      return rows.length;
    });
    return run.immediate();
  }

  metrics(query: MetricQuery = {}): StoredMetricSample[] {
    checkRange(query.from, query.to);
    const conditions = ["timestamp >= @from", "timestamp < @to"];
    const params: Record<string, unknown> = {
      from: query.from ?? 0,
      to: query.to ?? Number.MAX_SAFE_INTEGER,
    };
    if (query.projectId !== undefined) {
      conditions.push("project_id = @projectId");
      params.projectId = query.projectId;
    }
    if (query.names !== undefined) {
      conditions.push("name IN (SELECT value FROM json_each(@names))");
      params.names = JSON.stringify(query.names);
    }
    const rows = this.#statements
      .get(`SELECT * FROM metrics WHERE ${conditions.join(" AND ")} ORDER BY timestamp, name, id`)
      .all(params) as MetricRow[];
    return rows.map(toMetric);
  }

  commitsWithFiles(query: CommitRangeQuery): StoredCommit[] {
    checkRange(query.from, query.to);
    const params = {
      projectId: query.projectId,
      from: query.from ?? 0,
      to: query.to ?? Number.MAX_SAFE_INTEGER,
    };
    const rows = this.#commits.all(params);
    const files = new Map<string, CommitFile[]>();
    const fileRows = this.#commitFileRows.all(params);
    for (const { hash, ...file } of fileRows) {
      let list = files.get(hash);
      if (!list) files.set(hash, (list = []));
      list.push(file);
    }
    return rows.map((row) => toStoredCommit(row, files.get(row.hash) ?? []));
  }

  commitFiles(projectId: string, hash: string): CommitFile[] {
    return this.#files.all(projectId, hash);
  }
}
