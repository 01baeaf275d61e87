/** The `delivery` toolset: DORA metrics and pull-request cycle time from git. */
import { doraFromGit, mergedBranchOf, readDoraCommits, type DoraCommit } from "@devflow/analyzers";
import { DevflowError } from "@devflow/events";
import { productionBranch, readTags } from "@devflow/monitors";
import { z } from "zod";
import { projectFor } from "../context.js";
import { pageOf, PageInput, PageOutput } from "../pagination.js";
import { column, defineOperation, READ_ONLY, type Operation } from "../tool.js";
import { gitScope } from "./git-scope.js";
import { ProjectArg } from "./shared.js";

const Figure = {
  tier: z
    .string()
    .nullable()
    .describe("elite, high, medium or low (DevLake's tiers); null without data"),
  inputs: z.array(z.string()).describe("what the figure was computed from"),
};

const DoraScope = {
  project: ProjectArg,
  since: z
    .string()
    .max(64)
    .optional()
    .describe("Start: YYYY-MM-DD, ISO or an age like 180d (default: 6 months before until)"),
  until: z.string().max(64).optional().describe("End (default now)"),
  deployments: z
    .enum(["auto", "tags", "merges", "both"])
    .optional()
    .describe(
      "What counts as a deployment: release tags, merges to the production branch, both, or auto (tags when any match)",
    ),
  productionBranch: z.string().max(200).optional().describe("Default main, else master"),
  tagPattern: z
    .string()
    .max(200)
    .optional()
    .describe("Release tag regex, default ^v?\\d+\\.\\d+\\.\\d+$"),
  timezone: z.string().max(64).optional().describe("IANA zone of days and weeks"),
  now: z.string().max(64).optional().describe("End of the default period (default: now)"),
  revertPattern: z.string().max(200).optional().describe("Revert commit regex"),
  hotfixPattern: z.string().max(200).optional().describe("Hotfix commit subject regex"),
  hotfixBranchPattern: z.string().max(200).optional().describe("Merged hotfix branch regex"),
};

