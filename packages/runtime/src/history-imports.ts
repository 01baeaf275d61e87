import type { EventEngine, Logger } from "@devflow/events";
import { importGitHistory, type MessagePolicy } from "@devflow/monitors";
import type { Project, Storage } from "@devflow/storage";
import { findRepositoryRoot } from "./projects.js";

/** Options of {@link BackgroundImports}. */
export interface BackgroundImportsOptions {
  storage: Storage;
  engine: EventEngine;
  messages: MessagePolicy;
  logger: Logger;
}

/**
 * Imports the git history of projects in the background, one project at a time, each announced
 * by a `git.history_imported` event; `stop()` aborts the running import (a re-run continues it).
 */
export class BackgroundImports {
  readonly #options: BackgroundImportsOptions;
  readonly #abort = new AbortController();
  readonly #queue: Project[] = [];
  #running: Promise<void> | undefined;

  constructor(options: BackgroundImportsOptions) {
    this.#options = options;
  }

  /** Queues the projects that are git repositories. */
  add(projects: readonly Project[]): void {
    if (this.#abort.signal.aborted) return;
    this.#queue.push(...projects.filter((p) => findRepositoryRoot(p.rootPath) !== null));
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
  }

  /** Aborts the running import and waits for it to end. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#queue.length = 0;
    await this.#running;
  }

  async #drain(): Promise<void> {
    const { storage, engine, messages, logger } = this.#options;
    for (let project = this.#queue.shift(); project; project = this.#queue.shift()) {
      if (this.#abort.signal.aborted) return;
      try {
        const r = await importGitHistory({
          storage,
          engine,
          project,
          messages,
          signal: this.#abort.signal,
          logger,
        });
        logger.info({ projectId: project.id, ...r }, "git history imported");
      } catch (err) {
        if (!this.#abort.signal.aborted)
          logger.warn({ err, projectId: project.id }, "git history import failed");
      }
    }
  }
}
