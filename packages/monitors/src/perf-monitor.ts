import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { basename, resolve } from "node:path";
import { DevflowError, isDevflowError, newEventId } from "@devflow/events";
import psList from "ps-list";
import { BaseMonitor, type MonitorContext } from "./base-monitor.js";
import type { MonitorsConfig } from "./config.js";
import {
  classifyCommand,
  classifyScript,
  type RunClass,
  sanitizeCommand,
} from "./perf/classify.js";
import { isInside, realDir } from "./perf/proc.js";
import { type EndedProcess, ProcessScanner } from "./perf/process-scan.js";
import { type ParsedReport, ReportWatcher } from "./perf/report-watcher.js";

/** Options of {@link PerfMonitor} beyond the config. */
export interface PerfMonitorOptions {
  /**
   * After a detected test run ends, wait this long for a JUnit report to tell whether it passed
   * before emitting `build.finished` with `success: null` (default 5000 ms).
   */
  reportWaitMs?: number;
  /** Read a report this long after its last write (default 300 ms). */
  reportSettleMs?: number;
  /** How deep below the project root reports are looked for (default 6). */
  reportDepth?: number;
  /** Watch for JUnit and coverage reports (default true). */
  watchReports?: boolean;
}

/** Options of {@link PerfMonitor.run}. */
export interface RunOptions {
  /** Working directory, inside the project (default: the project root). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receive stdout/stderr chunks; without it the child inherits this process's stdio. */
  onOutput?: (stream: "stdout" | "stderr", chunk: Buffer) => void;
  /** Override the detected tool / kind (default: classified from the command line). */
  tool?: string;
  kind?: "build" | "test";
  /** Aborting kills the child (it then finishes with `exitCode: null`, `success: false`). */
  signal?: AbortSignal;
}

/** The outcome of {@link PerfMonitor.run}. */
export interface RunResult extends RunClass {
  runId: string;
  exitCode: number | null;
  /** The signal that ended the child, if any. */
  signal: NodeJS.Signals | null;
  success: boolean;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
}

interface TrackedRun extends RunClass {
  runId: string;
  /** `exec`: started by {@link PerfMonitor.run}; `process`: found in the process table. */
  origin: "exec" | "process";
  command: string;
  startedAt: number;
  endedAt?: number;
  /** Known only for runs DevFlow started itself. */
  exitCode: number | null;
  /** Failed tests from a JUnit report of this run, when one appeared. */
  failedTests?: number;
  timer?: NodeJS.Timeout;
}

/**
 * PerfMonitor: build and test runs of one project, from three sources.
 * - The process table (ps-list every `pollIntervalMs`): runs of known tools (see
 *   `classifyCommand`) whose cwd is inside the project → `build.started` / `build.finished`.
 *   The exit status of a process DevFlow did not start cannot be read, so `exitCode` is `null`
 *   and `success` comes from a JUnit report of the run, or is `null` (unknown).
 * - {@link PerfMonitor.run}: commands DevFlow runs itself (`devflow exec -- npm test`), with
 *   the real exit code.
 * - JUnit XML and coverage reports (lcov, istanbul json-summary) written inside the project →
 *   `test.run_finished` with `origin` `junit` or `coverage`, linked to the run they belong to.
 */
export class PerfMonitor extends BaseMonitor {
  readonly #config: MonitorsConfig["perf"];
  readonly #options: PerfMonitorOptions;
  readonly #ownPids = new Set<number>();
  readonly #processRuns = new Map<string, TrackedRun>();
  readonly #execRuns = new Set<TrackedRun>();
  readonly #pending = new Map<string, TrackedRun>();
  #recent: TrackedRun[] = [];
  #root = "";
  #scanner: ProcessScanner | undefined;
  #reports: ReportWatcher | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #running = false;
  readonly #pollWaiters: Array<() => void> = [];
  readonly #handling = new Set<Promise<void>>();
  #degradedBy: "poll" | "report" | null = null;

  constructor(
    ctx: MonitorContext,
    config: MonitorsConfig["perf"],
    options: PerfMonitorOptions = {},
  ) {
    super("perf", ctx);
    this.#config = config;
    this.#options = options;
  }

