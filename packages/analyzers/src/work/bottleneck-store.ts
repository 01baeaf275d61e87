/**
 * @module bottleneck-store
 * Reads the bottleneck detector's inputs from storage and tracks findings until they go away,
 * without writing: given the findings open so far, {@link bottleneckChanges} returns a
 * `bottleneck.detected` event for each new finding, a `bottleneck.resolved` event for each one
 * no longer found, and the findings open now. Storing them (events through the engine, the open
 * findings in `settings`) is the job of `@devflow/runtime` (`AnalysisJobs.refreshBottlenecks`).
 */
import type { DevflowEvent } from "@devflow/events";
import type { EventRepository, ProjectRepository, WorkRepository } from "@devflow/storage";
import { DEFAULT_BOTTLENECK_THRESHOLDS, type BottleneckThresholds } from "./bottleneck-rules.js";
import {
  type BottleneckFinding,
  type BottleneckInput,
  type BottleneckRun,
  detectBottlenecks,
} from "./bottlenecks.js";
import { analysisEvent, clip, requireProject, stableId, storedEvents } from "./store-util.js";

const DAY = 86_400_000;
/** Git and pull-request events are read this far back for idle branches and open PRs (days). */
const WORKFLOW_LOOKBACK_DAYS = 180;
/** Branches never reported idle. */
const MAIN_BRANCHES = new Set(["main", "master", "develop", "development", "trunk", "HEAD"]);

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function readRuns(
  storage: BottleneckReads,
  projectId: string,
  from: number,
  to: number,
): BottleneckRun[] {
  const runs: BottleneckRun[] = [];
  const runIds = new Set<string>();
  const reports: Array<{ timestamp: number; d: Record<string, unknown> }> = [];
  for (const e of storedEvents(storage.events, {
    projectId,
    types: ["build.finished", "test.run_finished"],
    from,
    to,
  })) {
    const d = e.data as Record<string, unknown>;
    if (e.type === "test.run_finished") {
      reports.push({ timestamp: e.timestamp, d });
      continue;
    }
    if (str(d.runId)) runIds.add(str(d.runId)!);
    const durationMs = num(d.durationMs) ?? e.duration;
    runs.push({
      timestamp: e.timestamp,
      kind: d.kind === "test" ? "test" : "build",
      tool: str(d.tool) ?? "unknown",
      ...(durationMs === undefined ? {} : { durationMs }),
      success: typeof d.success === "boolean" ? d.success : null,
    });
  }
  // Reports of runs seen in the process table are already in the run's success; count the rest.
  for (const { timestamp, d } of reports) {
    if (d.origin === "coverage" || (str(d.runId) && runIds.has(str(d.runId)!))) continue;
    const failed = num(d.failed);
    const durationMs = num(d.durationMs);
    runs.push({
      timestamp,
      kind: "test",
      tool: str(d.tool) ?? "unknown",
      ...(durationMs === undefined ? {} : { durationMs }),
      success: failed === undefined ? null : failed === 0,
    });
  }
  return runs;
}

function readStage(
  storage: BottleneckReads,
  projectId: string,
  at: number,
): NonNullable<BottleneckInput["stage"]> {
  const transitions = storage.work
    .transitions({ projectId, to: at + 1 })
    .filter((t) => t.fromStage !== t.toStage);
  const completed: Array<{ stage: string; ms: number }> = [];
  for (let i = 1; i < transitions.length; i++) {
    const prev = transitions[i - 1]!;
    completed.push({ stage: prev.toStage, ms: transitions[i]!.timestamp - prev.timestamp });
  }
  const last = transitions[transitions.length - 1];
  return { current: last?.toStage ?? null, since: last?.timestamp ?? null, completed };
}

