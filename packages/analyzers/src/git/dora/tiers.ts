/**
 * DORA performance tiers as Apache DevLake computes them (docs/Metrics/*.md, 2023 benchmarks
 * for change failure rate and recovery time). Deployment rework rate has no published tiers.
 */
import { DAY_MS } from "@devflow/events";

/** A DORA performance tier. */
export type DoraTier = "elite" | "high" | "medium" | "low";

const HOUR_MS = 3_600_000;

/**
 * Deployment frequency: elite when the median week has ≥ 3 deployment days, high with ≥ 1,
 * medium when the median month has a deployment day, else low.
 */
export function deploymentFrequencyTier(
  medianDaysPerWeek: number,
  medianDaysPerMonth: number,
): DoraTier {
  if (medianDaysPerWeek >= 3) return "elite";
  if (medianDaysPerWeek >= 1) return "high";
  if (medianDaysPerMonth >= 1) return "medium";
  return "low";
}

/** Lead time for changes: < 1 hour elite, < 1 week high, < 180 days medium, else low. */
export function leadTimeTier(medianMs: number): DoraTier {
  if (medianMs < HOUR_MS) return "elite";
  if (medianMs < 7 * DAY_MS) return "high";
  if (medianMs < 180 * DAY_MS) return "medium";
  return "low";
}

/** Change failure rate (0–1): ≤ 5 % elite, ≤ 10 % high, ≤ 15 % medium, else low. */
export function changeFailureRateTier(rate: number): DoraTier {
  if (rate <= 0.05) return "elite";
  if (rate <= 0.1) return "high";
  if (rate <= 0.15) return "medium";
  return "low";
}

/** Failed deployment recovery time: < 1 hour elite, < 1 day high, < 1 week medium, else low. */
export function recoveryTimeTier(medianMs: number): DoraTier {
  if (medianMs < HOUR_MS) return "elite";
  if (medianMs < DAY_MS) return "high";
  if (medianMs < 7 * DAY_MS) return "medium";
  return "low";
}

/**
 * DevLake's `percent_rank() ≤ 0.5` median (deployment days, recovery time): the lower middle
 * value of the sorted list.
 */
export function lowerMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * DevLake's lead-time median (the smallest value with more than half the values at or below
 * it): the upper middle value of the sorted list.
 */
export function upperMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
