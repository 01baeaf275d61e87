/**
 * @module commits-store
 * Classifies a project's stored commits (with the history before the period, so new files are
 * known) and compares the predictions with the messages' conventional types.
 */
import type { ProjectRepository, WorkRepository } from "@devflow/storage";
import {
  classifyCommits,
  type ClassificationReport,
  type CommitClassificationRow,
  evaluateClassification,
} from "./commit-classification.js";
import type { Period } from "./period.js";
import { requireProject } from "./store-util.js";

/** A project's classified commits over a period. */
export interface CommitsReport {
  projectId: string;
  period: Period;
  commits: CommitClassificationRow[];
  /** Predictions against the conventional types, for commits whose message names a category. */
  agreement: ClassificationReport;
}

/**
 * One row per commit authored in `period`: the category predicted from paths and line counts,
 * its confidence, and the conventional type of the message when there is one.
 *
 * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown project.
 */
export function commitsReport(
  storage: { readonly projects: ProjectRepository; readonly work: WorkRepository },
  projectId: string,
  period: Period,
): CommitsReport {
  requireProject(storage.projects, projectId);
  const history = storage.work.commitsWithFiles({ projectId, to: period.to });
  const commits = classifyCommits(history, period);
  return {
    projectId,
    period,
    commits,
    agreement: evaluateClassification(
      commits.map((c) => ({ label: c.conventionalCategory, predicted: c.category })),
    ),
  };
}
