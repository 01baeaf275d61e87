/**
 * @module file-monitor/line-count
 * Line counts of text files, for line deltas. The content is read, counted and dropped: it is
 * never kept, logged or stored.
 */
import { open } from "node:fs/promises";

/** Files larger than this are not read (their events carry no line delta). */
const MAX_LINE_COUNT_BYTES = 2 * 1024 * 1024;
/** A NUL byte in the first this-many bytes marks a file as binary (git's heuristic). */
const BINARY_SNIFF_BYTES = 8000;
const NEWLINE = 0x0a;

/** Extensions of formats that are binary, so not worth reading to find out. */
const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif bmp ico icns webp avif tif tiff psd heic pdf zip gz tgz bz2 xz zst 7z rar " +
    "jar war ear class dex so dll dylib exe o a lib obj bin dat db sqlite sqlite3 wasm woff woff2 " +
    "ttf otf eot mp3 mp4 m4a m4v mov avi mkv webm wav flac ogg opus pyc pyo node iso dmg deb rpm"
  ).split(" "),
);

function isBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf(".");
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return dot > slash && BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/**
 * The number of lines of a text file (newlines, plus one for an unterminated last line), or
 * `undefined` for binary files, files over {@link MAX_LINE_COUNT_BYTES} and unreadable ones.
 */
export async function countLines(path: string, size: number): Promise<number | undefined> {
  if (size > MAX_LINE_COUNT_BYTES || isBinaryExtension(path)) return undefined;
  if (size === 0) return 0;
  let handle;
  try {
    handle = await open(path, "r");
    // Read at most one byte past the limit: the file may have grown since it was stat'ed.
    const buf = Buffer.allocUnsafe(Math.min(size + 1, MAX_LINE_COUNT_BYTES + 1));
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_LINE_COUNT_BYTES) return undefined;
    const data = buf.subarray(0, length);
    if (data.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
    let lines = 0;
    for (let i = data.indexOf(NEWLINE); i !== -1; i = data.indexOf(NEWLINE, i + 1)) lines++;
    if (length > 0 && data[length - 1] !== NEWLINE) lines++;
    data.fill(0);
    return lines;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** `linesAdded`/`linesRemoved` for a change from `before` to `after` lines (-1/undefined: unknown). */
export function lineDelta(
  before: number,
  after: number | undefined,
): { linesAdded: number; linesRemoved: number } | undefined {
  if (before < 0 || after === undefined) return undefined;
  const delta = after - before;
  return { linesAdded: Math.max(delta, 0), linesRemoved: Math.max(-delta, 0) };
}
