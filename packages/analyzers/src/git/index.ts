/**
 * Git analytics over the stored `commits`/`commit_files` facts: code-maat's analyses, hotspots,
 * knowledge (bus factor, knowledge loss), the co-change check, commit statistics and DORA.
 * Every name exported here is public API.
 */
export {
  buildAggregates,
  DEFAULT_MAX_CHANGESET_SIZE,
  GitAggregates,
  pairKey,
  pairOf,
} from "./aggregates.js";
export type {
  AggregateOptions,
  AuthorStats,
  Contribution,
  EntityStats,
  PeriodChurn,
} from "./aggregates.js";
export { coChanges } from "./co-changes.js";
export type { CoChangeReport, CoChangeRow } from "./co-changes.js";
export { commitStats, MONTHS, WEEKDAYS } from "./commit-stats.js";
export type { AuthorCommitStats, CommitStats } from "./commit-stats.js";
export {
  coupling,
  couplingFromAggregates,
  DEFAULT_COUPLING_THRESHOLDS,
  resolveThresholds,
} from "./coupling.js";
export type { CouplingRow, CouplingThresholds, ResolvedThresholds } from "./coupling.js";
export {
  DEFAULT_HOTFIX_BRANCH_PATTERN,
  DEFAULT_HOTFIX_PATTERN,
  DEFAULT_REVERT_PATTERN,
  DEFAULT_TAG_PATTERN,
  doraFromGit,
  gitDoraInput,
  mergedBranchOf,
  readDoraCommits,
} from "./dora/git.js";
export type { DoraCommit, GitDoraOptions, TagRef } from "./dora/git.js";
export { computeDora } from "./dora/metrics.js";
export type {
  DoraChange,
  DoraDeployment,
  DoraFigure,
  DoraIncident,
  DoraInput,
  DoraOptions,
  DoraReport,
} from "./dora/metrics.js";
export {
  changeFailureRateTier,
  deploymentFrequencyTier,
  leadTimeTier,
  lowerMedian,
  recoveryTimeTier,
  upperMedian,
} from "./dora/tiers.js";
export type { DoraTier } from "./dora/tiers.js";
export { createDictionary, forEachChange, Interner } from "./facts.js";
export type {
  FactsDictionary,
  LogicalChange,
  ReadChangesOptions,
  ReadChangesResult,
} from "./facts.js";
export { hotspots, slopeOf } from "./hotspots.js";
export type { ChurnTrend, HotspotOptions, HotspotRow, TrendMonth } from "./hotspots.js";
export { GitAnalyticsIndex } from "./incremental.js";
export type { RefreshResult } from "./incremental.js";
export { busFactor, knowledgeLoss, ownerOf } from "./knowledge.js";
export type {
  BusFactorOptions,
  BusFactorRow,
  KnowledgeLossReport,
  KnowledgeLossRow,
} from "./knowledge.js";
export {
  absoluteChurn,
  authorChurn,
  authors,
  codeAge,
  entityChurn,
  revisions,
  sumOfCoupling,
  summary,
} from "./maat.js";
export type {
  AbsoluteChurnRow,
  AuthorChurnRow,
  AuthorsRow,
  CodeAgeRow,
  EntityChurnRow,
  RevisionsRow,
  SumOfCouplingRow,
  SummaryRow,
} from "./maat.js";
export {
  communication,
  entityEffort,
  entityOwnership,
  fragmentation,
  mainDeveloper,
  mainDeveloperOf,
} from "./maat-people.js";
export type {
  CommunicationRow,
  EffortRow,
  FragmentationRow,
  MainDevMetric,
  MainDevRow,
  OwnershipRow,
} from "./maat-people.js";
export { FIX_PATTERN, messageMatches } from "./messages.js";
export type { MessageMatchReport, MessageMatchRow } from "./messages.js";
export {
  createEntityMapper,
  createPathMatcher,
  globToRegExp,
  parseComponentGroups,
} from "./paths.js";
export type { ComponentGroup, EntityMapper, PathOptions } from "./paths.js";
export { GitScopeSchema, resolveScope } from "./scope.js";
export type { GitScope, ResolvedScope } from "./scope.js";
export { parseDateOption } from "./time.js";
/** Re-exported from `@devflow/events` for compatibility; import them from there. */
export { DAY_MS, TimeZone } from "@devflow/events";
export type { LocalParts } from "@devflow/events";
