import { z } from "zod";
import { DAY_MS, DevflowError, TimeZone } from "@devflow/events";
import { parseOptions } from "../scope.js";
import { monthIndex } from "../time.js";
import {
  changeFailureRateTier,
  type DoraTier,
  deploymentFrequencyTier,
  leadTimeTier,
  lowerMedian,
  recoveryTimeTier,
  upperMedian,
} from "./tiers.js";

/** A successful production deployment. */
export interface DoraDeployment {
  id: string;
  name: string;
  /** When it finished, ms. */
  at: number;
  /** The deployed commit, when known. */
  commit?: string | null;
  /** Where it came from (`tag`, `merge`, an integration name, …). */
  source: string;
}

/** A change (a commit, or a pull request) and the deployment that first shipped it. */
export interface DoraChange {
  id: string;
  /** Authored time of the (first) commit, ms. */
  firstCommitAt: number;
  deploymentId: string;
}

/** A production incident. */
export interface DoraIncident {
  id: string;
  /** `revert`, `hotfix`, `hotfix-branch`, or an integration's type. */
  kind: string;
  createdAt: number;
  /** The commit that fixed it, when it came from git. */
  commit?: string | null;
  /**
   * The deployment that caused it; `undefined`: the last deployment at or before `createdAt`
   * (DevLake's rule); `null`: not attributable.
   */
  causedBy?: string | null;
  /** The deployment that resolved it (its `at` is the resolution time when `resolvedAt` is unset). */
  resolvedBy?: string | null;
  resolvedAt?: number | null;
  /** `false` keeps it listed but out of the figures (e.g. a revert of a never-deployed commit). */
  counted?: boolean;
  /** Why it was attributed or left out. */
  note?: string;
}

/** The facts DORA is computed from: git-only today, integrations add theirs later. */
export interface DoraInput {
  deployments: readonly DoraDeployment[];
  changes: readonly DoraChange[];
  incidents: readonly DoraIncident[];
  /** How the inputs were derived, one line each (shown with every figure). */
  sources?: readonly string[];
}

/** Options of {@link computeDora}. */
export interface DoraOptions {
  /** Start of the period (inclusive, ms); default six calendar months before `to`. */
  from?: number;
  /** End of the period (exclusive, ms). */
  to: number;
  /** IANA zone of deployment days, weeks (from Monday) and months; default UTC. */
  timeZone?: string;
}

const OptionsSchema = z.strictObject({
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative(),
  timeZone: z.string().min(1).optional(),
});

/** One figure with its tier and the inputs behind it. */
export interface DoraFigure {
  tier: DoraTier | null;
  /** What the figure was computed from. */
  inputs: string[];
}

