/**
 * @module classify
 * Activity classification of commits and file events from paths, file roles and line counts
 * alone. The commit message is never read here: it is a separate signal (see
 * {@link categoryOfConventional}) that a caller may combine with the prediction.
 */
import type { ActivityCategory } from "./categories.js";
import { describePath, type PathFacts, type PathRole } from "./paths.js";

/** One changed file of a commit (numstat; `null` counts for binary files). */
export interface ChangedFile {
  path: string;
  insertions: number | null;
  deletions: number | null;
}

/** A prediction with its confidence (0–1) and the rules that made it. */
export interface Classification {
  category: ActivityCategory;
  confidence: number;
  /** Ids of the rules that scored for the chosen category, strongest first. */
  reasons: string[];
}

/** What the commit rules look at. */
export interface CommitFeatures {
  /** Weight of the files per role: 1 + log2(1 + changed lines) each. */
  roleWeight: Partial<Record<PathRole, number>>;
  /** Total weight of all files. */
  totalWeight: number;
  /** Weight of code files (source, schema; data and unknown files count half). */
  codeWeight: number;
  codeFiles: number;
  codeInsertions: number;
  codeDeletions: number;
  /** Code files new to the history (or, without history, added whole). */
  newCode: number;
  /** Code files that only lost lines (removed or emptied), not counting moves. */
  goneCode: number;
  /** Removed/added file pairs with the same stem: moves and renames. */
  moves: number;
  newTests: number;
  changedTests: number;
  manifestLines: number;
  manifests: number;
}

/** One row of {@link COMMIT_CODE_RULES}: points for a category when `test` holds. */
export interface CommitRule {
  id: string;
  category: ActivityCategory;
  points: number;
  test: (f: CommitFeatures) => boolean;
}

/**
 * Rules deciding between feature, fix and refactor for commits that change code. Each rule
 * that holds adds its points; the category with the most points wins.
 */
export const COMMIT_CODE_RULES: readonly CommitRule[] = [
  { id: "new-code-files", category: "feature", points: 2, test: (f) => f.newCode > 0 },
  {
    id: "mostly-additions",
    category: "feature",
    points: 1,
    test: (f) => f.codeInsertions >= 30 && f.codeInsertions >= 3 * f.codeDeletions,
  },
  { id: "new-tests", category: "feature", points: 0.5, test: (f) => f.newTests > 0 },
  {
    id: "large-growth",
    category: "feature",
    points: 0.5,
    test: (f) =>
      f.codeInsertions + f.codeDeletions >= 150 && f.codeInsertions > 1.5 * f.codeDeletions,
  },
  {
    id: "tiny-change",
    category: "fix",
    points: 1.5,
    test: (f) => f.codeInsertions + f.codeDeletions <= 16 && f.newCode === 0,
  },
  {
    id: "small-change",
    category: "fix",
    points: 0.7,
    test: (f) => f.codeInsertions + f.codeDeletions <= 40 && f.newCode === 0,
  },
  {
    id: "few-files",
    category: "fix",
    points: 0.6,
    test: (f) => f.codeFiles <= 2 && f.newCode === 0,
  },
  {
    id: "edits-in-place",
    category: "fix",
    points: 0.6,
    test: (f) =>
      f.codeDeletions > 0 &&
      f.codeInsertions <= 4 * f.codeDeletions &&
      f.newCode === 0 &&
      f.moves === 0,
  },
  {
    id: "existing-tests-adjusted",
    category: "fix",
    points: 0.4,
    test: (f) => f.changedTests > 0 && f.newTests === 0,
  },
  { id: "moved-files", category: "refactor", points: 2.5, test: (f) => f.moves > 0 },
  {
    id: "balanced-rewrite",
    category: "refactor",
    points: 1,
    test: (f) =>
      f.codeDeletions >= 10 &&
      f.codeInsertions + f.codeDeletions >= 40 &&
      f.codeInsertions >= 0.5 * f.codeDeletions &&
      f.codeInsertions <= 2 * f.codeDeletions,
  },
  {
    id: "code-removed",
    category: "refactor",
    points: 1,
    test: (f) => f.codeDeletions >= 20 && f.codeDeletions > 1.5 * f.codeInsertions,
  },
  {
    id: "wide-edit",
    category: "refactor",
    points: 0.6,
    test: (f) => f.codeFiles >= 4 && f.newCode === 0,
  },
  { id: "files-removed", category: "refactor", points: 0.5, test: (f) => f.goneCode > 0 },
];

