/** Understanding the work: classification, stages, methodology, metrics, bottlenecks. */
export {};