/** The DORA report of a period. */
export interface DoraReport {
  period: { from: number; to: number; timeZone: string };
  deploymentFrequency: DoraFigure & {
    deployments: number;
    deploymentDays: number;
    medianDeploymentDaysPerWeek: number | null;
    medianDeploymentDaysPerMonth: number | null;
    weeks: number;
    months: number;
  };
  leadTimeForChanges: DoraFigure & { medianMs: number | null; changes: number };
  changeFailureRate: DoraFigure & {
    rate: number | null;
    failedDeployments: number;
    deployments: number;
  };
  failedDeploymentRecoveryTime: DoraFigure & { medianMs: number | null; incidents: number };
  deploymentReworkRate: DoraFigure & {
    rate: number | null;
    reworkDeployments: number;
    deployments: number;
  };
  /** Deployments in the period, oldest first. */
  deployments: Array<
    DoraDeployment & { changes: number; failed: boolean; rework: boolean; incidents: string[] }
  >;
  /** Incidents caused by or resolved in the period (counted or not), oldest first. */
  incidents: Array<
    DoraIncident & { causedBy: string | null; resolvedAt: number | null; recoveryMs: number | null }
  >;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/**
 * The five DORA metrics over a period, as Apache DevLake defines them:
 * - deployment frequency: deployment days (not counts) — the median week's and month's
 *   deployment days pick the tier;
 * - lead time for changes: median of (first deployment containing the change − its first
 *   commit's authored time), DevLake's upper median;
 * - change failure rate: deployments with an incident ÷ deployments;
 * - failed deployment recovery time: median of (resolution − finish of the causing deployment)
 *   over incidents resolved in the period, DevLake's lower median;
 * - deployment rework rate: deployments that resolved an incident ÷ deployments (no tiers
 *   are published for it, so its tier is `null`).
 * A figure with nothing to compute from is `null` with a `null` tier.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` for a bad period or a change or incident
 *   that names an unknown deployment.
 */
export function computeDora(input: DoraInput, options: DoraOptions): DoraReport {
  const opts = parseOptions(OptionsSchema, options, "DORA options");
  const zone = TimeZone.of(opts.timeZone);
  const to = opts.to;
  let from = opts.from;
  if (from === undefined) {
    const d = new Date(to);
    d.setUTCMonth(d.getUTCMonth() - 6);
    from = d.getTime();
  }
  if (from >= to)
    throw new DevflowError("ANALYZERS_BAD_ARGUMENT", "the DORA period must start before it ends");
  const inRange = (t: number): boolean => t >= from && t < to;
  const sources = [...(input.sources ?? [])];

  const all = [...input.deployments].sort((a, b) => a.at - b.at || (a.name < b.name ? -1 : 1));
  const byId = new Map(all.map((d) => [d.id, d]));
  const ref = (id: string, what: string): DoraDeployment => {
    const d = byId.get(id);
    if (!d)
      throw new DevflowError("ANALYZERS_BAD_ARGUMENT", `${what} names unknown deployment "${id}"`);
    return d;
  };
  const deployments = all.filter((d) => inRange(d.at));

  // Deployment frequency: deployment days per week (Monday first) and per month of the period.
  const firstDay = zone.dayNumber(from);
  const lastDay = zone.dayNumber(to - 1);
  const deployDays = new Set(deployments.map((d) => zone.dayNumber(d.at)));
  const weeks = new Map<number, number>();
  const months = new Map<number, number>();
  for (let day = firstDay; day <= lastDay; day++) {
    const week = day - ((day + 3) % 7);
    const date = new Date(day * DAY_MS);
    const month = monthIndex(date.getUTCFullYear(), date.getUTCMonth() + 1);
    const hit = deployDays.has(day) ? 1 : 0;
    weeks.set(week, (weeks.get(week) ?? 0) + hit);
    months.set(month, Math.max(months.get(month) ?? 0, hit));
  }
  const perWeek = lowerMedian([...weeks.values()]);
  const perMonth = lowerMedian([...months.values()]);
  const dfInputs = [
    ...sources,
    `${deployments.length} deployments on ${deployDays.size} days in the period`,
  ];

  // Lead time for changes.
  const changeCount = new Map<string, number>();
  const leads: number[] = [];
  for (const c of input.changes) {
    const d = ref(c.deploymentId, `change ${c.id}`);
    changeCount.set(d.id, (changeCount.get(d.id) ?? 0) + 1);
    if (inRange(d.at)) leads.push(Math.max(0, d.at - c.firstCommitAt));
  }
  const leadMedian = upperMedian(leads);

  // Incidents: attribute, resolve, and keep those that touch the period.
  const lastBefore = (t: number): DoraDeployment | undefined => {
    let found: DoraDeployment | undefined;
    for (const d of all) {
      if (d.at > t) break;
      found = d;
    }
    return found;
  };
  const incidents: DoraReport["incidents"] = [];
  const failed = new Map<string, string[]>();
  const rework = new Set<string>();
  const recoveries: number[] = [];
  for (const i of [...input.incidents].sort((a, b) => a.createdAt - b.createdAt)) {
    const causedBy = i.causedBy === undefined ? (lastBefore(i.createdAt)?.id ?? null) : i.causedBy;
    const cause = causedBy === null ? undefined : ref(causedBy, `incident ${i.id}`);
    const resolver = i.resolvedBy ? ref(i.resolvedBy, `incident ${i.id}`) : undefined;
    const resolvedAt = i.resolvedAt ?? resolver?.at ?? null;
    const counted = i.counted !== false && cause !== undefined;
    const recoveryMs = counted && resolvedAt !== null ? resolvedAt - cause.at : null;
    const touches =
      (cause && inRange(cause.at)) ||
      (resolvedAt !== null && inRange(resolvedAt)) ||
      inRange(i.createdAt);
    if (touches) incidents.push({ ...i, causedBy, resolvedAt, recoveryMs });
    if (!counted) continue;
    if (inRange(cause.at)) failed.set(cause.id, [...(failed.get(cause.id) ?? []), i.id]);
    if (resolver && inRange(resolver.at)) rework.add(resolver.id);
    if (recoveryMs !== null && inRange(cause.at) && inRange(resolvedAt!))
      recoveries.push(recoveryMs);
  }
  const recoveryMedian = lowerMedian(recoveries);
  const cfr = ratio(failed.size, deployments.length);
  const rr = ratio(rework.size, deployments.length);
  const incidentInputs = [
    ...sources,
    `${incidents.filter((i) => i.counted !== false && i.causedBy).length} attributed incidents touch the period`,
  ];

  return {
    period: { from, to, timeZone: zone.name },
    deploymentFrequency: {
      deployments: deployments.length,
      deploymentDays: deployDays.size,
      medianDeploymentDaysPerWeek: perWeek,
      medianDeploymentDaysPerMonth: perMonth,
      weeks: weeks.size,
      months: months.size,
      tier: all.length === 0 ? null : deploymentFrequencyTier(perWeek ?? 0, perMonth ?? 0),
      inputs: dfInputs,
    },
    leadTimeForChanges: {
      medianMs: leadMedian,
      changes: leads.length,
      tier: leadMedian === null ? null : leadTimeTier(leadMedian),
      inputs: [...sources, `${leads.length} changes first deployed in the period`],
    },
    changeFailureRate: {
      rate: cfr,
      failedDeployments: failed.size,
      deployments: deployments.length,
      tier: cfr === null ? null : changeFailureRateTier(cfr),
      inputs: incidentInputs,
    },
    failedDeploymentRecoveryTime: {
      medianMs: recoveryMedian,
      incidents: recoveries.length,
      tier: recoveryMedian === null ? null : recoveryTimeTier(recoveryMedian),
      inputs: [...incidentInputs, `${recoveries.length} caused and resolved in the period`],
    },
    deploymentReworkRate: {
      rate: rr,
      reworkDeployments: rework.size,
      deployments: deployments.length,
      tier: null,
      inputs: [...incidentInputs, "no published DORA tiers for rework rate"],
    },
    deployments: deployments.map((d) => ({
      ...d,
      changes: changeCount.get(d.id) ?? 0,
      failed: failed.has(d.id),
      rework: rework.has(d.id),
      incidents: failed.get(d.id) ?? [],
    })),
    incidents,
  };
}
