/**
 * @module methodology-store
 * The methodology scores of a project over a period, from its stored file events and commits.
 */
import type { EventRepository, ProjectRepository, WorkRepository } from "@devflow/storage";
import { ACTIVITY_CATEGORIES, type ActivityCategory } from "./categories.js";
import { classifyFileChange, type FileChange } from "./classify.js";
import { classifyCommits } from "./commit-classification.js";
import {
  analyzeMethodology,
  type MethodologyFileEvent,
  type MethodologyScore,
  type TddOptions,
} from "./methodology.js";
import type { Period } from "./period.js";
import { requireProject, storedEvents } from "./store-util.js";

/** A project's methodology scores over a period, with the kinds of work it consisted of. */
export interface MethodologyReport {
  projectId: string;
  period: Period;
  fileEvents: number;
  commits: number;
  scores: MethodologyScore[];
  /**
   * File events and commits per activity category: file events classified one by one, commits
   * by the message's conventional category when it has one, else by their paths.
   */
  activity: Record<ActivityCategory, { fileEvents: number; commits: number }>;
}

/**
 * Scores DDD, TDD, BDD and EDA from the project's file events and commits in `period`.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function methodologyReport(
  storage: {
    readonly projects: ProjectRepository;
    readonly events: EventRepository;
    readonly work: WorkRepository;
  },
  projectId: string,
  period: Period,
  options: Partial<TddOptions> = {},
): MethodologyReport {
  requireProject(storage.projects, projectId);
  const activity = Object.fromEntries(
    ACTIVITY_CATEGORIES.map((c) => [c, { fileEvents: 0, commits: 0 }]),
  ) as MethodologyReport["activity"];
  const fileEvents: MethodologyFileEvent[] = [];
  for (const e of storedEvents(storage.events, {
    projectId,
    types: ["file.created", "file.changed", "file.deleted", "file.renamed"],
    from: period.from,
    to: period.to,
  })) {
    const d = e.data as Omit<FileChange, "type">;
    fileEvents.push({ type: e.type, timestamp: e.timestamp, path: d.path });
    activity[classifyFileChange({ ...d, type: e.type as FileChange["type"] }).category]
      .fileEvents++;
  }
  const history = storage.work.commitsWithFiles({ projectId, to: period.to });
  for (const row of classifyCommits(history, period)) {
    if (!row.isMerge) activity[row.conventionalCategory ?? row.category].commits++;
  }
  const commits = history.filter((c) => c.authoredAt >= period.from);
  return {
    projectId,
    period,
    fileEvents: fileEvents.length,
    commits: commits.length,
    scores: analyzeMethodology({ fileEvents, commits }, options),
    activity,
  };
}
