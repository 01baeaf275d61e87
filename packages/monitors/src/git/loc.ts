/**
 * @module loc
 * Lines of code of the working tree (non-blank lines per file), the `loc` input of the hotspot
 * analysis of `@devflow/analyzers`.
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, normalize } from "node:path";

/** Options of {@link countLinesOfCode}. */
export interface CountLinesOptions {
  /** Files read at the same time; default 16. */
  concurrency?: number;
  /** Larger files are skipped as generated or data (default 16 MiB). */
  maxBytes?: number;
}

/** Non-blank lines of a text buffer, or `null` when it looks binary (a NUL in the first 8000 bytes). */
export function countNonBlankLines(buf: Buffer): number | null {
  const probe = Math.min(buf.length, 8000);
  for (let i = 0; i < probe; i++) if (buf[i] === 0) return null;
  let lines = 0;
  let blank = true;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === 10) {
      if (!blank) lines++;
      blank = true;
    } else if (blank && c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) blank = false;
  }
  if (!blank) lines++;
  return lines;
}

/**
 * Counts the lines of code (non-blank lines) of files in the working tree under `root`, for
 * hotspots. Paths are relative to `root` (as stored in `commit_files`); missing, unreadable,
 * binary and oversized files are left out of the result, so they rank as no current code.
 */
export async function countLinesOfCode(
  root: string,
  paths: Iterable<string>,
  options: CountLinesOptions = {},
): Promise<Map<string, number>> {
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const queue = [...paths].filter((p) => !isAbsolute(p) && !normalize(p).startsWith(".."));
  const result = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const path = queue[next++]!;
      const file = join(root, path);
      try {
        const info = await stat(file);
        if (!info.isFile() || info.size > maxBytes) continue;
        const lines = countNonBlankLines(await readFile(file));
        if (lines !== null) result.set(path, lines);
      } catch {
        // Gone or unreadable: not current code.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return result;
}
