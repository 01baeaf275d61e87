/**
 * @module @devflow/analyzers
 * Pure, documented analyses over the facts `@devflow/storage` keeps: git analytics (code-maat's
 * analyses, hotspots, knowledge, co-change checks, commit statistics, DORA) and the work itself
 * (activity classification, stages, methodology, metrics, bottlenecks).
 * Everything exported here is public API; each area keeps its own barrel.
 */
export * from "./git/index.js";
export * from "./work/index.js";
export * from "./ai/index.js";
