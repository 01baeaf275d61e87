import { DevflowError, type EventEngine, type Logger, noopLogger } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { simpleGit } from "simple-git";
import type { MonitorProject } from "../base-monitor.js";
import type { MessagePolicy } from "../privacy.js";
import { commitFacts, toCommitInput } from "./commit-facts.js";
import { gitLogArgs, type ParsedCommit } from "./git-log-parser.js";
import { readRefs, tipCommits } from "./refs.js";
import { revisionsInput, runGit, streamGitLog } from "./run-git.js";

/** Commits stored per transaction by {@link importGitHistory}. */
export const IMPORT_BATCH_SIZE = 500;

/** Options of {@link importGitHistory}. */
export interface ImportGitHistoryOptions {
  storage: Storage;
  project: MonitorProject;
  /** Only commits newer than this (`git log --since`, e.g. `2025-01-01` or `6 months ago`). */
  since?: string;
  /** How much of each message to store; default `redacted` (as the monitors' config). */
  messages?: MessagePolicy;
  /** Commits per transaction; default {@link IMPORT_BATCH_SIZE}. */
  batchSize?: number;
  /** Called after every stored batch (and once at 0) with commits done and the total. */
  onProgress?: (done: number, total: number) => void;
  logger?: Logger;
  /** Stops git and the import; commits stored so far stay (a re-run skips them). */
  signal?: AbortSignal;
  /**
   * The engine to announce the import on: one `git.history_imported` event with the counts once
   * new commits were stored (the commits themselves take the fast path into storage).
   */
  engine?: EventEngine;
}

/** What {@link importGitHistory} did. */
export interface ImportGitHistoryResult {
  /** Commits newly stored. */
  commits: number;
  /** Commits git listed that were already stored (by the monitor or an earlier import). */
  skipped: number;
  /** `commit_files` rows newly stored. */
  files: number;
  /** Commits git listed (the progress total). */
  total: number;
  durationMs: number;
}

/** State of the import in `storage.settings`: the tips the last complete import covered. */
export interface GitImportState {
  tips: string[];
  importedAt: number;
  since?: string;
}

/** The settings key holding a project's {@link GitImportState}. */
export function gitImportStateKey(projectId: string): string {
  return `monitors.git.${projectId}.import`;
}

/**
 * Imports a project's git history into `commits`/`commit_files`: every local branch and tag
 * (the equivalent of `--branches --tags`; remote-tracking refs and stashes are not history
 * here). One `git log --numstat` process streams through an incremental parser and is stored
 * in transactions of {@link IMPORT_BATCH_SIZE} commits; a cheap `git rev-list --count` gives the
 * progress total first. The tips are recorded when the import completes, so the next run lists
 * only `<tips> --not <previous tips>`; commits are idempotent on (project, hash), so an import
 * that overlaps the monitor or an interrupted import stores nothing twice. The commits are not
 * emitted as events (history is not live activity); with `engine`, one `git.history_imported`
 * summary is.
 *
 * @throws {@link DevflowError} `MONITORS_NOT_A_REPOSITORY`, `MONITORS_GIT_FAILED`,
 *   `MONITORS_ABORTED`.
 */
export async function importGitHistory(
  options: ImportGitHistoryOptions,
): Promise<ImportGitHistoryResult> {
  const started = performance.now();
  const { storage, project, signal } = options;
  const log = (options.logger ?? noopLogger).child({
    component: "git-import",
    projectId: project.id,
  });
  const policy = options.messages ?? "redacted";
  const batchSize = Math.max(1, options.batchSize ?? IMPORT_BATCH_SIZE);
  const cwd = project.rootPath;
  let tips: string[];
  try {
    const git = simpleGit({ baseDir: cwd });
    if (!(await git.checkIsRepo()))
      throw new DevflowError("MONITORS_NOT_A_REPOSITORY", `${cwd} is not a git work tree`);
    tips = tipCommits(await readRefs(git));
  } catch (err) {
    throw new DevflowError("MONITORS_NOT_A_REPOSITORY", `${cwd} is not a git repository`, {
      cause: err,
    });
  }
  const key = gitImportStateKey(project.id);
  const previous = storage.settings.get<GitImportState>(key)?.tips ?? [];
  const known = new Set(previous);
  const result: ImportGitHistoryResult = {
    commits: 0,
    skipped: 0,
    files: 0,
    total: 0,
    durationMs: 0,
  };
  if (tips.some((t) => !known.has(t))) {
    const stdin = revisionsInput(tips, previous);
    const since = options.since ? [`--since=${options.since}`] : [];
    const revArgs = ["--ignore-missing", "--stdin", ...since];
    const counted = await runGit(cwd, ["rev-list", "--count", ...revArgs], stdin, signal);
    result.total = Number.parseInt(counted.trim(), 10) || 0;
    options.onProgress?.(0, result.total);
    let batch: ParsedCommit[] = [];
    let done = 0;
    const flush = (): void => {
      if (batch.length === 0) return;
      const files = new Map<string, number>();
      const rows = batch.map((commit) => {
        files.set(commit.hash, commit.files.length);
        return toCommitInput(project.id, commitFacts(commit, policy));
      });
      const inserted = storage.commits.insertNew(rows);
      result.commits += inserted.length;
      result.skipped += rows.length - inserted.length;
      for (const hash of inserted) result.files += files.get(hash) ?? 0;
      done += batch.length;
      batch = [];
      options.onProgress?.(done, Math.max(done, result.total));
    };
    const { malformed } = await streamGitLog({
      cwd,
      args: gitLogArgs(revArgs),
      stdin,
      thread: true, // git keeps computing diffs while a batch is written to SQLite
      ...(signal ? { signal } : {}),
      onCommit: (commit) => {
        batch.push(commit);
        if (batch.length >= batchSize) flush();
      },
    });
    flush();
    if (malformed > 0) log.warn({ malformed }, "git log records that could not be parsed");
  }
  const state: GitImportState = {
    tips,
    importedAt: Date.now(),
    ...(options.since ? { since: options.since } : {}),
  };
  storage.settings.set(key, state);
  result.durationMs = Math.round(performance.now() - started);
  log.info({ ...result }, "git history imported");
  if (options.engine && result.commits > 0) {
    await options.engine.emit({
      type: "git.history_imported",
      source: "git-import",
      projectId: project.id,
      data: { ...result },
    });
  }
  return result;
}
