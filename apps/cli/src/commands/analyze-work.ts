import {
  commitsReport,
  methodologyReport,
  metricsReport,
  parseInstant,
  type Period,
  periodEnding,
  stageReport,
} from "@devflow/analyzers";
import { AnalysisJobs, resolveProject } from "@devflow/runtime";
import type { Project, Storage } from "@devflow/storage";
import type { Command } from "commander";
import { configFrom, openConfiguredStorage, output } from "../context.js";
import {
  renderBottlenecks,
  renderCommits,
  renderMethodology,
  renderMetrics,
  renderStage,
} from "./analyze-work-render.js";

/** The flags every analysis of the work takes. */
interface WorkFlags {
  project?: string;
  period: string;
  until?: string;
}

interface WorkContext {
  storage: Storage;
  project: Project;
  period: Period;
  /** The end of the period: `--until`, else now. */
  until: number;
  /** The persisting analyses (stages, bottlenecks, metrics) over this storage. */
  analysis: AnalysisJobs;
}

/** Adds the work-analysis flags; `period` is the default of `--period`. */
function workCommand(analyze: Command, name: string, description: string, period: string): Command {
  return analyze
    .command(name)
    .description(description)
    .option("--project <path|id>", "project (default: the one containing the current directory)")
    .option("--period <duration>", "how far back: 90m, 24h, 7d, 2w or all", period)
    .option("--until <time>", "end of the period: an ISO date or time (default: now)");
}

/** Opens the database, resolves the project and the period, runs `fn`, closes the database. */
async function withWork(
  cmd: Command,
  fn: (ctx: WorkContext) => void | Promise<void>,
): Promise<void> {
  const flags = cmd.opts<WorkFlags>();
  const until = flags.until === undefined ? Date.now() : parseInstant(flags.until);
  const period = periodEnding(flags.period, until);
  const storage = openConfiguredStorage(configFrom(cmd));
  try {
    const project = resolveProject(storage, flags.project ?? process.cwd());
    await fn({ storage, project, period, until, analysis: new AnalysisJobs({ storage }) });
  } finally {
    storage.close();
  }
}

const projectRef = (p: Project) => ({ id: p.id, name: p.name, rootPath: p.rootPath });

/** Registers the analyses of the work (stage, methodology, metrics, bottlenecks, commits). */
export function registerWorkAnalyses(analyze: Command): void {
  workCommand(
    analyze,
    "stage",
    "the development stage now, its transitions and the time spent per stage",
    "7d",
  ).action((_opts: unknown, cmd: Command) =>
    withWork(cmd, async ({ storage, project, period, until, analysis }) => {
      const update = await analysis.refreshStages(project.id, until);
      const report = stageReport(storage, project.id, period);
      output(
        cmd,
        {
          project: projectRef(project),
          analysed: { events: update.processed, newTransitions: update.stored },
          ...report,
        },
        () => renderStage(project, report, update.processed),
      );
    }),
  );

  workCommand(
    analyze,
    "methodology",
    "how much the work follows DDD, TDD, BDD and EDA, with evidence",
    "30d",
  ).action((_opts: unknown, cmd: Command) =>
    withWork(cmd, ({ storage, project, period }) => {
      const report = methodologyReport(storage, project.id, period);
      output(cmd, { project: projectRef(project), ...report }, () =>
        renderMethodology(project, report),
      );
    }),
  );

  workCommand(
    analyze,
    "bottlenecks",
    "slow or failing builds and tests, saturation, stuck stages, rising churn, idle branches",
    "7d",
  ).action((_opts: unknown, cmd: Command) =>
    withWork(cmd, async ({ project, until, analysis }) => {
      // Stage findings need the stage analysis to be current.
      await analysis.refreshStages(project.id, until);
      const update = await analysis.refreshBottlenecks(project.id, until);
      output(cmd, { project: projectRef(project), ...update }, () =>
        renderBottlenecks(project, update),
      );
    }),
  );

  workCommand(
    analyze,
    "metrics",
    "productivity, quality, performance and collaboration against the previous period",
    "7d",
  ).action((_opts: unknown, cmd: Command) =>
    withWork(cmd, ({ storage, project, period, analysis }) => {
      const report = metricsReport(storage, project.id, period);
      const stored = analysis.recordMetrics(report);
      output(cmd, { project: projectRef(project), stored, ...report }, () =>
        renderMetrics(project, report),
      );
    }),
  );

  workCommand(
    analyze,
    "commits",
    "each commit's activity category from its paths and line counts, against its message",
    "all",
  ).action((_opts: unknown, cmd: Command) =>
    withWork(cmd, ({ storage, project, period }) => {
      const report = commitsReport(storage, project.id, period);
      output(cmd, { project: projectRef(project), ...report }, () =>
        renderCommits(project, report),
      );
    }),
  );
}
