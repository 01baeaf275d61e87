import { DevflowError, parseDay, TimeZone } from "@devflow/events";
import { type BlockInfo, sessionBlocks } from "./blocks.js";
import type { UsageEntry } from "./usage-events.js";

/** How a usage report is grouped. */
export const USAGE_GROUPINGS = [
  "day",
  "week",
  "month",
  "session",
  "model",
  "project",
  "block",
] as const;
/** A usage grouping. */
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

/** Token and cost totals of a set of requests. Costs are list-price estimates. */
export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  /** input + output + cache write + cache read (reasoning is inside output). */
  totalTokens: number;
  /** Estimated cost in USD of the priced requests. */
  costUsd: number;
  /** Requests whose model has no price (not in `costUsd`). */
  unpricedRequests: number;
  /** Claude requests with a placeholder input count (0/1): input is undercounted. */
  placeholderInputs: number;
}

/** One model's share of a row. */
export interface ModelUsage extends UsageTotals {
  /** The model id, with `-fast` appended for fast-tier requests. */
  model: string;
}

/** One row of a usage report. */
export interface UsageRow extends UsageTotals {
  /** The group: `2026-01-05`, `2026-W02` (its Monday in `weekStart`), `2026-01`, a session id, a model, a project, or a block start. */
  key: string;
  firstAt: number;
  lastAt: number;
  models: ModelUsage[];
  /** Session rows: the assistant and where it ran. */
  tool?: string;
  projectId?: string;
  cwd?: string;
  /** Week rows: the Monday the week starts on (`YYYY-MM-DD`). */
  weekStart?: string;
  /** Block rows. */
  block?: BlockInfo;
}

/** A usage report. */
export interface UsageReport {
  by: UsageGrouping;
  timezone: string;
  rows: UsageRow[];
  totals: UsageTotals;
  cost: {
    /** Always true: costs are list-price estimates, and Claude's logs undercount input. */
    estimate: true;
    /** Requests by where their cost came from. */
    sources: Record<string, number>;
  };
}

/** Options of {@link usageReport}. */
export interface UsageReportOptions {
  by: UsageGrouping;
  /** IANA time zone for day/week/month keys; default the system's. */
  timezone?: string;
  /** Now (ms), for the active block; default `Date.now()`. */
  now?: number;
  /** Names of projects by id, for project rows. */
  projectNames?: ReadonlyMap<string, string>;
  /** Only requests on or after this day (`YYYY-MM-DD` in `timezone`). */
  since?: string;
  /** Only requests on or before this day (`YYYY-MM-DD` in `timezone`). */
  until?: string;
}

/** Zeroed totals. */
export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    reasoningTokens: 0,
    totalTokens: 0,
    costUsd: 0,
    unpricedRequests: 0,
    placeholderInputs: 0,
  };
}

/** Adds one request to totals. */
export function addUsage(t: UsageTotals, e: UsageEntry): void {
  t.requests++;
  t.inputTokens += e.inputTokens;
  t.outputTokens += e.outputTokens;
  t.cacheWriteTokens += e.cacheWriteTokens;
  t.cacheReadTokens += e.cacheReadTokens;
  t.reasoningTokens += e.reasoningTokens;
  t.totalTokens += e.inputTokens + e.outputTokens + e.cacheWriteTokens + e.cacheReadTokens;
  if (e.costUsd !== undefined) t.costUsd += e.costUsd;
  else t.unpricedRequests++;
  if (e.placeholderInput) t.placeholderInputs++;
}

/** Validates an IANA zone with the time grammar (`EVENTS_BAD_TIME_ZONE`). */
function checkTimezone(tz: string): void {
  TimeZone.of(tz);
}

/** True for a real `YYYY-MM-DD` calendar day (the time grammar's dates). */
function isDay(value: string): boolean {
  try {
    return parseDay(value) !== undefined;
  } catch {
    return false;
  }
}

/** Formats ms as `YYYY-MM-DD` in a time zone (cached formatter). */
function dayFormatter(timezone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  return (ms) => f.format(ms);
}

/** The Monday (`YYYY-MM-DD`) of the week containing a calendar day. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The model key of a request: its id, plus `-fast` in the fast tier. */
export function modelKey(e: UsageEntry): string {
  return e.speed === "fast" ? `${e.model}-fast` : e.model;
}

