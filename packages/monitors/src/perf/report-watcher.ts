import { createHash } from "node:crypto";
import type { Stats } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import {
  badReport,
  type CoverageSummary,
  type JUnitSummary,
  parseIstanbulSummary,
  parseJUnitXml,
  parseLcov,
  type ReportFormat,
} from "./reports.js";

/** A parsed report file. `path` is relative to the project root, with `/` separators. */
export type ParsedReport =
  | { format: "junit"; path: string; summary: JUnitSummary }
  | { format: "lcov" | "istanbul"; path: string; summary: CoverageSummary };

/** Reports larger than this are refused rather than read into memory. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** Directories never descended into: dependencies, VCS data, caches, virtualenvs, output. */
const SKIPPED_DIRS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  ".venv",
  "venv",
  "__pycache__",
  ".tox",
  ".nox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".turbo",
  ".next",
  ".nuxt",
  ".cache",
  ".gradle",
  ".idea",
  ".vscode",
  "dist",
  "lcov-report",
]);
/** Under a `target/` (Cargo, Maven) only these report directories are watched. */
const TARGET_REPORT_DIRS = /^(surefire-reports|failsafe-reports|test-reports|nextest)$/;

/**
 * The report format of a project-relative path, or `null` when it is not a likely report:
 * `**∕junit*.xml`, `**∕TEST-*.xml`, `**∕*.junit.xml`, `**∕test-results/**∕*.xml`,
 * `**∕{surefire,failsafe}-reports/*.xml`, `**∕lcov.info`, `**∕coverage-summary.json`.
 */
export function reportFormatOf(relPath: string): ReportFormat | null {
  const parts = relPath.split(/[\\/]/);
  const name = parts.at(-1) ?? "";
  if (name === "lcov.info") return "lcov";
  if (name === "coverage-summary.json") return "istanbul";
  if (!name.toLowerCase().endsWith(".xml")) return null;
  if (/^junit/i.test(name) || /^TEST-.+/.test(name) || /\.junit\.xml$/i.test(name)) return "junit";
  const dirs = parts.slice(0, -1);
  return dirs.some((d) => d === "test-results" || TARGET_REPORT_DIRS.test(d)) ? "junit" : null;
}

/** True for paths the report watcher never looks at (see {@link SKIPPED_DIRS}). */
function skippedDir(relPath: string): boolean {
  const parts = relPath.split(/[\\/]/);
  if (parts.some((p) => SKIPPED_DIRS.has(p))) return true;
  const t = parts.indexOf("target");
  return t >= 0 && t + 1 < parts.length && !TARGET_REPORT_DIRS.test(parts[t + 1]!);
}

/**
 * Reads and parses one report. Returns `null` when the file vanished or is not a report path.
 *
 * @throws {@link DevflowError} `MONITORS_BAD_REPORT` for malformed or oversized reports.
 */
async function readReport(
  root: string,
  relPath: string,
): Promise<{ report: ParsedReport; digest: string } | null> {
  const format = reportFormatOf(relPath);
  if (format === null) return null;
  const abs = join(root, relPath);
  let text: string;
  try {
    const info = await stat(abs);
    if (!info.isFile()) return null;
    if (info.size > MAX_REPORT_BYTES) {
      throw badReport(format, relPath, `larger than ${MAX_REPORT_BYTES} bytes (${info.size})`);
    }
    text = await readFile(abs, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  const digest = createHash("sha1").update(text).digest("hex");
  const report: ParsedReport =
    format === "junit"
      ? { format, path: relPath, summary: parseJUnitXml(text, relPath) }
      : {
          format,
          path: relPath,
          summary:
            format === "lcov" ? parseLcov(text, relPath) : parseIstanbulSummary(text, relPath),
        };
  return { report, digest };
}

/** Options of {@link ReportWatcher}. */
export interface ReportWatcherOptions {
  /** How deep below the root reports are looked for (default 6). */
  depth?: number;
  /** Wait this long after the last write to a report before reading it (default 300 ms). */
  settleMs?: number;
  onReport: (report: ParsedReport) => void;
  onError: (err: unknown, relPath: string) => void;
}

/**
 * Watches a project for test and coverage reports: chokidar on the root, never descending
 * into {@link SKIPPED_DIRS}, depth-limited, and tracking only files whose path is a likely
 * report. Existing reports are not read at start (they belong to earlier runs); a rewrite with
 * identical content is not reported twice.
 */
export class ReportWatcher {
  readonly #root: string;
  readonly #options: ReportWatcherOptions;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #digests = new Map<string, string>();
  readonly #reading = new Set<Promise<void>>();
  #watcher: FSWatcher | undefined;

  constructor(root: string, options: ReportWatcherOptions) {
    this.#root = root;
    this.#options = options;
  }

  /** Starts watching; resolves once the initial scan is done. */
  async start(): Promise<void> {
    const root = this.#root;
    const ignored = (path: string, stats?: Stats): boolean => {
      const rel = relative(root, path);
      if (rel === "" || rel.startsWith("..")) return false;
      if (skippedDir(rel)) return true;
      return stats?.isFile() === true && reportFormatOf(rel) === null;
    };
    const watcher = watch(root, {
      ignoreInitial: true,
      depth: this.#options.depth ?? 6,
      ignored,
      ignorePermissionErrors: true,
      followSymlinks: false,
    });
    this.#watcher = watcher;
    const onFile = (path: string) => this.#schedule(relative(root, path).split(sep).join("/"));
    watcher.on("add", onFile);
    watcher.on("change", onFile);
    watcher.on("error", (err) => this.#options.onError(err, "."));
    await new Promise<void>((resolve) => watcher.once("ready", resolve));
  }

  /** Stops watching and waits for reads in progress. */
  async close(): Promise<void> {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    await this.#watcher?.close();
    this.#watcher = undefined;
    await Promise.allSettled([...this.#reading]);
  }

  #schedule(relPath: string): void {
    if (reportFormatOf(relPath) === null) return;
    clearTimeout(this.#timers.get(relPath));
    const timer = setTimeout(() => {
      this.#timers.delete(relPath);
      const p = this.#read(relPath).finally(() => this.#reading.delete(p));
      this.#reading.add(p);
    }, this.#options.settleMs ?? 300);
    timer.unref();
    this.#timers.set(relPath, timer);
  }

  async #read(relPath: string): Promise<void> {
    try {
      const result = await readReport(this.#root, relPath);
      if (result === null || this.#digests.get(relPath) === result.digest) return;
      this.#digests.set(relPath, result.digest);
      this.#options.onReport(result.report);
    } catch (err) {
      this.#options.onError(err, relPath);
    }
  }
}
