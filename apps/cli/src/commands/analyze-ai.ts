import {
  type AiStageReport,
  aiStageReport,
  type CollaborationReport,
  collaborationReport,
  loadUsage,
  USAGE_GROUPINGS,
  type UsageGrouping,
  usageReport,
  type UsageReport,
} from "@devflow/analyzers";
import { DevflowError, parseDay, TimeZone } from "@devflow/events";
import { attributeCommits, gitLineReader, PRICE_TABLE_SOURCE } from "@devflow/monitors";
import { ensureProject, findRepositoryRoot, resolveProject, syncAiRecords } from "@devflow/runtime";
import type { Storage } from "@devflow/storage";
import type { Command } from "commander";
import { configFrom, openConfiguredStorage, output } from "../context.js";

interface AnalyzeAiOptions {
  by: string;
  since?: string;
  until?: string;
  timezone?: string;
  project?: string;
  sync: boolean;
  commits?: boolean;
}

/** Every `--by`: the usage groupings, and `stage` (sessions and usage per development stage). */
const GROUPINGS = [...USAGE_GROUPINGS, "stage"] as const;

/**
 * `devflow analyze ai`: AI usage and cost per day/week/month/session/model/project/block, or
 * sessions and usage per development stage.
 */
export function registerAnalyzeAi(analyze: Command): void {
  analyze
    .command("ai")
    .description(
      "AI-assistant usage, estimated cost, 5-hour blocks and sessions per stage (reads new records first)",
    )
    .option("--by <grouping>", `group by ${GROUPINGS.join("|")}`, "day")
    .option("--since <date>", "from this day (YYYY-MM-DD, in the time zone)")
    .option("--until <date>", "to this day, inclusive (YYYY-MM-DD)")
    .option("--timezone <tz>", "IANA time zone of the days (default: the system's)")
    .option("--project <path|id>", "only sessions of this project (default: every session)")
    .option("--no-sync", "report what is stored, without reading the assistants' records first")
    .option(
      "--commits",
      "attribute the project's commits to assistants: commit share, line share, survival",
    )
    .action(async (opts: AnalyzeAiOptions, cmd: Command) => {
      if (!(GROUPINGS as readonly string[]).includes(opts.by)) {
        throw new DevflowError(
          "CLI_BAD_ARGUMENT",
          `--by must be one of ${GROUPINGS.join(", ")}, got "${opts.by}"`,
        );
      }
      const config = configFrom(cmd);
      const storage = openConfiguredStorage(config);
      try {
        if (opts.commits) {
          const project = commitsProject(storage, opts.project);
          if (opts.sync) await syncAiRecords({ storage, config });
          await attributeCommits({ storage, project });
          const report = await collaborationReport({
            storage,
            project,
            git: gitLineReader(project.rootPath),
          });
          output(cmd, { project, ...report }, () => renderCollaboration(report));
          return;
        }
        if (opts.sync) await syncAiRecords({ storage, config });
        const project = opts.project ? resolveProject(storage, opts.project) : undefined;
        if (opts.by === "stage") {
          const timezone = opts.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
          const report = aiStageReport(storage, {
            ...(project ? { projectId: project.id } : {}),
            ...(opts.since ? { from: dayStart("--since", opts.since, timezone) } : {}),
            ...(opts.until ? { to: dayStart("--until", opts.until, timezone, 1) } : {}),
          });
          output(cmd, { by: "stage", timezone, ...report, priceSource: PRICE_TABLE_SOURCE }, () =>
            renderStages(report),
          );
          return;
        }
        const entries = loadUsage(storage, project ? { projectId: project.id } : {});
        const names = new Map(storage.projects.list().map((p) => [p.id, p.name]));
        const report = usageReport(entries, {
          by: opts.by as UsageGrouping,
          ...(opts.timezone ? { timezone: opts.timezone } : {}),
          ...(opts.since ? { since: opts.since } : {}),
          ...(opts.until ? { until: opts.until } : {}),
          projectNames: names,
        });
        output(cmd, { ...report, priceSource: PRICE_TABLE_SOURCE }, () => renderUsage(report));
      } finally {
        storage.close();
      }
    });
}

const n = (v: number) => v.toLocaleString("en-US");

