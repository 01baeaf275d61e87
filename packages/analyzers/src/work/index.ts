/** Understanding the work: classification, stages, methodology, metrics, bottlenecks. */
export {
  ACTIVITY_CATEGORIES,
  categoryOfConventional,
  CONVENTIONAL_CATEGORIES,
  IMPLEMENTATION_STAGES,
  isActivityCategory,
  isStage,
  parseConventionalSubject,
  STAGE_GROUPS,
  STAGES,
  SUB_STAGES,
} from "./categories.js";
export type { ActivityCategory, Stage, SubStage } from "./categories.js";
export { describePath, PATH_ROLE_RULES, stemOf } from "./paths.js";
export type { PathArea, PathFacts, PathRole, PathRoleRule, TestKind } from "./paths.js";
export {
  classifyCommitFiles,
  classifyFileChange,
  COMMIT_CODE_RULES,
  commitFeatures,
} from "./classify.js";
export type {
  ChangedFile,
  Classification,
  CommitFeatures,
  CommitRule,
  FileChange,
  SeenPaths,
} from "./classify.js";
export { classifyCommits, evaluateClassification } from "./commit-classification.js";
export type {
  ClassificationReport,
  ClassifyCommitsOptions,
  ClassScore,
  CommitClassificationRow,
  CommitLike,
} from "./commit-classification.js";
export { parseInstant, periodEnding, previousPeriod } from "./period.js";
export type { Period } from "./period.js";
export { FILE_EVENTS, STAGE_CONDITIONS } from "./stage-rule-model.js";
export type { StageCondition, StageRule } from "./stage-rule-model.js";
export { STAGE_RULES } from "./stage-rules.js";
export { SUB_STAGE_RULES } from "./sub-stage-rules.js";
export { stageSignalOf } from "./stage-signals.js";
export type { SignalHit, StageEvent, StageSignal } from "./stage-signals.js";
export { DEFAULT_STAGE_OPTIONS, StageAnalyzer } from "./stage-analyzer.js";
export type {
  HysteresisOptions,
  StageAnalyzerOptions,
  StageAnalyzerState,
  StageEvidence,
  StageSnapshot,
  StageTransitionRecord,
} from "./stage-analyzer.js";
export { stageSpans, timeInStages } from "./stage-timeline.js";
export type { HeartbeatSpan, StageSpan, StageTime, TimelineTransition } from "./stage-timeline.js";
export { advanceStages, STAGE_EVENT_TYPES, stageReport, stageStateKey } from "./stage-store.js";
export type {
  AdvanceStagesOptions,
  StageAdvance,
  StageAnalysisState,
  StageReads,
  StageReport,
} from "./stage-store.js";
export { ewma, mad, median, quantile, robustZ, theilSen } from "./stats.js";
export {
  compareMetric,
  computeMetrics,
  METRIC_DEFINITIONS,
  METRIC_GROUPS,
  round4,
} from "./metrics.js";
export type {
  MetricCommit,
  MetricDefinition,
  MetricFacts,
  MetricGroup,
  MetricRun,
  MetricTestReport,
  MetricValue,
} from "./metrics.js";
export {
  gatherMetricFacts,
  metricSamples,
  metricsReport,
  REWORK_WINDOW_MS,
} from "./metrics-store.js";
export type { MetricReads, MetricsReport } from "./metrics-store.js";
export { analyzeMethodology, METHODOLOGIES } from "./methodology.js";
export type {
  Methodology,
  MethodologyCommit,
  MethodologyFileEvent,
  MethodologyScore,
  TddOptions,
} from "./methodology.js";
export { BDD_BLOCKS, DDD_BLOCKS, EDA_BLOCKS } from "./methodology-rules.js";
export type { MethodologyBlock } from "./methodology-rules.js";
export { methodologyReport } from "./methodology-store.js";
export type { MethodologyReport } from "./methodology-store.js";
export { commitsReport } from "./commits-store.js";
export type { CommitsReport } from "./commits-store.js";
export {
  BOTTLENECK_KIND_INFO,
  BOTTLENECK_KINDS,
  DEFAULT_BOTTLENECK_THRESHOLDS,
} from "./bottleneck-rules.js";
export type {
  BottleneckKind,
  BottleneckKindInfo,
  BottleneckThresholds,
} from "./bottleneck-rules.js";
export { detectBottlenecks } from "./bottlenecks.js";
export type {
  BottleneckFinding,
  BottleneckInput,
  BottleneckRun,
  BottleneckSample,
} from "./bottlenecks.js";
export {
  bottleneckChanges,
  bottleneckStateKey,
  gatherBottleneckInput,
} from "./bottleneck-store.js";
export type {
  BottleneckChanges,
  BottleneckReads,
  BottleneckUpdate,
  OpenFinding,
  OpenFindings,
} from "./bottleneck-store.js";
export { PAGE_SIZE, stableId, storedEvents } from "./store-util.js";
export type { StoredEventsQuery } from "./store-util.js";