/** The category a file of each role stands for when no code changes (`null`: decided below). */
const ROLE_CATEGORY: Readonly<Record<PathRole, ActivityCategory | null>> = {
  release: "release",
  ci: "build/ci",
  build: "build/ci",
  lockfile: "build/ci",
  manifest: null,
  test: "test",
  planning: "planning",
  design: "design",
  docs: "docs",
  config: "config",
  asset: "design",
  schema: null,
  source: null,
  data: null,
  other: null,
};

/** How many times the code weight another kind of file must reach to name the commit. */
const DOMINANCE = 2;

/** Paths seen in earlier commits; lets the rules tell a new file from an edited one. */
export type SeenPaths = Pick<ReadonlySet<string>, "has">;

const linesOf = (f: ChangedFile): number => (f.insertions ?? 0) + (f.deletions ?? 0);
const weightOf = (f: ChangedFile): number =>
  f.insertions === null && f.deletions === null ? 2 : 1 + Math.log2(1 + linesOf(f));

function isNew(f: ChangedFile, seen: SeenPaths | undefined): boolean {
  if (seen) return !seen.has(f.path) && (f.deletions ?? 0) === 0;
  return (f.deletions ?? 0) === 0 && (f.insertions ?? 0) >= 10;
}

/** Computes the {@link CommitFeatures} of a commit's files. */
export function commitFeatures(files: readonly ChangedFile[], seen?: SeenPaths): CommitFeatures {
  const f: CommitFeatures = {
    roleWeight: {},
    totalWeight: 0,
    codeWeight: 0,
    codeFiles: 0,
    codeInsertions: 0,
    codeDeletions: 0,
    newCode: 0,
    goneCode: 0,
    moves: 0,
    newTests: 0,
    changedTests: 0,
    manifestLines: 0,
    manifests: 0,
  };
  const added: PathFacts[] = [];
  const removed: PathFacts[] = [];
  for (const file of files) {
    const facts = describePath(file.path);
    const w = weightOf(file);
    f.roleWeight[facts.role] = (f.roleWeight[facts.role] ?? 0) + w;
    f.totalWeight += w;
    if (facts.role === "test") {
      if (isNew(file, seen)) f.newTests++;
      else f.changedTests++;
    }
    if (facts.role === "manifest") {
      f.manifests++;
      f.manifestLines += linesOf(file);
    }
    const code = facts.role === "source" || facts.role === "schema";
    const partly = facts.role === "data" || facts.role === "other";
    if (!code && !partly) continue;
    f.codeWeight += code ? w : w / 2;
    f.codeFiles++;
    f.codeInsertions += file.insertions ?? 0;
    f.codeDeletions += file.deletions ?? 0;
    if (isNew(file, seen)) added.push(facts);
    else if ((file.insertions ?? 0) === 0 && (file.deletions ?? 0) > 0) removed.push(facts);
  }
  const addedStems = new Map<string, number>();
  for (const a of added) addedStems.set(a.stem, (addedStems.get(a.stem) ?? 0) + 1);
  for (const r of removed) {
    const left = addedStems.get(r.stem) ?? 0;
    if (left > 0) {
      addedStems.set(r.stem, left - 1);
      f.moves++;
    } else {
      f.goneCode++;
    }
  }
  f.newCode = added.length - f.moves;
  return f;
}

function bounded(value: number): number {
  return Math.round(Math.min(0.95, Math.max(0.05, value)) * 100) / 100;
}

/** The non-code category of a commit that changes no code, or one dominating its code. */
function dominantKind(
  f: CommitFeatures,
): { category: ActivityCategory; weight: number; reason: string } | undefined {
  const byCategory = new Map<ActivityCategory, { weight: number; roles: string[] }>();
  const add = (category: ActivityCategory, weight: number, role: string): void => {
    const entry = byCategory.get(category) ?? { weight: 0, roles: [] };
    entry.weight += weight;
    entry.roles.push(role);
    byCategory.set(category, entry);
  };
  for (const [role, weight] of Object.entries(f.roleWeight) as Array<[PathRole, number]>) {
    const category = ROLE_CATEGORY[role];
    if (category) add(category, weight, role);
  }
  const manifestWeight = f.roleWeight.manifest ?? 0;
  if (manifestWeight > 0) {
    // Version bumps travel with changelogs; dependency changes with lockfiles or bigger edits.
    const category: ActivityCategory = byCategory.has("release")
      ? "release"
      : f.roleWeight.lockfile !== undefined || f.manifestLines > 2 * f.manifests
        ? "build/ci"
        : f.manifests > 1
          ? "release"
          : "build/ci";
    add(category, manifestWeight, "manifest");
  }
  let best: { category: ActivityCategory; weight: number; reason: string } | undefined;
  for (const [category, entry] of byCategory) {
    if (!best || entry.weight > best.weight) {
      best = { category, weight: entry.weight, reason: `files:${entry.roles.join("+")}` };
    }
  }
  return best;
}