/** The text rendering of a usage report. */
export function renderUsage(r: UsageReport): string {
  const head = [
    "group",
    "requests",
    "input",
    "output",
    "cache write",
    "cache read",
    "total",
    "cost (est.)",
  ];
  const rows = r.rows.map((row) => [
    row.block ? `${row.key}${row.block.isActive ? " (active)" : ""}` : row.key,
    n(row.requests),
    n(row.inputTokens),
    n(row.outputTokens),
    n(row.cacheWriteTokens),
    n(row.cacheReadTokens),
    n(row.totalTokens),
    `$${row.costUsd.toFixed(2)}`,
  ]);
  const t = r.totals;
  rows.push([
    "total",
    n(t.requests),
    n(t.inputTokens),
    n(t.outputTokens),
    n(t.cacheWriteTokens),
    n(t.cacheReadTokens),
    n(t.totalTokens),
    `$${t.costUsd.toFixed(2)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const notes = [
    `Costs are list-price estimates (${PRICE_TABLE_SOURCE}); Claude Code's logs undercount input, so its costs are lower bounds.`,
  ];
  if (t.unpricedRequests)
    notes.push(`${t.unpricedRequests} requests of models without a price are not in the cost.`);
  if (r.rows.length === 0)
    return `No AI usage found. Run \`devflow ai sources\` to see where DevFlow looked.`;
  return [fmt(head), ...rows.map(fmt), "", ...notes].join("\n");
}

/** The text rendering of sessions and usage per development stage. */
export function renderStages(r: AiStageReport): string {
  if (r.rows.length === 0)
    return "No AI sessions found. Run `devflow ai sources` to see where DevFlow looked.";
  const head = ["stage", "sessions", "active", "requests", "total tokens", "cost (est.)"];
  const rows = r.rows.map((row) => [
    row.stage,
    n(row.sessions),
    n(row.activeSessions),
    n(row.requests),
    n(row.totalTokens),
    `$${row.costUsd.toFixed(2)}`,
  ]);
  const t = r.totals;
  rows.push([
    "total",
    n(t.sessions),
    "",
    n(t.requests),
    n(t.totalTokens),
    `$${t.costUsd.toFixed(2)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    fmt(head),
    ...rows.map(fmt),
    "",
    "Sessions count in the stage they started in; requests, tokens and cost in the stage they were made in",
    "(active: sessions with requests in the stage). `unknown`: before the project's first stage transition;",
    "`no_project`: outside registered projects. Costs are list-price estimates.",
  ].join("\n");
}

/**
 * Midnight of `day` (`YYYY-MM-DD`, plus `addDays`) in `timezone`, in ms UTC, by the time
 * grammar of `@devflow/events` (`EVENTS_BAD_TIME_ZONE` for an unknown zone).
 */
function dayStart(flag: string, day: string, timezone: string, addDays = 0): number {
  const zone = TimeZone.of(timezone);
  let dayNumber: number | undefined;
  try {
    dayNumber = parseDay(day);
  } catch {
    dayNumber = undefined;
  }
  if (dayNumber === undefined)
    throw new DevflowError(
      "EVENTS_BAD_INSTANT",
      `${flag} must be a date like 2026-01-31, got "${day}"`,
    );
  return zone.startOfDay(dayNumber + addDays);
}

/** The project of `--commits`: the repository at the path (registered if new) or a project id. */
function commitsProject(
  storage: Storage,
  value: string | undefined,
): { id: string; rootPath: string } {
  if (value && storage.projects.get(value)) return resolveProject(storage, value);
  const root = findRepositoryRoot(value ?? process.cwd());
  if (root) return ensureProject(storage, root).project;
  throw new DevflowError(
    "CLI_BAD_ARGUMENT",
    `${process.cwd()}: not inside a git repository (use --project <path|id>)`,
  );
}

const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)} %`);

/** The text rendering of a collaboration report. */
export function renderCollaboration(r: CollaborationReport): string {
  const lines = [
    `AI-assisted commits: ${r.commits.aiAssisted} of ${r.commits.total} (${pct(r.commits.share)})`,
    `AI line share: ${r.lines.aiAdded} of ${r.lines.added} added lines (${pct(r.lines.share)})`,
  ];
  for (const s of r.survival) {
    lines.push(
      `After ${s.horizonDays} days: AI lines ${pct(s.ai.survivalRate)} survive (${s.ai.reworked} reworked, ${s.ai.reverted} reverted, ${s.ai.pending} pending); ` +
        `human lines in the same files ${pct(s.human.survivalRate)}`,
    );
  }
  const stages = Object.entries(r.sessionsByStage).map(([k, v]) => `${k} ${v}`);
  if (stages.length > 0) lines.push(`Sessions per stage: ${stages.join(", ")}`);
  return lines.join("\n");
}
