/**
 * @module bottlenecks
 * The bottleneck detector: threshold rules and robust anomaly detection (median/MAD z-scores and
 * Theil–Sen trends over daily series) on a project's runs, system samples, stage history, churn,
 * branches and pull requests. Pure: the inputs are plain facts, see `bottleneck-store.ts`.
 */
import {
  BOTTLENECK_KIND_INFO,
  type BottleneckKind,
  type BottleneckThresholds,
  DEFAULT_BOTTLENECK_THRESHOLDS,
} from "./bottleneck-rules.js";
import { describePath } from "./paths.js";
import { median, robustZ, theilSen } from "./stats.js";

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Runs this many times slower than usual make an error rather than a warning. */
const ERROR_RATIO = 2.5;

/** A build or test run. */
export interface BottleneckRun {
  timestamp: number;
  kind: "build" | "test";
  tool: string;
  durationMs?: number;
  /** `false` for a failed run; `null` when unknown. */
  success: boolean | null;
}

/** One system sample. */
export interface BottleneckSample {
  timestamp: number;
  cpuPercent: number;
  memoryPercent: number;
  diskUsedPercent?: number;
}

/** What the detector reads. */
export interface BottleneckInput {
  /** The time of the evaluation (ms UTC). */
  at: number;
  runs: readonly BottleneckRun[];
  samples: readonly BottleneckSample[];
  /** The current stage and since when, and how long earlier stages lasted. */
  stage?: {
    current: string | null;
    since: number | null;
    completed: ReadonlyArray<{ stage: string; ms: number }>;
  };
  /** Changed lines per file and commit. */
  churn: ReadonlyArray<{ path: string; timestamp: number; lines: number }>;
  branches: ReadonlyArray<{ branch: string; lastActivity: number }>;
  pullRequests: ReadonlyArray<{ id: string; title: string; openedAt: number; reviews: number }>;
}

/** One bottleneck found. */
export interface BottleneckFinding {
  kind: BottleneckKind;
  /** What it concerns: a tool, a stage, a file, a branch, `cpu`, … */
  subject: string;
  type: (typeof BOTTLENECK_KIND_INFO)[BottleneckKind]["type"];
  severity: "warning" | "error";
  /** What it costs, in words. */
  impact: string;
  value: number;
  threshold: number;
  suggestion: string;
  evidence: string[];
}

const fmtMs = (ms: number): string =>
  ms >= 2 * 3_600_000
    ? `${(ms / 3_600_000).toFixed(1)} h`
    : ms >= 2 * MINUTE
      ? `${Math.round(ms / MINUTE)} min`
      : `${(ms / 1000).toFixed(1)} s`;
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

