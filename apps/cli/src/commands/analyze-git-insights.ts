import {
  buildAggregates,
  busFactor,
  doraFromGit,
  type DoraReport,
  GIT_COLUMNS,
  knowledgeLoss,
  readDoraCommits,
} from "@devflow/analyzers";
import { DevflowError } from "@devflow/events";
import type { Command } from "commander";
import { output } from "../context.js";
import {
  formatDuration,
  gitAnalysis,
  integer,
  printTable,
  type ScopeFlags,
} from "./analyze-git-options.js";
import { productionBranch, readTags, trackedFiles } from "@devflow/monitors";

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Hotspots, bus factor, knowledge loss, the co-change check, commit statistics and DORA. */
export function registerGitInsights(analyze: Command): void {
  gitAnalysis<ScopeFlags & { depth?: number }>(
    analyze,
    "bus-factor",
    "how many main developers could leave before most files are orphaned, per folder",
    (cmd) => cmd.option("--depth <n>", "folder levels below the project (default 2)", integer),
    async (ctx, flags, cmd) => {
      const files = await trackedFiles(ctx.project.rootPath);
      const rows = busFactor(buildAggregates(ctx.storage, ctx.scope), {
        files,
        ...(flags.depth === undefined ? {} : { depth: flags.depth }),
      });
      printTable(cmd, ctx, "bus-factor", { columns: GIT_COLUMNS.busFactor, rows });
    },
  );
  gitAnalysis<ScopeFlags & { inactiveDays?: number; now?: string }>(
    analyze,
    "knowledge-loss",
    "files whose main developer has been inactive",
    (cmd) =>
      cmd
        .option("--inactive-days <n>", "inactive for at least N days (default 90)", integer)
        .option("--now <date>", "count inactivity up to this date"),
    async (ctx, flags, cmd) => {
      const r = knowledgeLoss(buildAggregates(ctx.storage, ctx.scope), {
        now: ctx.now,
        files: await trackedFiles(ctx.project.rootPath),
        ...(flags.inactiveDays === undefined ? {} : { inactiveDays: flags.inactiveDays }),
      });
      printTable(
        cmd,
        ctx,
        "knowledge-loss",
        { columns: GIT_COLUMNS.knowledgeLoss, rows: r.rows },
        {
          json: { files: r.files, share: r.share, authors: r.authors },
          header: [
            `${r.rows.length} of ${r.files} files (${Math.round(r.share * 100)} %) have an inactive main developer.`,
          ],
        },
      );
    },
  );
  registerDora(analyze);
}

interface DoraFlags extends ScopeFlags {
  now?: string;
  tagPattern?: string;
  productionBranch?: string;
  deployments?: string;
  revertPattern?: string;
  hotfixPattern?: string;
  hotfixBranchPattern?: string;
}

function registerDora(analyze: Command): void {
  gitAnalysis<DoraFlags>(
    analyze,
    "dora",
    "DORA metrics from git alone (release tags or production merges; reverts and hotfixes)",
    (cmd) =>
      cmd
        .option("--tag-pattern <regex>", "release tags (default ^v?\\d+\\.\\d+\\.\\d+$)")
        .option("--production-branch <name>", "production branch (default main, else master)")
        .option("--deployments <source>", "auto (default: tags if any match), tags, merges or both")
        .option("--revert-pattern <regex>", "revert commits")
        .option("--hotfix-pattern <regex>", "hotfix commit subjects")
        .option("--hotfix-branch-pattern <regex>", "merged hotfix branches")
        .option("--now <date>", "end of the default period (the last six months)"),
    async (ctx, flags, cmd) => {
      const root = ctx.project.rootPath;
      const mode = flags.deployments ?? "auto";
      if (!["auto", "tags", "merges", "both"].includes(mode)) {
        throw new DevflowError(
          "CLI_BAD_ARGUMENT",
          `--deployments must be auto, tags, merges or both (got "${mode}")`,
        );
      }
      const report = doraFromGit(readDoraCommits(ctx.storage, ctx.project.id), {
        tags: await readTags(root),
        productionBranch: await productionBranch(root, flags.productionBranch),
        deployments: mode as "auto",
        to: ctx.scope.until ?? ctx.now,
        timeZone: ctx.zone.name,
        ...(ctx.scope.since === undefined ? {} : { from: ctx.scope.since }),
        ...(flags.tagPattern ? { tagPattern: flags.tagPattern } : {}),
        ...(flags.revertPattern ? { revertPattern: flags.revertPattern } : {}),
        ...(flags.hotfixPattern ? { hotfixPattern: flags.hotfixPattern } : {}),
        ...(flags.hotfixBranchPattern ? { hotfixBranchPattern: flags.hotfixBranchPattern } : {}),
      });
      if (ctx.flags.csv) {
        process.stdout.write(doraCsv(report));
        return;
      }
      output(
        cmd,
        { analysis: "dora", project: { id: ctx.project.id, name: ctx.project.name }, ...report },
        () => doraText(report),
      );
    },
  );
}

const pct = (r: number | null): string => (r === null ? "n/a" : `${(r * 100).toFixed(1)} %`);

function doraRows(r: DoraReport): Array<[string, string, string, string]> {
  const df = r.deploymentFrequency;
  return [
    [
      "deployment-frequency",
      `${df.deployments} deployments on ${df.deploymentDays} days; median ${df.medianDeploymentDaysPerWeek ?? "n/a"} days/week, ${df.medianDeploymentDaysPerMonth ?? "n/a"}/month`,
      df.tier ?? "n/a",
      df.inputs.join("; "),
    ],
    [
      "lead-time-for-changes",
      `median ${formatDuration(r.leadTimeForChanges.medianMs)} over ${r.leadTimeForChanges.changes} changes`,
      r.leadTimeForChanges.tier ?? "n/a",
      r.leadTimeForChanges.inputs.join("; "),
    ],
    [
      "change-failure-rate",
      `${pct(r.changeFailureRate.rate)} (${r.changeFailureRate.failedDeployments} of ${r.changeFailureRate.deployments} deployments)`,
      r.changeFailureRate.tier ?? "n/a",
      r.changeFailureRate.inputs.join("; "),
    ],
    [
      "failed-deployment-recovery-time",
      `median ${formatDuration(r.failedDeploymentRecoveryTime.medianMs)} over ${r.failedDeploymentRecoveryTime.incidents} incidents`,
      r.failedDeploymentRecoveryTime.tier ?? "n/a",
      r.failedDeploymentRecoveryTime.inputs.join("; "),
    ],
    [
      "deployment-rework-rate",
      `${pct(r.deploymentReworkRate.rate)} (${r.deploymentReworkRate.reworkDeployments} of ${r.deploymentReworkRate.deployments} deployments)`,
      "n/a",
      r.deploymentReworkRate.inputs.join("; "),
    ],
  ];
}

function doraCsv(r: DoraReport): string {
  const cell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `metric,value,tier,inputs\n${doraRows(r)
    .map((row) => row.map(cell).join(","))
    .join("\n")}\n`;
}

function doraText(r: DoraReport): string {
  const lines = [`DORA, ${iso(r.period.from)} … ${iso(r.period.to)} (${r.period.timeZone}):`];
  for (const [metric, value, tier] of doraRows(r))
    lines.push(`  ${metric.padEnd(32)} ${tier.padEnd(7)} ${value}`);
  lines.push(
    "Inputs:",
    ...[...new Set(doraRows(r).flatMap((row) => row[3].split("; ")))].map((s) => `  - ${s}`),
  );
  return lines.join("\n");
}