/**
 * Classifies a commit from its files alone (paths, roles, line counts); the message is never
 * looked at. With `seen` (the paths of earlier commits) new files are told from edited ones
 * exactly; without it a file that only gained 10 or more lines counts as new.
 *
 * - A commit changing no code takes the category of the kind of file with the most weight
 *   (tests → test, Markdown → docs, workflows and lockfiles → build/ci, a changelog → release, …).
 * - So does a commit whose code weight is small next to one kind of file (a test commit that
 *   tweaks a line of code).
 * - Otherwise {@link COMMIT_CODE_RULES} decide between feature, fix and refactor.
 */
export function classifyCommitFiles(
  files: readonly ChangedFile[],
  seen?: SeenPaths,
): Classification {
  if (files.length === 0) {
    return { category: "feature", confidence: 0, reasons: ["no-files"] };
  }
  const f = commitFeatures(files, seen);
  const other = dominantKind(f);
  if (other && (f.codeWeight === 0 || other.weight >= DOMINANCE * f.codeWeight)) {
    return {
      category: other.category,
      confidence: bounded(0.35 + 0.6 * (other.weight / f.totalWeight)),
      reasons: [f.codeWeight === 0 ? "no-code" : "outweighs-code", other.reason],
    };
  }
  const points = new Map<ActivityCategory, { points: number; reasons: string[] }>();
  for (const rule of COMMIT_CODE_RULES) {
    if (!rule.test(f)) continue;
    const entry = points.get(rule.category) ?? { points: 0, reasons: [] };
    entry.points += rule.points;
    entry.reasons.push(rule.id);
    points.set(rule.category, entry);
  }
  const ranked = [...points.entries()].sort((a, b) => b[1].points - a[1].points);
  const [first, second] = ranked;
  if (!first) return { category: "feature", confidence: 0.3, reasons: ["code-default"] };
  const total = ranked.reduce((n, [, e]) => n + e.points, 0);
  const margin = (first[1].points - (second?.[1].points ?? 0)) / first[1].points;
  return {
    category: first[0],
    confidence: bounded(0.3 + 0.35 * (first[1].points / total) + 0.3 * margin),
    reasons: first[1].reasons,
  };
}

/** The facts of a `file.*` event that classification uses. */
export interface FileChange {
  type: "file.created" | "file.changed" | "file.deleted" | "file.renamed";
  path: string;
  linesAdded?: number;
  linesRemoved?: number;
}

/**
 * Classifies one file event by the file's role and, for code, by what happened: a new file is
 * a feature, a rename or delete a refactor, a small edit that removes lines a fix, a removal-heavy
 * edit a refactor, any other edit a feature.
 */
export function classifyFileChange(change: FileChange): Classification {
  const facts = describePath(change.path);
  const byRole = ROLE_CATEGORY[facts.role];
  if (byRole) return { category: byRole, confidence: 0.8, reasons: [`role:${facts.role}`] };
  if (facts.role === "manifest")
    return { category: "build/ci", confidence: 0.5, reasons: ["role:manifest"] };
  const certainty = facts.role === "source" || facts.role === "schema" ? 1 : 0.6;
  const added = change.linesAdded ?? 0;
  const removed = change.linesRemoved ?? 0;
  switch (change.type) {
    case "file.created":
      return { category: "feature", confidence: bounded(0.7 * certainty), reasons: ["new-file"] };
    case "file.renamed":
      return { category: "refactor", confidence: bounded(0.8 * certainty), reasons: ["renamed"] };
    case "file.deleted":
      return { category: "refactor", confidence: bounded(0.6 * certainty), reasons: ["deleted"] };
    case "file.changed":
      if (removed >= 10 && removed > 1.5 * added) {
        return {
          category: "refactor",
          confidence: bounded(0.5 * certainty),
          reasons: ["code-removed"],
        };
      }
      if (removed > 0 && added + removed <= 6) {
        return { category: "fix", confidence: bounded(0.4 * certainty), reasons: ["small-edit"] };
      }
      return { category: "feature", confidence: bounded(0.45 * certainty), reasons: ["edit"] };
  }
}