function readWorkflow(storage: BottleneckReads, projectId: string, at: number) {
  const branches = new Map<string, number>();
  const closedBranches = new Set<string>();
  let current: string | undefined;
  const prs = new Map<
    string,
    { id: string; title: string; openedAt: number; reviews: number; closed: boolean }
  >();
  const types = [
    "git.branch_created",
    "git.branch_switched",
    "git.branch_deleted",
    "git.commit",
    "git.push",
    "git.merge",
  ];
  types.push(
    "integration.pr_opened",
    "integration.pr_merged",
    "integration.pr_closed",
    "integration.review_submitted",
  );
  for (const e of storedEvents(storage.events, {
    projectId,
    types,
    from: at - WORKFLOW_LOOKBACK_DAYS * DAY,
    to: at,
  })) {
    const d = e.data as Record<string, unknown>;
    const touch = (b: string | undefined) => {
      if (!b) return;
      branches.set(b, e.timestamp);
      closedBranches.delete(b);
    };
    const type: string = e.type;
    if (type === "git.branch_switched") {
      touch(str(d.from));
      touch(str(d.to));
      current = str(d.to);
    } else if (type === "git.branch_deleted") {
      if (str(d.branch)) closedBranches.add(str(d.branch)!);
    } else if (type === "git.merge") {
      touch(str(d.into));
      if (str(d.from)) closedBranches.add(str(d.from)!);
    } else if (type.startsWith("git.")) {
      touch(str(d.branch));
    } else {
      const id = str(d.externalId) ?? e.id;
      const pr = prs.get(id) ?? {
        id,
        title: str(d.title) ?? id,
        openedAt: e.timestamp,
        reviews: 0,
        closed: false,
      };
      if (type === "integration.pr_opened") pr.openedAt = num(d.occurredAt) ?? e.timestamp;
      else if (type === "integration.review_submitted") pr.reviews++;
      else pr.closed = true;
      prs.set(id, pr);
    }
  }
  return {
    branches: [...branches.entries()]
      .filter(([b]) => !MAIN_BRANCHES.has(b) && b !== current && !closedBranches.has(b))
      .map(([branch, lastActivity]) => ({ branch, lastActivity })),
    pullRequests: [...prs.values()].filter((p) => !p.closed),
  };
}

/** The repositories the bottleneck detection reads. */
export interface BottleneckReads {
  readonly projects: ProjectRepository;
  readonly events: EventRepository;
  readonly work: WorkRepository;
}

/** Reads everything {@link detectBottlenecks} needs for a project at time `at`. */
export function gatherBottleneckInput(
  storage: BottleneckReads,
  projectId: string,
  at: number,
  thresholds: Partial<BottleneckThresholds> = {},
): BottleneckInput {
  const t = { ...DEFAULT_BOTTLENECK_THRESHOLDS, ...thresholds };
  const from = at - t.lookbackDays * DAY;
  const samples: BottleneckInput["samples"][number][] = [];
  // System samples are machine-wide (no project).
  for (const e of storedEvents(storage.events, {
    types: ["system.sample"],
    from: at - t.saturationLookbackHours * 3_600_000,
    to: at,
  })) {
    const d = e.data as Record<string, unknown>;
    const disk = num(d.diskUsedPercent);
    samples.push({
      timestamp: e.timestamp,
      cpuPercent: num(d.cpuPercent) ?? 0,
      memoryPercent: num(d.memoryPercent) ?? 0,
      ...(disk === undefined ? {} : { diskUsedPercent: disk }),
    });
  }
  const churn = storage.work
    .commitsWithFiles({ projectId, from, to: at })
    .filter((c) => !c.isMerge)
    .flatMap((c) =>
      c.files.map((f) => ({
        path: f.path,
        timestamp: c.authoredAt,
        lines: (f.insertions ?? 0) + (f.deletions ?? 0),
      })),
    );
  return {
    at,
    runs: readRuns(storage, projectId, from, at),
    samples,
    stage: readStage(storage, projectId, at),
    churn,
    ...readWorkflow(storage, projectId, at),
  };
}

