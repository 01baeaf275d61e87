/**
 * @module @devflow/test-utils/work
 * Fixtures of the work-analysis tests (analyzers' pure steps and runtime's analysis jobs): a
 * temp SQLite storage with one project, event builders on a fixed clock, and generated metric
 * series with injected anomalies.
 */
export { DAY, ev, HOUR, store, T0, workStorage } from "./storage.js";
export { writeSeries } from "./series.js";
export type { Anomalies } from "./series.js";
