/**
 * @module ai-sync
 * Reading the AI assistants' local records once, for a process that runs no DevFlow (a CLI
 * command): the new records go through a short-lived event engine on the storage's sink, so
 * they are validated and stored exactly as the running DevFlow's AI monitor stores them.
 */
import { EventEngine, type Logger } from "@devflow/events";
import { aiSourceEnvironment, emitAiSources, type SyncAiResult } from "@devflow/monitors";
import type { Storage } from "@devflow/storage";
import type { DevflowConfig } from "./config.js";

/** Options of {@link syncAiRecords}. */
export interface SyncAiRecordsOptions {
  storage: Storage;
  /** The configuration; its `monitors.ai` says where the records are. */
  config: DevflowConfig;
  /** The running engine (it must write to `storage`); default a one-shot engine on its sink. */
  engine?: EventEngine;
  logger?: Logger;
}

/**
 * Reads every AI source incrementally and stores the new events through an engine; returns
 * what was found where and what was stored.
 */
export async function syncAiRecords(options: SyncAiRecordsOptions): Promise<SyncAiResult> {
  const { storage, config } = options;
  const own = options.engine === undefined;
  const engine =
    options.engine ?? new EventEngine(options.logger ? { logger: options.logger } : {});
  if (own) engine.addSink(storage.sink);
  try {
    return await emitAiSources({
      engine,
      storage,
      config: config.monitors.ai,
      source: aiSourceEnvironment(config.monitors.ai.roots),
    });
  } finally {
    if (own) await engine.stop();
  }
}
