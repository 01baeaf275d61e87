import psList from "ps-list";
import { BaseMonitor, type MonitorContext } from "../base-monitor.js";
import type { AiMonitorConfig } from "./config.js";
import { stableId } from "./fingerprint.js";
import { type AiProcess, type AiProcessRow, AiProcessScanner } from "./process-detect.js";
import { AiReaderStates } from "./reader-store.js";
import { aiSourceEnvironment, type SourceEnvironment } from "./roots.js";
import type { AiSourceReader } from "./incremental.js";
import { createAiReaders, readAiEvents } from "./sync.js";
import { ProjectJoiner } from "./to-events.js";

/** Options of {@link AiMonitor} beyond the config. */
export interface AiMonitorOptions {
  /** Where the assistants' data is (default: the process environment and home). */
  source?: SourceEnvironment;
  /** The process table (default ps-list); tests may pass their own. */
  listProcesses?: () => Promise<AiProcessRow[]>;
  /** Read transcripts (default true); false leaves only process detection. */
  readTranscripts?: boolean;
  /**
   * Bytes each reader reads before the events are stored and the event loop gets a turn
   * (default 8 MiB): a first read of a large history goes in slices, never blocking for long.
   */
  sliceBytes?: number;
}

/**
 * AiMonitor: machine-wide AI-assistant sessions. Every `pollIntervalMs` it reads the
 * assistants' local records incrementally (Claude Code, Codex CLI, Gemini CLI, Aider; see
 * `readAiEvents`; state in `storage.aiReaders`) and emits the new `ai.*` events, and scans the
 * process table: assistants that write no transcript DevFlow reads (Cursor, Claude Desktop,
 * ChatGPT, Copilot CLI, OpenCode) get `ai.session_started`/`ai.session_ended`
 * (`detectedBy: "process"`) from their process (the others' sessions come from their
 * transcripts). `start()` scans the process table and returns; the first read of the
 * transcripts runs in the background, in slices of `sliceBytes` per reader, each stored (engine
 * flushed) before the readers' state is saved.
 */
export class AiMonitor extends BaseMonitor {
  readonly #config: AiMonitorConfig;
  readonly #options: AiMonitorOptions;
  readonly #scanner = new AiProcessScanner();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #reading: Promise<void> | undefined;
  #stopped = false;
  #states: AiReaderStates | undefined;
  /** Readers kept across polls, per project set. */
  #readers: { key: string; readers: AiSourceReader[] } | undefined;

  constructor(ctx: MonitorContext, config: AiMonitorConfig, options: AiMonitorOptions = {}) {
    super("ai", ctx);
    this.#config = config;
    this.#options = options;
  }

  protected async onStart(): Promise<void> {
    this.#stopped = false;
    await this.#scan();
    this.#running = this.#read().finally(() => this.#schedule());
  }

  protected async onStop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    await this.#reading;
    for (const proc of this.#scanner.running)
      if (!proc.transcript) await this.#ended(proc, Date.now());
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.poll().finally(() => this.#schedule());
    }, this.#config.pollIntervalMs);
    this.#timer.unref();
  }

  /**
   * One poll: the process table, then the transcripts until everything new is stored (joins a
   * read already running). Errors degrade health, never throw.
   */
  async poll(): Promise<void> {
    this.count("polls");
    await this.#scan();
    await this.#read();
  }

  async #scan(): Promise<void> {
    try {
      const rows = this.#options.listProcesses
        ? await this.#options.listProcesses()
        : await psList();
      const { started, ended } = this.#scanner.scan(rows);
      for (const p of started) {
        if (p.transcript) continue;
        await this.#started(p);
      }
      for (const p of ended) if (!p.transcript) await this.#ended(p, p.goneAt);
    } catch (err) {
      this.count("pollErrors");
      this.setHealth(
        "degraded",
        `process table: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  #read(): Promise<void> {
    if (this.#options.readTranscripts === false) return Promise.resolve();
    this.#reading ??= this.#readSlices().finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  async #readSlices(): Promise<void> {
    const states = (this.#states ??= new AiReaderStates(this.ctx.storage));
    try {
      const source = this.#options.source ?? aiSourceEnvironment(this.#config.roots);
      for (;;) {
        const projects = this.ctx.storage.projects
          .list()
          .map((p) => ({ id: p.id, rootPath: p.rootPath }));
        const key = projects.map((p) => p.rootPath).join("\n");
        if (this.#readers?.key !== key) {
          this.#readers = { key, readers: createAiReaders(this.#config, source, projects) };
        }
        const read = readAiEvents({
          storage: this.ctx.storage,
          config: this.#config,
          source,
          readers: this.#readers.readers,
          states,
          maxBytes: this.#options.sliceBytes ?? 8 * 1024 * 1024,
        });
        for (const s of read.sources) {
          this.count("corruptLines", s.corruptLines);
          this.count("bytesRead", s.bytesRead);
          for (const e of s.errors) this.log.warn({ file: e.file }, e.message);
        }
        for (const event of read.events) await this.emit(event);
        // The events are in the database before the readers' state says they were read.
        await this.ctx.engine.flush();
        read.commit();
        if (this.status().health === "degraded") this.setHealth("healthy");
        if (read.deferredFiles === 0 || this.#stopped) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      states.discard();
      this.count("readErrors");
      this.setHealth(
        "degraded",
        `reading transcripts: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  #project(cwd: string | null): string | undefined {
    if (cwd === null) return undefined;
    const projects = this.ctx.storage.projects
      .list()
      .map((p) => ({ id: p.id, rootPath: p.rootPath }));
    return new ProjectJoiner(projects).match(cwd)?.id;
  }

  async #started(p: AiProcess): Promise<void> {
    const projectId = this.#project(p.cwd);
    await this.emit({
      id: `ai-${stableId(p.tool, "process", p.key, p.startedAt)}`,
      type: "ai.session_started",
      source: "ai",
      timestamp: p.startedAt,
      ...(projectId ? { projectId } : {}),
      data: {
        tool: p.tool,
        sessionId: `process-${p.key.replace(":", "-")}`,
        detectedBy: "process",
        pid: p.pid,
        ...(p.cwd ? { cwd: p.cwd } : {}),
      },
    });
  }

  async #ended(p: AiProcess, at: number): Promise<void> {
    const projectId = this.#project(p.cwd);
    await this.emit({
      id: `ai-${stableId(p.tool, "process_end", p.key, p.startedAt)}`,
      type: "ai.session_ended",
      source: "ai",
      timestamp: at,
      ...(projectId ? { projectId } : {}),
      data: {
        tool: p.tool,
        sessionId: `process-${p.key.replace(":", "-")}`,
        durationMs: Math.max(0, at - p.startedAt),
        reason: "process_gone",
        lastActivity: at,
      },
    });
  }
}
