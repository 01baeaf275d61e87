import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Where an incremental read of one file stopped. */
export interface FileCursor {
  /** Inode at the last read: a new inode means the file was replaced. */
  ino: number;
  /** Bytes consumed: everything before this offset was read (whole lines only). */
  offset: number;
  /** File size at the last read. */
  size: number;
  mtimeMs: number;
  /** SHA-1 (hex, 16) of up to 256 bytes just before `offset`: detects a rewrite in place. */
  tail: string;
}

/** The bytes of one line of a file, with its position. */
export interface LineSlice {
  buf: Buffer;
  start: number;
  end: number;
  /** Byte offset of the line in the file. */
  offset: number;
}

/** What {@link readNewLines} did. */
export interface TailResult {
  cursor: FileCursor;
  /** True when the file was read from the start because it was truncated, replaced or rewritten. */
  restarted: boolean;
  bytesRead: number;
  lines: number;
}

const CHUNK = 4 * 1024 * 1024;
const TAIL_BYTES = 256;

function tailHash(fd: number, offset: number): string {
  if (offset === 0) return "";
  const len = Math.min(TAIL_BYTES, offset);
  const buf = Buffer.allocUnsafe(len);
  const n = readSync(fd, buf, 0, len, offset - len);
  return createHash("sha1").update(buf.subarray(0, n)).digest("hex").slice(0, 16);
}

/**
 * Reads the complete lines a file gained since `cursor` (all of it without one), calling
 * `onLine` for each non-empty line. A file whose inode changed, that shrank below the cursor,
 * or whose bytes before the cursor changed is read again from the start (`restarted`). A last
 * line without its newline is left for the next read, so a line being written is never split.
 */
export function readNewLines(
  path: string,
  cursor: FileCursor | undefined,
  onLine: (line: LineSlice) => void,
  onRestart?: () => void,
): TailResult {
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    let start = 0;
    let restarted = false;
    if (cursor !== undefined) {
      const same =
        cursor.ino === st.ino &&
        st.size >= cursor.offset &&
        tailHash(fd, cursor.offset) === cursor.tail;
      if (same) start = cursor.offset;
      else {
        restarted = true;
        onRestart?.();
      }
    }
    if (cursor !== undefined && !restarted && st.size === cursor.offset) {
      return {
        cursor: { ...cursor, size: st.size, mtimeMs: st.mtimeMs },
        restarted,
        bytesRead: 0,
        lines: 0,
      };
    }
    let pos = start;
    let lines = 0;
    let bytesRead = 0;
    let carry: Buffer | null = null;
    const buf = Buffer.allocUnsafe(Math.max(4096, Math.min(CHUNK, st.size - start + 1)));
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos + (carry?.length ?? 0));
      if (n === 0) break;
      bytesRead += n;
      const data: Buffer = carry ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let lineStart = 0;
      for (;;) {
        const nl = data.indexOf(10, lineStart);
        if (nl < 0) break;
        let end = nl;
        if (end > lineStart && data[end - 1] === 13) end--;
        if (end > lineStart) {
          onLine({ buf: data, start: lineStart, end, offset: pos + lineStart });
          lines++;
        }
        lineStart = nl + 1;
      }
      pos += lineStart;
      carry = lineStart < data.length ? Buffer.from(data.subarray(lineStart)) : null;
    }
    return {
      cursor: {
        ino: st.ino,
        offset: pos,
        size: st.size,
        mtimeMs: st.mtimeMs,
        tail: tailHash(fd, pos),
      },
      restarted,
      bytesRead,
      lines,
    };
  } finally {
    closeSync(fd);
  }
}

/** True when `slice` contains `marker` (bytes), without decoding the line. */
export function lineHas(slice: LineSlice, marker: Buffer): boolean {
  return slice.buf.subarray(slice.start, slice.end).indexOf(marker) >= 0;
}

/** Decodes a line as UTF-8 text. */
export function lineText(slice: LineSlice): string {
  return slice.buf.toString("utf8", slice.start, slice.end);
}
