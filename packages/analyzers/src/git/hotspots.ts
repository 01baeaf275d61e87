import { z } from "zod";
import type { GitAggregates } from "./aggregates.js";
import { byCountsThenName } from "./maat.js";
import { parseOptions } from "./scope.js";
import { monthIndex, monthKey } from "./time.js";

/** Churn of one month in a hotspot's trend. */
export interface TrendMonth {
  /** `YYYY-MM` (local). */
  month: string;
  added: number;
  deleted: number;
  revisions: number;
}

/** A hotspot's churn over the last months. */
export interface ChurnTrend {
  months: TrendMonth[];
  /** Least-squares slope of monthly churn (lines added + deleted per month, per month). */
  slope: number;
  /**
   * `rising` or `falling` by the slope's sign; `flat` when the fitted change over the whole
   * window is at most 10 % of the mean monthly churn.
   */
  direction: "rising" | "falling" | "flat";
}

/** One row of {@link hotspots}. */
export interface HotspotRow {
  rank: number;
  entity: string;
  /** Change frequency (code-maat revisions). */
  revisions: number;
  /** Current lines of code (non-blank lines in the working tree). */
  loc: number;
  /** `revisions × loc`. */
  score: number;
  added: number;
  deleted: number;
  trend: ChurnTrend;
}

/** Options of {@link hotspots}. */
export interface HotspotOptions {
  /** Current lines of code per stored path (see {@link countLinesOfCode}). */
  loc: ReadonlyMap<string, number>;
  /** The instant the trend window ends at (its month is the last one). */
  now: number;
  /** Months in the trend window; default 6. */
  trendMonths?: number;
  /** Keep the top rows only. */
  limit?: number;
}

const OptionsSchema = z.strictObject({
  loc: z.instanceof(Map),
  now: z.number().int().nonnegative(),
  trendMonths: z.number().int().min(1).max(120).optional(),
  limit: z.number().int().min(1).optional(),
});

/** The least-squares slope of `ys` over x = 0, 1, …. */
export function slopeOf(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/**
 * Hotspots: change frequency × size. Entities that exist in the working tree (have lines of
 * code in `loc`, summed per component with grouping) are ranked by `revisions × loc`, then by
 * revisions, each with its churn trend over the last `trendMonths` months.
 */
export function hotspots(agg: GitAggregates, options: HotspotOptions): HotspotRow[] {
  const opts = parseOptions(OptionsSchema, options, "hotspot options");
  const months = opts.trendMonths ?? 6;
  const locByEntity = new Map<string, number>();
  for (const [path, lines] of options.loc) {
    const entity = agg.scope.mapper(path);
    if (entity !== null) locByEntity.set(entity, (locByEntity.get(entity) ?? 0) + lines);
  }
  const nowParts = agg.scope.zone.parts(opts.now);
  const last = monthIndex(nowParts.year, nowParts.month);
  const rows: HotspotRow[] = [];
  for (const e of agg.entityIds()) {
    const entity = agg.entityName(e);
    const loc = locByEntity.get(entity);
    if (loc === undefined) continue;
    const s = agg.entities[e]!;
    const perMonth = agg.months[e]!;
    const trendMonths: TrendMonth[] = [];
    for (let m = last - months + 1; m <= last; m++) {
      const c = perMonth.get(m);
      trendMonths.push({
        month: monthKey(m),
        added: c?.added ?? 0,
        deleted: c?.deleted ?? 0,
        revisions: c?.count ?? 0,
      });
    }
    const churn = trendMonths.map((m) => m.added + m.deleted);
    const slope = slopeOf(churn);
    const mean = churn.reduce((a, b) => a + b, 0) / churn.length;
    const flat = Math.abs(slope) * (churn.length - 1) <= 0.1 * mean;
    rows.push({
      rank: 0,
      entity,
      revisions: s.revisions,
      loc,
      score: s.revisions * loc,
      added: s.added,
      deleted: s.deleted,
      trend: {
        months: trendMonths,
        slope: Math.round(slope * 100) / 100,
        direction: flat ? "flat" : slope > 0 ? "rising" : "falling",
      },
    });
  }
  byCountsThenName(rows, [(r) => r.score, (r) => r.revisions], (r) => r.entity);
  rows.forEach((r, i) => (r.rank = i + 1));
  return opts.limit === undefined ? rows : rows.slice(0, opts.limit);
}
