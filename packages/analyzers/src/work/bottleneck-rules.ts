/**
 * @module bottleneck-rules
 * The bottleneck detector's thresholds and the finding kinds it reports, with their type and
 * suggestion, as data.
 */

/** Thresholds of the bottleneck detector. */
export interface BottleneckThresholds {
  /** How far back run durations and churn are read (days). */
  lookbackDays: number;
  /** Recent window whose runs are compared with the baseline (hours). */
  recentHours: number;
  /** Days at the end of the lookback that are not baseline (a trend inside them is "slowing"). */
  trendDays: number;
  /** Baseline days needed before anomalies are judged. */
  minBaselineDays: number;
  /** Robust z-score (median/MAD) above which recent runs are anomalous. */
  slowZ: number;
  /** …and they must also be this many times the baseline median. */
  slowRatio: number;
  /** Runs slower than this are reported whatever the baseline (ms). */
  absoluteSlowMs: number;
  /** Consecutive failed runs of one tool that make a failing streak. */
  failingStreak: number;
  cpuPercent: number;
  memoryPercent: number;
  diskPercent: number;
  /** Saturation must last this long to count (minutes). */
  saturationMinutes: number;
  /** System samples are read this far back (hours). */
  saturationLookbackHours: number;
  /** A stage is stuck after this many times its usual duration… */
  stageStuckFactor: number;
  /** …but never before this many days. */
  stageStuckFloorDays: number;
  /** Without a usual duration, a stage is stuck after this many days. */
  stageStuckDefaultDays: number;
  /** A file's churn in the last week must reach this many lines… */
  churnMinLines: number;
  /** …and this many times its median weekly churn of the weeks before. */
  churnRatio: number;
  /** Commits to the file in the last week needed. */
  churnMinCommits: number;
  /** Branches without activity for this long are idle (days). */
  idleBranchDays: number;
  /** Pull requests open this long are reported (days). */
  longOpenPrDays: number;
}

/** The default thresholds. */
export const DEFAULT_BOTTLENECK_THRESHOLDS: BottleneckThresholds = {
  lookbackDays: 28,
  recentHours: 24,
  trendDays: 7,
  minBaselineDays: 5,
  slowZ: 3.5,
  slowRatio: 1.5,
  absoluteSlowMs: 15 * 60_000,
  failingStreak: 3,
  cpuPercent: 90,
  memoryPercent: 90,
  diskPercent: 90,
  saturationMinutes: 10,
  saturationLookbackHours: 24,
  stageStuckFactor: 2,
  stageStuckFloorDays: 3,
  stageStuckDefaultDays: 7,
  churnMinLines: 200,
  churnRatio: 2,
  churnMinCommits: 3,
  idleBranchDays: 14,
  longOpenPrDays: 7,
};

/** The kinds of findings. */
export const BOTTLENECK_KINDS = [
  "slow_build",
  "slow_tests",
  "failing_builds",
  "failing_tests",
  "cpu_saturation",
  "memory_saturation",
  "disk_full",
  "stage_stuck",
  "rising_churn",
  "idle_branch",
  "long_open_pr",
] as const;
/** One kind of finding. */
export type BottleneckKind = (typeof BOTTLENECK_KINDS)[number];

/** What a kind of finding is about and what to do about it. */
export interface BottleneckKindInfo {
  /** process, resource, quality, workflow or collaboration. */
  type: "process" | "resource" | "quality" | "workflow" | "collaboration";
  title: string;
  /** The suggestion; `{subject}` is replaced by the finding's subject. */
  suggestion: string;
}

/** Type, title and suggestion of each kind. */
export const BOTTLENECK_KIND_INFO: Readonly<Record<BottleneckKind, BottleneckKindInfo>> = {
  slow_build: {
    type: "process",
    title: "slow or slowing builds",
    suggestion:
      "Compare a build log from before the slowdown with a recent one for {subject}: look for lost caches (incremental tsc, turbo/nx cache, Docker layer order), new dependencies and larger bundles; build only what changed.",
  },
  slow_tests: {
    type: "process",
    title: "slow or slowing tests",
    suggestion:
      "Profile the {subject} suite (e.g. `vitest --reporter=verbose`, `jest --verbose`, `pytest --durations=20`) and look at tests added or changed since it slowed: unmocked network or disk, sleeps and timeouts, missing parallelism; move slow integration tests to a separate run.",
  },
  failing_builds: {
    type: "quality",
    title: "a failing build streak",
    suggestion:
      "Stop adding changes on top of the broken {subject} build: reproduce the last failure locally, fix or revert the change that broke it, then continue.",
  },
  failing_tests: {
    type: "quality",
    title: "a failing test streak",
    suggestion:
      "Fix the failing {subject} tests before new work (run only them, e.g. `vitest --changed` or `pytest --lf`); quarantine genuinely flaky ones with an issue rather than re-running until green.",
  },
  cpu_saturation: {
    type: "resource",
    title: "CPU saturated",
    suggestion:
      "Find what pinned the CPU (`top -o %CPU`, `htop`): limit parallel workers (`vitest --maxWorkers`, `jest -w`, `make -j`), stop idle watchers and dev servers, or move heavy jobs to CI.",
  },
  memory_saturation: {
    type: "resource",
    title: "memory saturated",
    suggestion:
      "Find what holds the memory (`top -o %MEM`): close unused apps and containers, lower worker counts, and check long-running dev servers and test workers for leaks.",
  },
  disk_full: {
    type: "resource",
    title: "disk almost full",
    suggestion:
      "Free disk space: prune build caches and artifacts, old `node_modules`, Docker images (`docker system prune`) and logs, before builds and databases start failing.",
  },
  stage_stuck: {
    type: "workflow",
    title: "a stage taking longer than usual",
    suggestion:
      "The {subject} stage is running long: check what blocks it (a decision, a review, an unclear requirement), split the remaining work into smaller steps, and agree on what finishes the stage.",
  },
  rising_churn: {
    type: "quality",
    title: "a file with rising churn",
    suggestion:
      "{subject} is being rewritten again and again: review its design with the team, cover it with tests before further changes, and consider splitting it into smaller modules.",
  },
  idle_branch: {
    type: "workflow",
    title: "a long-idle branch",
    suggestion:
      "Merge, rebase or delete the branch {subject}: idle branches drift from main and get harder to merge.",
  },
  long_open_pr: {
    type: "collaboration",
    title: "a pull request open for long",
    suggestion:
      "Ask for a review of {subject} or split it into smaller pull requests; agree on a review turnaround so work does not wait.",
  },
};
