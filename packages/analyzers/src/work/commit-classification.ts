/**
 * @module commit-classification
 * Classifies a project's commits in history order (so a file's first appearance is known) and
 * measures predictions against the conventional-commit types of their messages.
 */
import {
  ACTIVITY_CATEGORIES,
  type ActivityCategory,
  categoryOfConventional,
  parseConventionalSubject,
} from "./categories.js";
import { type ChangedFile, classifyCommitFiles } from "./classify.js";

/** The commit facts classification needs (a `StoredCommit` fits). */
export interface CommitLike {
  hash: string;
  authoredAt: number;
  isMerge: boolean;
  /** The message, when the privacy setting kept it; only used for the conventional type. */
  message?: string | null;
  /** The conventional type the git monitor parsed, when any. */
  conventionalType?: string | null;
  files: readonly ChangedFile[];
}

/** One classified commit. */
export interface CommitClassificationRow {
  hash: string;
  authoredAt: number;
  isMerge: boolean;
  /** Predicted from paths and line counts only. */
  category: ActivityCategory;
  confidence: number;
  reasons: string[];
  /** The conventional type of the message, when it has one. */
  conventionalType: string | null;
  /** The category that type names, when it names one. */
  conventionalCategory: ActivityCategory | null;
  /** Whether prediction and message agree; `null` without a conventional category. */
  agrees: boolean | null;
}

/** Options of {@link classifyCommits}. */
export interface ClassifyCommitsOptions {
  /** Only commits authored at or after this time get a row (earlier ones still build the history). */
  from?: number;
  /** Only commits authored before this time get a row. */
  to?: number;
}

function conventionalOf(commit: CommitLike): {
  type: string | null;
  category: ActivityCategory | null;
} {
  const parsed = commit.message ? parseConventionalSubject(commit.message) : undefined;
  const type = parsed?.type ?? commit.conventionalType ?? null;
  const scope = parsed && parsed.type === type ? parsed.scope : undefined;
  return { type, category: categoryOfConventional(type, scope) ?? null };
}

/**
 * Classifies commits given in history order (oldest first). The prediction uses only paths and
 * line counts, plus which paths earlier commits touched; the message only fills
 * `conventionalType`/`conventionalCategory` for comparison.
 */
export function classifyCommits(
  commits: Iterable<CommitLike>,
  options: ClassifyCommitsOptions = {},
): CommitClassificationRow[] {
  const seen = new Set<string>();
  const rows: CommitClassificationRow[] = [];
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  for (const commit of commits) {
    if (commit.authoredAt >= from && commit.authoredAt < to) {
      const prediction = classifyCommitFiles(commit.files, seen);
      const conventional = conventionalOf(commit);
      rows.push({
        hash: commit.hash,
        authoredAt: commit.authoredAt,
        isMerge: commit.isMerge,
        category: prediction.category,
        confidence: prediction.confidence,
        reasons: prediction.reasons,
        conventionalType: conventional.type,
        conventionalCategory: conventional.category,
        agrees:
          conventional.category === null ? null : conventional.category === prediction.category,
      });
    }
    for (const f of commit.files) seen.add(f.path);
  }
  return rows;
}

/** Precision, recall and F1 of one category. */
export interface ClassScore {
  /** Commits whose label is this category. */
  support: number;
  /** Commits predicted as this category. */
  predicted: number;
  truePositives: number;
  /** `null` when nothing was predicted as this category. */
  precision: number | null;
  /** `null` when no commit has this label. */
  recall: number | null;
  f1: number | null;
}

/** How well predictions match labels. */
export interface ClassificationReport {
  total: number;
  correct: number;
  accuracy: number;
  /** Mean F1 over the categories that have labelled commits. */
  macroF1: number;
  perClass: Record<ActivityCategory, ClassScore>;
  /** `confusion[label][prediction]` = number of commits. */
  confusion: Record<ActivityCategory, Record<ActivityCategory, number>>;
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Scores predictions against labels: accuracy, per-category precision/recall/F1 and the
 * confusion matrix. Pairs without a label are ignored.
 */
export function evaluateClassification(
  pairs: Iterable<{ label: ActivityCategory | null; predicted: ActivityCategory }>,
): ClassificationReport {
  const zeroRow = () =>
    Object.fromEntries(ACTIVITY_CATEGORIES.map((c) => [c, 0])) as Record<ActivityCategory, number>;
  const confusion = Object.fromEntries(ACTIVITY_CATEGORIES.map((c) => [c, zeroRow()])) as Record<
    ActivityCategory,
    Record<ActivityCategory, number>
  >;
  let total = 0;
  let correct = 0;
  for (const { label, predicted } of pairs) {
    if (label === null) continue;
    total++;
    if (label === predicted) correct++;
    confusion[label][predicted]++;
  }
  const perClass = {} as Record<ActivityCategory, ClassScore>;
  const f1s: number[] = [];
  for (const c of ACTIVITY_CATEGORIES) {
    const support = ACTIVITY_CATEGORIES.reduce((n, p) => n + confusion[c][p], 0);
    const predicted = ACTIVITY_CATEGORIES.reduce((n, l) => n + confusion[l][c], 0);
    const tp = confusion[c][c];
    const precision = predicted === 0 ? null : tp / predicted;
    const recall = support === 0 ? null : tp / support;
    const f1 =
      precision === null || recall === null
        ? null
        : precision + recall === 0
          ? 0
          : (2 * precision * recall) / (precision + recall);
    if (support > 0) f1s.push(f1 ?? 0);
    perClass[c] = {
      support,
      predicted,
      truePositives: tp,
      precision: precision === null ? null : round(precision),
      recall: recall === null ? null : round(recall),
      f1: f1 === null ? null : round(f1),
    };
  }
  return {
    total,
    correct,
    accuracy: total === 0 ? 0 : round(correct / total),
    macroF1: f1s.length === 0 ? 0 : round(f1s.reduce((a, b) => a + b, 0) / f1s.length),
    perClass,
    confusion,
  };
}
