import { relative, sep } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import { DevflowError } from "@devflow/events";
import { type SimpleGit, simpleGit } from "simple-git";
import { BaseMonitor, type MonitorContext, type MonitorProject } from "./base-monitor.js";
import type { MonitorsConfig } from "./config.js";
import { type GitDirs, readRebaseInProgress, resolveGitDirs } from "./git/refs.js";
import {
  type GitMonitorState,
  initialState,
  type ScanContext,
  scanRepository,
} from "./git/scan.js";

/** Tuning of {@link GitMonitor} beyond the config (mostly for tests). */
export interface GitMonitorOptions {
  /** Quiet period after the last `.git` change before a scan; default 150 ms. */
  debounceMs?: number;
}

/** The settings key holding a project's {@link GitMonitorState}. */
export function gitMonitorStateKey(projectId: string): string {
  return `monitors.git.${projectId}.refs`;
}

/** Paths under a git dir whose changes mean refs, HEAD, the stash or a rebase changed. */
function isWatchedGitPath(rel: string): boolean {
  if (rel === "") return true;
  const path = rel.split(sep).join("/");
  if (path === "refs" || path.startsWith("refs/")) return true;
  return [
    "HEAD",
    "ORIG_HEAD",
    "packed-refs",
    "logs",
    "logs/HEAD",
    "logs/refs",
    "logs/refs/stash",
    "rebase-merge",
    "rebase-apply",
  ].includes(path);
}

/**
 * Watches a project's git repository and reports what happens in it: every new commit exactly
 * once (stored in `commits`/`commit_files`, then a `git.commit` event, plus `git.merge` for
 * merges), branches created, switched and deleted, tags, rebases and stash changes.
 *
 * It reacts to changes of `.git/HEAD`, `refs/**`, `packed-refs`, `logs/HEAD`, `ORIG_HEAD` and
 * the rebase directories (never `objects/`), debounced, and polls every `pollIntervalMs` as a
 * fallback. Each scan runs one `git for-each-ref` and, when tips moved, one `git log --numstat`
 * over `<new tips> --not <old tips>`. The tips seen last live in `storage.settings`
 * ({@link gitMonitorStateKey}); the `commits` table decides what is new, so nothing is emitted
 * twice across restarts. The first start on a repository only records its refs: history is
 * {@link importGitHistory}'s job. A directory that is not a git repository leaves the monitor
 * `degraded` (it keeps polling, so a later `git init` is picked up).
 */
export class GitMonitor extends BaseMonitor {
  readonly #project: MonitorProject;
  readonly #config: MonitorsConfig["git"];
  readonly #debounceMs: number;
  #git: SimpleGit | undefined;
  #dirs: GitDirs | undefined;
  #state: GitMonitorState | undefined;
  #watcher: FSWatcher | undefined;
  #poll: NodeJS.Timeout | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #scanning: Promise<void> | undefined;
  #again = false;
  #running = false;
  #reportedMissing = false;

  constructor(ctx: MonitorContext, config: MonitorsConfig["git"], options: GitMonitorOptions = {}) {
    super("git", ctx);
    if (!ctx.project) {
      throw new DevflowError(
        "MONITORS_NO_PROJECT",
        "the git monitor needs a project (ctx.project)",
      );
    }
    this.#project = ctx.project;
    this.#config = config;
    this.#debounceMs = options.debounceMs ?? 150;
  }