  protected async onStart(): Promise<void> {
    this.#root = this.#projectRoot();
    this.#scanner = new ProcessScanner(this.#root);
    this.#running = true;
    if (this.#options.watchReports !== false) {
      this.#reports = new ReportWatcher(this.#root, {
        depth: this.#options.reportDepth,
        settleMs: this.#options.reportSettleMs,
        onReport: (report) => {
          const p = this.#onReport(report).finally(() => this.#handling.delete(p));
          this.#handling.add(p);
        },
        onError: (err, path) => this.#onReportError(err, path),
      });
      await this.#reports.start();
    }
    this.#polling = this.#pollLoop();
  }

  protected async onStop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#pollTimer);
    await this.#polling;
    for (const wake of this.#pollWaiters.splice(0)) wake();
    await this.#reports?.close();
    this.#reports = undefined;
    await Promise.allSettled([...this.#handling]);
    const abandoned = this.#scanner?.clear() ?? [];
    if (abandoned.length > 0) this.log.info({ runs: abandoned.length }, "runs still going at stop");
    this.#processRuns.clear();
    for (const run of [...this.#pending.values()]) await this.#emitFinished(run);
  }

  /**
   * Runs `command` inside the project, streaming its output (inherited stdio, or `onOutput`),
   * and records `build.started` / `build.finished` with the real exit code.
   *
   * @throws {@link DevflowError} `MONITORS_NO_PROJECT`, `MONITORS_OUTSIDE_PROJECT` (cwd),
   *   `MONITORS_RUN_FAILED` when the command cannot be started (nothing is recorded then).
   */
  async run(
    command: string,
    args: readonly string[] = [],
    options: RunOptions = {},
  ): Promise<RunResult> {
    const root = this.#root || this.#projectRoot();
    const cwd = realDir(options.cwd === undefined ? root : resolve(root, options.cwd));
    if (!isInside(cwd, root)) {
      throw new DevflowError(
        "MONITORS_OUTSIDE_PROJECT",
        `run(): ${cwd} is not inside the project ${root}`,
      );
    }
    const line = [command, ...args].join(" ");
    const cls = classifyCommand(line) ?? classifyScript(line);
    const child = spawn(command, args, {
      cwd,
      env: options.env ?? process.env,
      stdio: options.onOutput ? ["inherit", "pipe", "pipe"] : "inherit",
      signal: options.signal,
    });
    try {
      await new Promise<void>((ok, fail) => {
        child.once("spawn", ok);
        child.once("error", fail);
      });
    } catch (err) {
      throw new DevflowError(
        "MONITORS_RUN_FAILED",
        `cannot run ${command}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    const pid = child.pid!;
    this.#ownPids.add(pid);
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once("close", (code, signal) => done({ code, signal })),
    );
    child.on("error", (err) => this.log.warn({ err, pid }, "child process error"));
    if (options.onOutput) {
      child.stdout?.on("data", (c: Buffer) => options.onOutput!("stdout", c));
      child.stderr?.on("data", (c: Buffer) => options.onOutput!("stderr", c));
    }
    const run: TrackedRun = {
      runId: newEventId(),
      tool: options.tool ?? cls?.tool ?? basename(command),
      kind: options.kind ?? cls?.kind ?? "build",
      origin: "exec",
      command: sanitizeCommand(line, root, homedir()),
      startedAt: Date.now(),
      exitCode: null,
    };
    this.#execRuns.add(run);
    await this.#emitStarted(run);
    const { code, signal } = await closed;
    run.endedAt = Date.now();
    run.exitCode = code;
    this.#execRuns.delete(run);
    // A poll that listed the child just before it exited must still know it is ours.
    setTimeout(() => this.#ownPids.delete(pid), this.#config.pollIntervalMs * 3).unref();
    await this.#emitFinished(run);
    return {
      runId: run.runId,
      tool: run.tool,
      kind: run.kind,
      exitCode: code,
      signal,
      success: code === 0,
      startedAt: run.startedAt,
      finishedAt: run.endedAt,
      durationMs: run.endedAt - run.startedAt,
    };
  }

  #projectRoot(): string {
    const project = this.ctx.project;
    if (!project) {
      throw new DevflowError("MONITORS_NO_PROJECT", "PerfMonitor needs a project (ctx.project)");
    }
    return realDir(project.rootPath);
  }

  async #pollLoop(): Promise<void> {
    try {
      await this.#poll();
    } finally {
      for (const wake of this.#pollWaiters.splice(0)) wake();
    }
    if (!this.#running) return;
    this.#pollTimer = setTimeout(() => {
      this.#polling = this.#pollLoop();
    }, this.#config.pollIntervalMs);
    this.#pollTimer.unref();
  }

  async #poll(): Promise<void> {
    let rows;
    try {
      rows = await psList({ all: false });
    } catch (err) {
      this.count("pollErrors");
      this.#degradedBy = "poll";
      const message = `cannot list processes: ${err instanceof Error ? err.message : String(err)}`;
      this.setHealth("degraded", message, "PerfMonitor reads the process table with `ps` (procps)");
      return;
    }
    if (!this.#running || !this.#scanner) return;
    if (this.#degradedBy === "poll") this.#recover();
    this.count("polls");
    const now = Date.now();
    const { started, ended } = this.#scanner.scan(rows, now, this.#ownPids);
    for (const p of started) {
      const run: TrackedRun = {
        runId: newEventId(),
        tool: p.tool,
        kind: p.kind,
        origin: "process",
        command: sanitizeCommand(p.cmd, this.#root, homedir()),
        startedAt: p.startedAt,
        exitCode: null,
      };
      this.#processRuns.set(p.key, run);
      await this.#emitStarted(run);
    }
    for (const e of ended) await this.#processEnded(e);
  }

  async #processEnded(e: EndedProcess): Promise<void> {
    const run = this.#processRuns.get(e.key);
    if (!run) return;
    this.#processRuns.delete(e.key);
    // It ended between the last poll that saw it and this one: take the middle (±poll/2).
    run.endedAt = Math.max(run.startedAt, Math.round((e.lastSeenAt + e.goneAt) / 2));
    const wait = this.#options.reportWaitMs ?? 5000;
    if (run.kind === "test" && run.failedTests === undefined && this.#reports && wait > 0) {
      this.#pending.set(run.runId, run);
      run.timer = setTimeout(() => void this.#emitFinished(run), wait);
      run.timer.unref();
      return;
    }
    await this.#emitFinished(run);
  }

  async #emitStarted(run: TrackedRun): Promise<void> {
    await this.emit({
      source: this.name,
      type: "build.started",
      timestamp: run.startedAt,
      correlationId: run.runId,
      data: { runId: run.runId, tool: run.tool, kind: run.kind, command: run.command },
    });
  }

  async #emitFinished(run: TrackedRun): Promise<void> {
    clearTimeout(run.timer);
    this.#pending.delete(run.runId);
    const endedAt = run.endedAt ?? Date.now();
    const durationMs = endedAt - run.startedAt;
    // DevFlow's own runs: the exit code (killed by a signal = failed). Detected runs: a JUnit
    // report of the run if one appeared, else unknown — never guessed.
    const success =
      run.origin === "exec"
        ? run.exitCode === 0
        : run.failedTests !== undefined
          ? run.failedTests === 0
          : null;
    await this.emit({
      source: this.name,
      type: "build.finished",
      timestamp: endedAt,
      duration: durationMs,
      correlationId: run.runId,
      data: {
        runId: run.runId,
        tool: run.tool,
        kind: run.kind,
        command: run.command,
        exitCode: run.exitCode,
        success,
        durationMs,
      },
    });
    this.count("runs");
    const keepFor = Math.max(this.#options.reportWaitMs ?? 5000, 1000) * 2;
    this.#recent = [...this.#recent.filter((r) => (r.endedAt ?? 0) > Date.now() - keepFor), run];
  }

  /** The run a report belongs to: a test run going on or awaiting its report, else a recent one. */
  #runFor(): TrackedRun | undefined {
    const latest = (runs: TrackedRun[]) =>
      runs.filter((r) => r.kind === "test").sort((a, b) => b.startedAt - a.startedAt)[0];
    const keepFor = Math.max(this.#options.reportWaitMs ?? 5000, 1000) * 2;
    return (
      latest([...this.#processRuns.values(), ...this.#execRuns, ...this.#pending.values()]) ??
      latest(this.#recent.filter((r) => (r.endedAt ?? 0) > Date.now() - keepFor))
    );
  }

  async #onReport(report: ParsedReport): Promise<void> {
    if (this.#degradedBy === "report") this.#recover();
    this.count("reports");
    let run = this.#runFor();
    if (run === undefined && this.#running) {
      // The report may come from a run that started after the last poll: look once more.
      await new Promise<void>((resolve) => this.#pollWaiters.push(resolve));
      run = this.#runFor();
    }
    const link = run ? { runId: run.runId } : {};
    if (report.format === "junit") {
      const s = report.summary;
      await this.emit({
        source: this.name,
        type: "test.run_finished",
        correlationId: run?.runId,
        data: {
          ...link,
          tool: run?.tool ?? junitTool(report.path, s.name),
          origin: "junit",
          report: report.path,
          passed: s.passed,
          failed: s.failed,
          skipped: s.skipped,
          ...(s.durationMs === undefined ? {} : { durationMs: s.durationMs }),
        },
      });
      if (run && run.failedTests === undefined) {
        run.failedTests = s.failed;
        if (this.#pending.has(run.runId)) await this.#emitFinished(run);
      }
      return;
    }
    const { files: _files, ...coverage } = report.summary;
    await this.emit({
      source: this.name,
      type: "test.run_finished",
      correlationId: run?.runId,
      data: {
        ...link,
        tool: run?.tool ?? report.format,
        origin: "coverage",
        report: report.path,
        coverage,
      },
    });
  }

  #onReportError(err: unknown, path: string): void {
    if (isDevflowError(err) && err.code === "MONITORS_BAD_REPORT") {
      this.count("badReports");
      this.#degradedBy = "report";
      this.setHealth(
        "degraded",
        err.message,
        `fix or remove ${path}; it is read again when it changes`,
      );
      return;
    }
    this.count("reportErrors");
    this.log.warn({ err, path }, "report watcher error");
  }

  #recover(): void {
    this.#degradedBy = null;
    this.setHealth("healthy");
  }
}

/** The tool a JUnit report comes from, when no run is linked: from its root name or path. */
function junitTool(path: string, name: string | undefined): string {
  const n = (name ?? "").toLowerCase();
  for (const tool of ["vitest", "jest", "pytest", "mocha", "playwright"])
    if (n.includes(tool)) return tool;
  if (/(^|\/)(surefire|failsafe)-reports\//.test(path)) return "mvn";
  if (/(^|\/)build\/test-results\//.test(path)) return "gradle";
  if (/(^|\/)nextest\//.test(path)) return "cargo";
  return "junit";
}
