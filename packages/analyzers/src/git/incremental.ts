import { DevflowError } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { type AggregateOptions, GitAggregates } from "./aggregates.js";
import { forEachChange } from "./facts.js";
import type { GitScope } from "./scope.js";

/** What one {@link GitAnalyticsIndex.refresh} did. */
export interface RefreshResult {
  /** `full` on the first refresh or after rows disappeared, else `incremental`. */
  mode: "full" | "incremental";
  /** Commits (with file rows) read in this refresh. */
  commitsRead: number;
  /** File rows read in this refresh. */
  rowsRead: number;
}

/**
 * Keeps a scope's {@link GitAggregates} (with every coupling pair counted) up to date as
 * commits arrive: each {@link refresh} reads only the commits stored since the last one (by
 * the `commits` rowid), so a long-running process (the MCP server, the API) answers the
 * code-maat analyses, hotspots and knowledge from memory. Temporal grouping is not supported
 * here, because a new commit can extend a group already counted. When stored commits vanish
 * or the last one read was replaced (a project deleted and imported again), the next refresh
 * rebuilds everything.
 */
export class GitAnalyticsIndex {
  readonly #storage: Storage;
  readonly #scope: GitScope;
  readonly #options: AggregateOptions;
  #agg: GitAggregates;
  #cursor = 0;
  #cursorHash: string | null = null;
  #seen = 0;

  /**
   * @throws {@link DevflowError} `ANALYZERS_BAD_OPTION` for a scope with temporal grouping.
   */
  constructor(
    storage: Storage,
    scope: GitScope,
    options: Omit<AggregateOptions, "trackPairs"> = {},
  ) {
    if (scope.temporalPeriodDays !== undefined) {
      throw new DevflowError(
        "ANALYZERS_BAD_OPTION",
        "an incremental index cannot use temporal grouping; use buildAggregates()",
      );
    }
    this.#storage = storage;
    this.#scope = scope;
    this.#options = { ...options, trackPairs: true };
    this.#agg = new GitAggregates(scope, this.#options);
  }

  /** The aggregates as of the last refresh. */
  get aggregates(): GitAggregates {
    return this.#agg;
  }

  /** Folds in the commits stored since the last refresh (everything on the first call). */
  refresh(): RefreshResult {
    const db = this.#storage.orm.$client;
    const projectId = this.#scope.projectId;
    const stats = db
      .prepare(
        "SELECT COALESCE(MAX(rowid), 0) AS top, COUNT(*) AS n, SUM(rowid > ?) AS fresh FROM commits WHERE project_id = ?",
      )
      .get(this.#cursor, projectId) as { top: number; n: number; fresh: number | null };
    const atCursor = db
      .prepare("SELECT hash FROM commits WHERE rowid = ? AND project_id = ?")
      .pluck()
      .get(this.#cursor, projectId) as string | undefined;
    let mode: RefreshResult["mode"] = "incremental";
    if (
      this.#cursor === 0 ||
      atCursor !== this.#cursorHash ||
      this.#seen + (stats.fresh ?? 0) !== stats.n
    ) {
      mode = "full";
      this.#agg = new GitAggregates(this.#scope, this.#options);
      this.#cursor = 0;
      this.#seen = 0;
    }
    const read = forEachChange(
      this.#storage,
      this.#agg.scope,
      this.#agg.dict,
      (c) => this.#agg.add(c),
      {
        afterRowId: this.#cursor,
        upToRowId: stats.top,
      },
    );
    this.#seen = stats.n;
    this.#cursor = stats.top;
    this.#cursorHash =
      (db.prepare("SELECT hash FROM commits WHERE rowid = ?").pluck().get(stats.top) as
        string | undefined) ?? null;
    return { mode, commitsRead: read.commits, rowsRead: read.rows };
  }
}