  /** Scans now and waits for it (after any scan already running); resolves when done. */
  async scanNow(): Promise<void> {
    if (this.#scanning) {
      this.#again = true;
      await this.#scanning;
      if (!this.#again) return; // the running loop did the extra pass
    }
    if (this.#scanning) return this.#scanning;
    await this.#runScans();
  }

  protected async onStart(): Promise<void> {
    this.#running = true;
    this.#poll = setInterval(() => this.#schedule(0), this.#config.pollIntervalMs);
    this.#poll.unref();
    await this.scanNow();
  }

  protected async onStop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#poll);
    clearTimeout(this.#debounce);
    this.#poll = undefined;
    this.#debounce = undefined;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    await watcher?.close();
    await this.#scanning;
    // A later start finds the repository again, re-watches it and re-reads the stored state.
    this.#dirs = undefined;
    this.#git = undefined;
    this.#state = undefined;
    this.#reportedMissing = false;
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.scanNow(), delayMs);
  }

  #runScans(): Promise<void> {
    this.#scanning = (async () => {
      do {
        this.#again = false;
        await this.#scanOnce();
      } while (this.#again && this.#running);
    })().finally(() => {
      this.#scanning = undefined;
    });
    return this.#scanning;
  }

  /** Finds the repository and starts watching it; false (degraded) when there is none. */
  async #attach(): Promise<boolean> {
    const root = this.#project.rootPath;
    try {
      const git = simpleGit({ baseDir: root });
      if (!(await git.checkIsRepo()))
        throw new DevflowError(
          "MONITORS_NOT_A_REPOSITORY",
          `${root} is not inside a git work tree`,
        );
      this.#dirs = await resolveGitDirs(git);
      this.#git = git;
    } catch (err) {
      this.count("notRepository");
      if (this.#reportedMissing) return false; // already degraded; the poll keeps looking
      this.#reportedMissing = true;
      this.setHealth(
        "degraded",
        `${root} is not a git repository (${err instanceof Error ? err.message : String(err)})`,
        "run `git init` in the project, or disable the git monitor (monitors.git.enabled = false)",
      );
      return false;
    }
    this.#reportedMissing = false;
    await this.#watch(this.#dirs);
    return true;
  }

  async #watch(dirs: GitDirs): Promise<void> {
    const roots = [...new Set([dirs.gitDir, dirs.commonDir])];
    const ignored = (path: string): boolean =>
      !roots.some((root) => {
        const rel = relative(root, path);
        return !rel.startsWith("..") && isWatchedGitPath(rel);
      });
    const watcher = watch(roots, { ignoreInitial: true, ignored, persistent: true });
    watcher.on("all", () => this.#schedule(this.#debounceMs));
    watcher.on("error", (err) => {
      this.count("watchErrors");
      this.log.warn({ err }, "git directory watch failed; the poll continues");
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      watcher.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (!this.#running) await watcher.close();
    else this.#watcher = watcher;
  }

  async #scanOnce(): Promise<void> {
    if (!this.#running) return;
    if (!this.#dirs && !(await this.#attach())) return;
    const ctx: ScanContext = {
      git: this.#git!,
      dirs: this.#dirs!,
      storage: this.ctx.storage,
      projectId: this.#project.id,
      cwd: this.#project.rootPath,
      messages: this.#config.messages,
    };
    const key = gitMonitorStateKey(this.#project.id);
    try {
      this.#state ??= this.ctx.storage.settings.get<GitMonitorState>(key);
      const rebasing = await readRebaseInProgress(ctx.dirs);
      if (rebasing) {
        // Commits made during a rebase may still be rewritten: wait for it to end.
        if (this.#state && JSON.stringify(this.#state.rebasing) !== JSON.stringify(rebasing)) {
          this.#state = { ...this.#state, rebasing };
          this.ctx.storage.settings.set(key, this.#state);
        }
        return;
      }
      if (!this.#state || this.#state.version !== 1) {
        this.#state = await initialState(ctx);
        this.ctx.storage.settings.set(key, this.#state);
        this.count("initialised");
        this.#markHealthy();
        return;
      }
      const result = await scanRepository(ctx, this.#state);
      this.count("scans");
      if (result.commitsListed > 0) this.count("commitsListed", result.commitsListed);
      if (result.commitsStored > 0) this.count("commits", result.commitsStored);
      for (const event of result.events) await this.emit(event);
      if (JSON.stringify(result.state) !== JSON.stringify(this.#state)) {
        this.ctx.storage.settings.set(key, result.state);
      }
      this.#state = result.state;
      this.#markHealthy();
    } catch (err) {
      this.count("scanErrors");
      this.setHealth(
        "degraded",
        `git scan failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  #markHealthy(): void {
    const health = this.status().health;
    if (health === "degraded" || health === "error") this.setHealth("healthy");
  }
}