/** The settings key of a project's open findings. */
export function bottleneckStateKey(projectId: string): string {
  return `analyzers.work.bottlenecks.${projectId}`;
}

/** A finding reported as `bottleneck.detected` and not resolved yet. */
export interface OpenFinding {
  kind: string;
  subject: string;
  openedAt: number;
  /** The id of its `bottleneck.detected` event. */
  eventId: string;
  severity: string;
}

/** The open findings of a project by kind and subject (kept in settings between runs). */
export type OpenFindings = Record<string, OpenFinding>;

/** What {@link bottleneckChanges} found and what changed. */
export interface BottleneckUpdate {
  at: number;
  findings: BottleneckFinding[];
  /** Findings that were not open before (a `bottleneck.detected` event each). */
  opened: BottleneckFinding[];
  /** Findings open before and no longer found (a `bottleneck.resolved` event each). */
  resolved: Array<{ kind: string; subject: string; openedAt: number }>;
}

/** {@link BottleneckUpdate} plus what to store: the events and the findings open now. */
export interface BottleneckChanges extends BottleneckUpdate {
  /** `bottleneck.detected` and `bottleneck.resolved` events, validated, deterministic ids. */
  events: DevflowEvent[];
  /** The findings open after this run (to keep for the next one). */
  open: OpenFindings;
}

/**
 * Detects the project's bottlenecks at `at` (default now) and compares them with the findings
 * open so far (`open`): returns a `bottleneck.detected` event for each new finding, a
 * `bottleneck.resolved` event for each one that went away, and the findings open now. Reads
 * only.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function bottleneckChanges(
  storage: BottleneckReads,
  options: {
    projectId: string;
    at?: number;
    thresholds?: Partial<BottleneckThresholds>;
    open?: OpenFindings | null | undefined;
  },
): BottleneckChanges {
  const { projectId } = options;
  requireProject(storage.projects, projectId);
  const at = options.at ?? Date.now();
  const findings = detectBottlenecks(
    gatherBottleneckInput(storage, projectId, at, options.thresholds),
    options.thresholds,
  );
  const key = (f: { kind: string; subject: string }) => `${f.kind}\u0000${f.subject}`;
  const open = new Map(Object.entries(options.open ?? {}));
  const events: DevflowEvent[] = [];
  const opened: BottleneckFinding[] = [];
  const current = new Set(findings.map(key));
  for (const f of findings) {
    if (open.has(key(f))) continue;
    const id = stableId("bottleneck", projectId, f.kind, f.subject, at, "detected");
    opened.push(f);
    open.set(key(f), {
      kind: f.kind,
      subject: f.subject,
      openedAt: at,
      eventId: id,
      severity: f.severity,
    });
    events.push(
      analysisEvent({
        id,
        type: "bottleneck.detected",
        source: "bottleneck-detector",
        projectId,
        timestamp: at,
        severity: f.severity,
        metadata: { type: f.type, impact: clip(f.impact, 1024), severity: f.severity },
        data: {
          kind: f.kind,
          subject: clip(f.subject, 4096),
          value: f.value,
          threshold: f.threshold,
          suggestion: clip(f.suggestion, 4096),
          evidence: f.evidence.map((e) => clip(e)),
        },
      }),
    );
  }
  const resolved: BottleneckUpdate["resolved"] = [];
  for (const [k, o] of open) {
    if (current.has(k)) continue;
    open.delete(k);
    resolved.push({ kind: o.kind, subject: o.subject, openedAt: o.openedAt });
    events.push(
      analysisEvent({
        id: stableId("bottleneck", projectId, o.kind, o.subject, at, "resolved"),
        type: "bottleneck.resolved",
        source: "bottleneck-detector",
        projectId,
        timestamp: at,
        correlationId: o.eventId,
        data: { kind: o.kind, subject: clip(o.subject, 4096) },
      }),
    );
  }
  return { at, findings, opened, resolved, events, open: Object.fromEntries(open) };
}