/**
 * Groups de-duplicated usage by day, week (Monday start), month, session, model, project or
 * Claude's 5-hour billing block (with burn rate and projection), with per-model breakdowns.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` for an unknown grouping or a bad day,
 *   `EVENTS_BAD_TIME_ZONE` for an unknown time zone.
 */
export function usageReport(
  entries: readonly UsageEntry[],
  options: UsageReportOptions,
): UsageReport {
  if (!(USAGE_GROUPINGS as readonly string[]).includes(options.by)) {
    throw new DevflowError(
      "ANALYZERS_BAD_ARGUMENT",
      `--by must be one of ${USAGE_GROUPINGS.join(", ")}, got "${options.by}"`,
    );
  }
  const timezone = options.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  checkTimezone(timezone);
  const day = dayFormatter(timezone);
  for (const [name, value] of [
    ["since", options.since],
    ["until", options.until],
  ] as const) {
    if (value !== undefined && !isDay(value)) {
      throw new DevflowError(
        "ANALYZERS_BAD_ARGUMENT",
        `--${name} must be a date like 2026-01-31, got "${value}"`,
      );
    }
  }
  if (options.since !== undefined || options.until !== undefined) {
    const since = options.since ?? "0000-00-00";
    const until = options.until ?? "9999-99-99";
    entries = entries.filter((e) => {
      const d = day(e.timestamp);
      return d >= since && d <= until;
    });
  }
  const totals = emptyTotals();
  const sources: Record<string, number> = {};
  for (const e of entries) {
    addUsage(totals, e);
    sources[e.costSource] = (sources[e.costSource] ?? 0) + 1;
  }
  let rows: UsageRow[];
  if (options.by === "block") {
    rows = sessionBlocks(
      entries.filter((e) => e.tool === "claude-code"),
      options.now ?? Date.now(),
    ).map((b) => ({ ...rowOf(b.key, b.entries), block: b.info }));
  } else {
    const groups = new Map<string, UsageEntry[]>();
    const keyOf = (e: UsageEntry): string => {
      switch (options.by) {
        case "day":
          return day(e.timestamp);
        case "week":
          return mondayOf(day(e.timestamp));
        case "month":
          return day(e.timestamp).slice(0, 7);
        case "session":
          return `${e.tool}:${e.sessionId}`;
        case "model":
          return modelKey(e);
        case "block":
        case "project":
          return e.projectId ?? (e.cwd ? `cwd:${e.cwd}` : "unknown");
      }
    };
    for (const e of entries) {
      const k = keyOf(e);
      const list = groups.get(k);
      if (list) list.push(e);
      else groups.set(k, [e]);
    }
    rows = [...groups].map(([key, list]) => {
      const row = rowOf(key, list);
      if (options.by === "week") row.weekStart = key;
      if (options.by === "session") {
        row.key = list[0]!.sessionId;
        row.tool = list[0]!.tool;
        const p = list.find((e) => e.projectId)?.projectId;
        if (p) row.projectId = p;
        const cwd = list.find((e) => e.cwd)?.cwd;
        if (cwd) row.cwd = cwd;
      }
      if (options.by === "project" && !key.startsWith("cwd:") && key !== "unknown") {
        row.projectId = key;
        const name = options.projectNames?.get(key);
        if (name) row.key = name;
      }
      return row;
    });
    rows.sort((a, b) =>
      options.by === "model" || options.by === "project"
        ? b.costUsd - a.costUsd || (a.key < b.key ? -1 : 1)
        : a.firstAt - b.firstAt,
    );
  }
  return { by: options.by, timezone, rows, totals, cost: { estimate: true, sources } };
}

function rowOf(key: string, list: readonly UsageEntry[]): UsageRow {
  const t = emptyTotals();
  const models = new Map<string, ModelUsage>();
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  for (const e of list) {
    addUsage(t, e);
    const m = modelKey(e);
    let mu = models.get(m);
    if (!mu) {
      mu = { model: m, ...emptyTotals() };
      models.set(m, mu);
    }
    addUsage(mu, e);
    firstAt = Math.min(firstAt, e.timestamp);
    lastAt = Math.max(lastAt, e.timestamp);
  }
  return {
    key,
    ...t,
    firstAt,
    lastAt,
    models: [...models.values()].sort(
      (a, b) => b.costUsd - a.costUsd || (a.model < b.model ? -1 : 1),
    ),
  };
}