function finding(
  kind: BottleneckKind,
  subject: string,
  rest: Omit<BottleneckFinding, "kind" | "subject" | "type" | "suggestion">,
): BottleneckFinding {
  const info = BOTTLENECK_KIND_INFO[kind];
  return {
    kind,
    subject,
    type: info.type,
    suggestion: info.suggestion.replaceAll("{subject}", subject),
    ...rest,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Daily medians (UTC days) of durations: `[dayStart, median]`, oldest first. */
function dailyMedians(runs: readonly BottleneckRun[]): Array<[number, number]> {
  const byDay = groupBy(runs, (r) => String(Math.floor(r.timestamp / DAY) * DAY));
  return [...byDay.entries()]
    .map(([d, list]) => [Number(d), median(list.map((r) => r.durationMs!))!] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

function slowRuns(input: BottleneckInput, t: BottleneckThresholds): BottleneckFinding[] {
  const out: BottleneckFinding[] = [];
  const since = input.at - t.lookbackDays * DAY;
  const timed = input.runs.filter(
    (r) => r.durationMs !== undefined && r.timestamp >= since && r.timestamp < input.at,
  );
  for (const [key, runs] of groupBy(timed, (r) => `${r.kind}\0${r.tool}`)) {
    const [kind, tool] = key.split("\0") as ["build" | "test", string];
    const recent = runs.filter((r) => r.timestamp >= input.at - t.recentHours * 3_600_000);
    if (recent.length === 0) continue;
    const now = median(recent.map((r) => r.durationMs!))!;
    const trendStart = input.at - t.trendDays * DAY;
    const baseline = dailyMedians(runs.filter((r) => r.timestamp < trendStart)).map(([, m]) => m);
    const findingKind: BottleneckKind = kind === "test" ? "slow_tests" : "slow_build";
    const what = kind === "test" ? `${tool} test runs` : `${tool} builds`;
    if (baseline.length >= t.minBaselineDays) {
      const usual = median(baseline)!;
      const z = robustZ(now, baseline)!;
      const trendPoints = dailyMedians(runs.filter((r) => r.timestamp >= trendStart)).map(
        ([d, m]) => ({ x: (d - trendStart) / DAY, y: m }),
      );
      const fit = trendPoints.length >= 3 ? theilSen(trendPoints) : null;
      const projected = fit ? fit.intercept + fit.slope * t.trendDays : now;
      const ratio = now / usual;
      const anomalous = z >= t.slowZ && ratio >= t.slowRatio;
      const slowing =
        fit !== null && fit.slope > 0 && projected / usual >= t.slowRatio && ratio >= t.slowRatio;
      if (anomalous || slowing) {
        out.push(
          finding(findingKind, tool, {
            severity: ratio >= ERROR_RATIO ? "error" : "warning",
            impact: `${what} take ${ratio.toFixed(1)}× their usual ${fmtMs(usual)} (${fmtMs(now)} now): about ${fmtMs(now - usual)} lost per run, ${recent.length} runs in the last ${t.recentHours} h`,
            value: Math.round(now),
            threshold: Math.round(usual * t.slowRatio),
            evidence: [
              `median of the last ${t.recentHours} h: ${fmtMs(now)} over ${recent.length} runs`,
              `baseline: median ${fmtMs(usual)} over ${baseline.length} days before ${day(trendStart)}`,
              `robust z-score ${z.toFixed(1)} (threshold ${t.slowZ})`,
              ...(fit
                ? [
                    `trend over the last ${t.trendDays} days: +${fmtMs(Math.max(0, fit.slope))} per day (Theil–Sen)`,
                  ]
                : []),
            ],
          }),
        );
        continue;
      }
    }
    if (now >= t.absoluteSlowMs) {
      out.push(
        finding(findingKind, tool, {
          severity: "warning",
          impact: `${what} take ${fmtMs(now)} (median of the last ${t.recentHours} h)`,
          value: Math.round(now),
          threshold: t.absoluteSlowMs,
          evidence: [
            `median of ${recent.length} runs: ${fmtMs(now)}, above ${fmtMs(t.absoluteSlowMs)}`,
          ],
        }),
      );
    }
  }
  return out;
}

function failingStreaks(input: BottleneckInput, t: BottleneckThresholds): BottleneckFinding[] {
  const out: BottleneckFinding[] = [];
  const known = input.runs.filter((r) => r.success !== null && r.timestamp < input.at);
  for (const [key, runs] of groupBy(known, (r) => `${r.kind}\0${r.tool}`)) {
    const [kind, tool] = key.split("\0") as ["build" | "test", string];
    const sorted = [...runs].sort((a, b) => a.timestamp - b.timestamp);
    let streak = 0;
    for (let i = sorted.length - 1; i >= 0 && sorted[i]!.success === false; i--) streak++;
    if (streak < t.failingStreak) continue;
    const first = sorted[sorted.length - streak]!;
    out.push(
      finding(kind === "test" ? "failing_tests" : "failing_builds", tool, {
        severity: streak >= 2 * t.failingStreak ? "error" : "warning",
        impact: `the last ${streak} ${kind === "test" ? "test runs" : "builds"} of ${tool} failed, since ${new Date(first.timestamp).toISOString()}: changes pile up untested`,
        value: streak,
        threshold: t.failingStreak,
        evidence: [
          `${streak} consecutive failures from ${new Date(first.timestamp).toISOString()} to ${new Date(sorted[sorted.length - 1]!.timestamp).toISOString()}`,
        ],
      }),
    );
  }
  return out;
}

/** The longest stretch of consecutive samples at or above `limit`. */
function longestAbove(
  samples: readonly BottleneckSample[],
  value: (s: BottleneckSample) => number,
  limit: number,
) {
  const gaps = samples.slice(1).map((s, i) => s.timestamp - samples[i]!.timestamp);
  const maxGap = Math.max(2 * MINUTE, 3 * (median(gaps) ?? MINUTE));
  let best = { ms: 0, from: 0, to: 0, peak: 0 };
  let run: typeof best | null = null;
  let prev: BottleneckSample | undefined;
  for (const s of samples) {
    const high = value(s) >= limit;
    if (high && run && prev && s.timestamp - prev.timestamp <= maxGap) {
      run.to = s.timestamp;
      run.ms = run.to - run.from;
      run.peak = Math.max(run.peak, value(s));
    } else {
      run = high ? { ms: 0, from: s.timestamp, to: s.timestamp, peak: value(s) } : null;
    }
    if (run && run.ms > best.ms) best = { ...run };
    prev = s;
  }
  return best;
}

function saturation(input: BottleneckInput, t: BottleneckThresholds): BottleneckFinding[] {
  const out: BottleneckFinding[] = [];
  const since = input.at - t.saturationLookbackHours * 3_600_000;
  const samples = input.samples
    .filter((s) => s.timestamp >= since && s.timestamp < input.at)
    .sort((a, b) => a.timestamp - b.timestamp);
  const checks: Array<[BottleneckKind, string, (s: BottleneckSample) => number, number]> = [
    ["cpu_saturation", "cpu", (s) => s.cpuPercent, t.cpuPercent],
    ["memory_saturation", "memory", (s) => s.memoryPercent, t.memoryPercent],
  ];
  for (const [kind, subject, value, limit] of checks) {
    const best = longestAbove(samples, value, limit);
    const minutes = best.ms / MINUTE;
    if (minutes < t.saturationMinutes) continue;
    out.push(
      finding(kind, subject, {
        severity: minutes >= 3 * t.saturationMinutes ? "error" : "warning",
        impact: `${subject} stayed at or above ${limit} % for ${Math.round(minutes)} min (peak ${best.peak.toFixed(0)} %): builds, tests and the editor slow down`,
        value: Math.round(minutes),
        threshold: t.saturationMinutes,
        evidence: [
          `from ${new Date(best.from).toISOString()} to ${new Date(best.to).toISOString()}`,
        ],
      }),
    );
  }
  const last = samples.filter((s) => s.diskUsedPercent !== undefined).pop();
  if (last && last.diskUsedPercent! >= t.diskPercent) {
    out.push(
      finding("disk_full", "disk", {
        severity: last.diskUsedPercent! >= (100 + t.diskPercent) / 2 ? "error" : "warning",
        impact: `the disk is ${last.diskUsedPercent!.toFixed(0)} % full: builds, caches and the database may fail to write`,
        value: last.diskUsedPercent!,
        threshold: t.diskPercent,
        evidence: [`sample at ${new Date(last.timestamp).toISOString()}`],
      }),
    );
  }
  return out;
}

function stageStuck(input: BottleneckInput, t: BottleneckThresholds): BottleneckFinding[] {
  const s = input.stage;
  if (!s?.current || s.since === null) return [];
  const same = s.completed.filter((c) => c.stage === s.current).map((c) => c.ms);
  const all = s.completed.map((c) => c.ms);
  const usual = same.length >= 2 ? median(same) : all.length >= 3 ? median(all) : null;
  const threshold =
    usual === null
      ? t.stageStuckDefaultDays * DAY
      : Math.max(t.stageStuckFloorDays * DAY, t.stageStuckFactor * usual);
  const elapsed = input.at - s.since;
  if (elapsed <= threshold) return [];
  return [
    finding("stage_stuck", s.current, {
      severity: elapsed >= 2 * threshold ? "error" : "warning",
      impact: `in ${s.current} for ${(elapsed / DAY).toFixed(1)} days, ${usual === null ? "with no earlier stages to compare" : `usually ${(usual / DAY).toFixed(1)} days`}`,
      value: Math.round(elapsed),
      threshold: Math.round(threshold),
      evidence: [
        `${s.current} since ${new Date(s.since).toISOString()}`,
        usual === null
          ? `no usual duration yet: default limit ${t.stageStuckDefaultDays} days`
          : `usual: median of ${same.length >= 2 ? same.length : all.length} earlier ${same.length >= 2 ? s.current : "stage"} spans`,
      ],
    }),
  ];
}

function risingChurn(input: BottleneckInput, t: BottleneckThresholds): BottleneckFinding[] {
  const weeks = Math.floor(t.lookbackDays / 7);
  const since = input.at - weeks * 7 * DAY;
  const perFile = new Map<string, { weekly: number[]; recentCommits: number }>();
  for (const c of input.churn) {
    if (c.timestamp < since || c.timestamp >= input.at) continue;
    const entry = perFile.get(c.path) ?? {
      weekly: new Array<number>(weeks).fill(0),
      recentCommits: 0,
    };
    const w = Math.min(weeks - 1, Math.floor((c.timestamp - since) / (7 * DAY)));
    entry.weekly[w]! += c.lines;
    if (w === weeks - 1) entry.recentCommits++;
    perFile.set(c.path, entry);
  }
  // The project's usual weekly churn of a file: every (file, earlier week), zeros included.
  const baseline = [...perFile.values()].flatMap((e) => e.weekly.slice(0, -1));
  const out: BottleneckFinding[] = [];
  for (const [path, { weekly, recentCommits }] of perFile) {
    // Rising needs a past: a file first changed this week (a new project, a new module) is not.
    if (weekly.slice(0, -1).every((w) => w === 0) || describePath(path).role === "lockfile")
      continue;
    const recent = weekly[weeks - 1]!;
    const usual = median(weekly.slice(0, -1)) ?? 0;
    const floor = Math.max(usual, t.churnMinLines / 10);
    const z = robustZ(recent, baseline, t.churnMinLines / 10);
    if (
      recent < t.churnMinLines ||
      recentCommits < t.churnMinCommits ||
      recent < t.churnRatio * floor
    )
      continue;
    if (z === null || z < t.slowZ) continue;
    out.push(
      finding("rising_churn", path, {
        severity: recent >= 4 * floor ? "error" : "warning",
        impact: `${recent} lines changed in ${recentCommits} commits in the last 7 days, against a usual ${usual} per week`,
        value: recent,
        threshold: Math.round(t.churnRatio * floor),
        evidence: [
          `weekly churn, oldest first: ${weekly.join(", ")}`,
          `robust z-score ${z.toFixed(1)} against ${baseline.length} earlier file-weeks of the project`,
        ],
      }),
    );
  }
  return out.sort((a, b) => b.value - a.value).slice(0, 10);
}

function idleWork(input: BottleneckInput, t: BottleneckThresholds): BottleneckFinding[] {
  const out: BottleneckFinding[] = [];
  for (const b of input.branches) {
    const idle = input.at - b.lastActivity;
    if (idle < t.idleBranchDays * DAY) continue;
    out.push(
      finding("idle_branch", b.branch, {
        severity: "warning",
        impact: `no activity for ${Math.floor(idle / DAY)} days; the longer it waits, the harder it merges`,
        value: Math.floor(idle / DAY),
        threshold: t.idleBranchDays,
        evidence: [`last activity ${new Date(b.lastActivity).toISOString()}`],
      }),
    );
  }
  for (const pr of input.pullRequests) {
    const open = input.at - pr.openedAt;
    if (open < t.longOpenPrDays * DAY) continue;
    out.push(
      finding("long_open_pr", pr.title || pr.id, {
        severity: open >= 2 * t.longOpenPrDays * DAY ? "error" : "warning",
        impact: `open for ${Math.floor(open / DAY)} days with ${pr.reviews} review${pr.reviews === 1 ? "" : "s"}`,
        value: Math.floor(open / DAY),
        threshold: t.longOpenPrDays,
        evidence: [`${pr.id} opened ${new Date(pr.openedAt).toISOString()}`],
      }),
    );
  }
  return out.slice(0, 20);
}

/** Runs every detector; findings are ordered errors first. */
export function detectBottlenecks(
  input: BottleneckInput,
  thresholds: Partial<BottleneckThresholds> = {},
): BottleneckFinding[] {
  const t = { ...DEFAULT_BOTTLENECK_THRESHOLDS, ...thresholds };
  return [
    ...slowRuns(input, t),
    ...failingStreaks(input, t),
    ...saturation(input, t),
    ...stageStuck(input, t),
    ...risingChurn(input, t),
    ...idleWork(input, t),
  ].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}
