/**
 * @module file-monitor/fs-util
 * Small async helpers for the file monitor's scans.
 */
import type { Stats } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import { DevflowError } from "@devflow/events";

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** What a `lstat` found: the stats, `null` when the path is gone, `undefined` on other errors. */
export type Probe = Stats | null | undefined;

/** `lstat` that never throws: `null` for a missing path, `undefined` (and `onError`) otherwise. */
export async function probe(path: string, onError: (err: unknown) => void): Promise<Probe> {
  try {
    return await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    onError(err);
    return undefined;
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The real path of an existing directory.
 *
 * @throws {@link DevflowError} `MONITORS_ROOT_NOT_FOUND` when it is missing or not a directory.
 */
export async function resolveDirectory(path: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
    if ((await stat(real)).isDirectory()) return real;
  } catch (err) {
    throw new DevflowError("MONITORS_ROOT_NOT_FOUND", `project root not found: ${path}`, {
      cause: err,
    });
  }
  throw new DevflowError("MONITORS_ROOT_NOT_FOUND", `project root is not a directory: ${real}`);
}
