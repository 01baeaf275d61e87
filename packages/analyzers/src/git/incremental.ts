import { DevflowError } from "@devflow/events";
import type { CommitRepository } from "@devflow/storage";
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
  readonly #commits: CommitRepository;
  readonly #scope: GitScope;
  readonly #options: AggregateOptions;
  #agg: GitAggregates;
  #cursor = 0;
  #cursorHash: string | null = null;
  #seen = 0;

  /**
   * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` for a scope with temporal grouping.
   */
  constructor(
    commits: CommitRepository,
    scope: GitScope,
    options: Omit<AggregateOptions, "trackPairs"> = {},
  ) {
    if (scope.temporalPeriodDays !== undefined) {
      throw new DevflowError(
        "ANALYZERS_BAD_ARGUMENT",
        "an incremental index cannot use temporal grouping; use buildAggregates()",
      );
    }
    this.#commits = commits;
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
    const projectId = this.#scope.projectId;
    const stats = this.#commits.cursor(projectId, this.#cursor);
    let mode: RefreshResult["mode"] = "incremental";
    if (
      this.#cursor === 0 ||
      (stats.hashAtAfter ?? null) !== this.#cursorHash ||
      this.#seen + stats.fresh !== stats.count
    ) {
      mode = "full";
      this.#agg = new GitAggregates(this.#scope, this.#options);
      this.#cursor = 0;
      this.#seen = 0;
    }
    const read = forEachChange(
      this.#commits,
      { scope: this.#agg.scope, dict: this.#agg.dict },
      (c) => this.#agg.add(c),
      {
        afterRowId: this.#cursor,
        upToRowId: stats.top,
      },
    );
    this.#seen = stats.count;
    this.#cursor = stats.top;
    this.#cursorHash = stats.topHash;
    return { mode, commitsRead: read.commits, rowsRead: read.rows };
  }
}
