/**
 * @module stats
 * Robust statistics for metrics and anomaly detection: quantiles, median absolute deviation,
 * robust z-scores, EWMA and the Theil–Sen slope.
 */

/**
 * The `q` quantile (0–1) of `values` by linear interpolation between closest ranks (the
 * default of NumPy and R type 7); `null` for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The median; `null` for no values. */
export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

/** The median absolute deviation from the median; `null` for no values. */
export function mad(values: readonly number[]): number | null {
  const m = median(values);
  if (m === null) return null;
  return median(values.map((v) => Math.abs(v - m)));
}

/**
 * How unusual `value` is against `baseline`: (value − median) ÷ (1.4826 × MAD), the MAD scaled
 * to estimate a standard deviation for normal data. A floor on the scale (`minScale`, default
 * 1 % of the median's magnitude) keeps a perfectly flat baseline from making every wiggle
 * infinite. `null` with fewer than 3 baseline values.
 */
export function robustZ(
  value: number,
  baseline: readonly number[],
  minScale?: number,
): number | null {
  if (baseline.length < 3) return null;
  const m = median(baseline)!;
  const scale = Math.max(1.4826 * mad(baseline)!, minScale ?? Math.abs(m) * 0.01, 1e-9);
  return (value - m) / scale;
}

/** Exponentially weighted moving average of `values` (oldest first) with smoothing `alpha`. */
export function ewma(values: readonly number[], alpha: number): number[] {
  const out: number[] = [];
  let s: number | undefined;
  for (const v of values) {
    s = s === undefined ? v : alpha * v + (1 - alpha) * s;
    out.push(s);
  }
  return out;
}

/**
 * The Theil–Sen slope of points (the median of pairwise slopes), robust to outliers; `null`
 * with fewer than 2 distinct x values.
 */
export function theilSen(
  points: ReadonlyArray<{ x: number; y: number }>,
): { slope: number; intercept: number } | null {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      if (b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  }
  const slope = median(slopes);
  if (slope === null) return null;
  const intercept = median(points.map((p) => p.y - slope * p.x))!;
  return { slope, intercept };
}