const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)} %`);

/** ms for people: minutes below an hour, hours below a day, else days. */
function duration(ms: number | null): string {
  if (ms === null) return "n/a";
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(0)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

const getDoraMetrics = defineOperation({
  name: "get_dora_metrics",
  title: "DORA metrics",
  description:
    "The five DORA delivery metrics from git alone, as DevLake computes them: deployment frequency (median deployment days per week/month), lead time for changes (commit → deployment, ms), change failure rate, failed-deployment recovery time (ms), and deployment rework rate — each with its tier and the inputs used. Deployments are release tags and/or merges to the production branch; incidents are reverts and hotfixes, resolved by the next deployment.",
  toolset: "delivery",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: DoraScope,
  output: {
    period: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
    figures: z
      .array(
        z.object({ metric: z.string(), value: z.string(), tier: z.string(), inputs: z.string() }),
      )
      .describe("The five figures in words, one row each"),
    deploymentFrequency: z.object({
      ...Figure,
      deployments: z.number().int(),
      deploymentDays: z.number().int(),
      medianDeploymentDaysPerWeek: z.number().nullable(),
      medianDeploymentDaysPerMonth: z.number().nullable(),
    }),
    leadTimeForChanges: z.object({
      ...Figure,
      medianMs: z.number().nullable(),
      changes: z.number().int(),
    }),
    changeFailureRate: z.object({
      ...Figure,
      rate: z.number().nullable(),
      failedDeployments: z.number().int(),
      deployments: z.number().int(),
    }),
    failedDeploymentRecoveryTime: z.object({
      ...Figure,
      medianMs: z.number().nullable(),
      incidents: z.number().int(),
    }),
    deploymentReworkRate: z.object({
      ...Figure,
      rate: z.number().nullable(),
      reworkDeployments: z.number().int(),
      deployments: z.number().int(),
    }),
    deployments: z.array(
      z.object({
        name: z.string(),
        at: z.string(),
        source: z.string(),
        changes: z.number().int(),
        failed: z.boolean(),
        rework: z.boolean(),
      }),
    ),
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope, zone, now } = gitScope(ctx, project, {
      since: args.since,
      until: args.until,
      timezone: args.timezone,
      now: args.now,
    });
    const r = doraFromGit(readDoraCommits(ctx.storage.commits, project.id), {
      tags: await readTags(project.rootPath),
      productionBranch: await productionBranch(project.rootPath, args.productionBranch),
      deployments: args.deployments ?? "auto",
      to: scope.until ?? now,
      timeZone: zone.name,
      ...(scope.since === undefined ? {} : { from: scope.since }),
      ...(args.tagPattern ? { tagPattern: args.tagPattern } : {}),
      ...(args.revertPattern ? { revertPattern: args.revertPattern } : {}),
      ...(args.hotfixPattern ? { hotfixPattern: args.hotfixPattern } : {}),
      ...(args.hotfixBranchPattern ? { hotfixBranchPattern: args.hotfixBranchPattern } : {}),
    });
    const iso = (t: number) => new Date(t).toISOString();
    const df = r.deploymentFrequency;
    const figure = (
      metric: string,
      value: string,
      f: { tier: string | null; inputs: string[] },
    ) => ({
      metric,
      value,
      tier: f.tier ?? "n/a",
      inputs: f.inputs.join("; "),
    });
    return {
      period: { from: iso(r.period.from), to: iso(r.period.to), timeZone: r.period.timeZone },
      figures: [
        figure(
          "deployment-frequency",
          `${df.deployments} deployments on ${df.deploymentDays} days; median ${df.medianDeploymentDaysPerWeek ?? "n/a"} days/week, ${df.medianDeploymentDaysPerMonth ?? "n/a"}/month`,
          df,
        ),
        figure(
          "lead-time-for-changes",
          `median ${duration(r.leadTimeForChanges.medianMs)} over ${r.leadTimeForChanges.changes} changes`,
          r.leadTimeForChanges,
        ),
        figure(
          "change-failure-rate",
          `${pct(r.changeFailureRate.rate)} (${r.changeFailureRate.failedDeployments} of ${r.changeFailureRate.deployments} deployments)`,
          r.changeFailureRate,
        ),
        figure(
          "failed-deployment-recovery-time",
          `median ${duration(r.failedDeploymentRecoveryTime.medianMs)} over ${r.failedDeploymentRecoveryTime.incidents} incidents`,
          r.failedDeploymentRecoveryTime,
        ),
        figure(
          "deployment-rework-rate",
          `${pct(r.deploymentReworkRate.rate)} (${r.deploymentReworkRate.reworkDeployments} of ${r.deploymentReworkRate.deployments} deployments)`,
          r.deploymentReworkRate,
        ),
      ],
      deploymentFrequency: r.deploymentFrequency,
      leadTimeForChanges: r.leadTimeForChanges,
      changeFailureRate: r.changeFailureRate,
      failedDeploymentRecoveryTime: r.failedDeploymentRecoveryTime,
      deploymentReworkRate: r.deploymentReworkRate,
      deployments: r.deployments.map((d) => ({
        name: d.name,
        at: iso(d.at),
        source: d.source,
        changes: d.changes,
        failed: d.failed,
        rework: d.rework,
      })),
    };
  },
  render: (r) =>
    [
      `DORA, ${r.period.from.slice(0, 10)} … ${r.period.to.slice(0, 10)} (${r.period.timeZone}):`,
      ...r.figures.map((f) => `  ${f.metric.padEnd(32)} ${f.tier.padEnd(7)} ${f.value}`),
      "Inputs:",
      ...[...new Set(r.figures.flatMap((f) => f.inputs.split("; ")))].map((i) => `  - ${i}`),
    ].join("\n"),
  cli: { command: ["analyze", "dora"], text: "render" },
  table: {
    rows: "figures",
    columns: [
      column("metric", "metric"),
      column("value", "value"),
      column("tier", "tier"),
      column("inputs", "inputs"),
    ],
  },
});

interface CycleRow {
  merge: string;
  branch: string | null;
  mergedAt: string;
  commits: number;
  firstCommitAt: string;
  cycleTimeMs: number;
  codingTimeMs: number;
  waitTimeMs: number;
}

/** Merges into the production line with the commits they brought (git-only PR fallback). */
function cycleRows(
  commits: readonly DoraCommit[],
  tip: string,
  from: number,
  to: number,
): CycleRow[] {
  const byHash = new Map(commits.map((c) => [c.hash, c]));
  const mainline = new Set<string>();
  for (
    let h: string | undefined = tip;
    h !== undefined && byHash.has(h) && !mainline.has(h);
    h = byHash.get(h)?.parents[0]
  ) {
    mainline.add(h);
  }
  const rows: CycleRow[] = [];
  for (const hash of mainline) {
    const merge = byHash.get(hash)!;
    if (merge.parents.length < 2 || merge.committedAt < from || merge.committedAt >= to) continue;
    const seen = new Set<string>();
    const stack = merge.parents.slice(1);
    const brought: DoraCommit[] = [];
    while (stack.length > 0 && seen.size < 100_000) {
      const h = stack.pop()!;
      if (seen.has(h) || mainline.has(h)) continue;
      seen.add(h);
      const c = byHash.get(h);
      if (!c) continue;
      brought.push(c);
      stack.push(...c.parents);
    }
    if (brought.length === 0) continue;
    const first = Math.min(...brought.map((c) => c.authoredAt));
    const last = Math.max(...brought.map((c) => c.committedAt));
    rows.push({
      merge: merge.hash,
      branch: mergedBranchOf(merge.message),
      mergedAt: new Date(merge.committedAt).toISOString(),
      commits: brought.length,
      firstCommitAt: new Date(first).toISOString(),
      cycleTimeMs: merge.committedAt - first,
      codingTimeMs: Math.max(0, last - first),
      waitTimeMs: Math.max(0, merge.committedAt - last),
    });
  }
  return rows.sort((a, b) => b.mergedAt.localeCompare(a.mergedAt));
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const getPrCycleTime = defineOperation({
  name: "get_pr_cycle_time",
  title: "Pull-request cycle time",
  description:
    "How long changes take from first commit to merge, from git alone: every merge into the production branch (a pull request or branch) with its commits, cycle time (first commit → merge), coding time (first → last commit) and wait time (last commit → merge), in ms, plus medians. Review times need a code-host integration, which is not connected.",
  toolset: "delivery",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: {
    project: DoraScope.project,
    since: DoraScope.since,
    until: DoraScope.until,
    productionBranch: DoraScope.productionBranch,
    timezone: DoraScope.timezone,
    ...PageInput,
  },
  output: {
    productionBranch: z.string(),
    merges: z.number().int(),
    medianCycleTimeMs: z.number().nullable(),
    medianCodingTimeMs: z.number().nullable(),
    medianWaitTimeMs: z.number().nullable(),
    rows: z.array(
      z.object({
        merge: z.string(),
        branch: z.string().nullable(),
        mergedAt: z.string(),
        commits: z.number().int(),
        firstCommitAt: z.string(),
        cycleTimeMs: z.number(),
        codingTimeMs: z.number(),
        waitTimeMs: z.number(),
      }),
    ),
    ...PageOutput,
  },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const { scope, now } = gitScope(ctx, project, {
      since: args.since,
      until: args.until,
      timezone: args.timezone,
    });
    const branch = await productionBranch(project.rootPath, args.productionBranch);
    if (branch === null) {
      throw new DevflowError("TOOLS_NO_BRANCH", "No main or master branch; pass productionBranch.");
    }
    const to = scope.until ?? now + 1;
    const from = scope.since ?? to - 180 * 86_400_000;
    const rows = cycleRows(readDoraCommits(ctx.storage.commits, project.id), branch.tip, from, to);
    const page = pageOf(rows, args);
    return {
      productionBranch: branch.name,
      merges: rows.length,
      medianCycleTimeMs: median(rows.map((r) => r.cycleTimeMs)),
      medianCodingTimeMs: median(rows.map((r) => r.codingTimeMs)),
      medianWaitTimeMs: median(rows.map((r) => r.waitTimeMs)),
      rows: page.items,
      nextCursor: page.nextCursor,
    };
  },
  render: (r) => {
    const h = (ms: number | null) => (ms === null ? "n/a" : `${(ms / 3_600_000).toFixed(1)} h`);
    return `${r.merges} merges into ${r.productionBranch}; median cycle ${h(r.medianCycleTimeMs)} (coding ${h(r.medianCodingTimeMs)}, waiting ${h(r.medianWaitTimeMs)})`;
  },
});

/** The `delivery` toolset. */
export const deliveryTools: readonly Operation[] = [getDoraMetrics, getPrCycleTime];
