import psList from "ps-list";
import { BaseMonitor, type MonitorContext } from "../base-monitor.js";
import type { AiMonitorConfig } from "./config.js";
import { stableId } from "./fingerprint.js";
import { type AiProcess, type AiProcessRow, AiProcessScanner } from "./process-detect.js";
import { processSourceEnvironment, type SourceEnvironment } from "./roots.js";
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
}

/**
 * AiMonitor: machine-wide AI-assistant sessions. Every `pollIntervalMs` it reads the
 * assistants' local records incrementally (Claude Code, Codex CLI, Gemini CLI, Aider; see
 * `readAiEvents`) and emits the new `ai.*` events, and scans the process table: assistants that
 * write no transcript DevFlow reads (Cursor, Claude Desktop, ChatGPT, Copilot CLI, OpenCode)
 * get `ai.session_started`/`ai.session_ended` (`detectedBy: "process"`) from their process
 * (the others' sessions come from their transcripts).
 */
export class AiMonitor extends BaseMonitor {
  readonly #config: AiMonitorConfig;
  readonly #options: AiMonitorOptions;
  readonly #scanner = new AiProcessScanner();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Readers kept across polls (their directory listings are cached), per project set. */
  #readers: { key: string; readers: AiSourceReader[] } | undefined;

  constructor(ctx: MonitorContext, config: AiMonitorConfig, options: AiMonitorOptions = {}) {
    super("ai", ctx);
    this.#config = config;
    this.#options = options;
  }

  protected async onStart(): Promise<void> {
    this.#stopped = false;
    await this.poll();
    this.#schedule();
  }

  protected async onStop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
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

  /** One poll: the process table, then the transcripts. Errors degrade health, never throw. */
  async poll(): Promise<void> {
    this.count("polls");
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
    if (this.#options.readTranscripts === false) return;
    try {
      const source = this.#options.source ?? processSourceEnvironment();
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
      });
      for (const s of read.sources) {
        this.count("corruptLines", s.corruptLines);
        for (const e of s.errors) this.log.warn({ file: e.file }, e.message);
      }
      for (const event of read.events) await this.emit(event);
      read.commit();
      if (this.status().health === "degraded") this.setHealth("healthy");
    } catch (err) {
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
