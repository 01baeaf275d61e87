import { open, readFile } from "node:fs/promises";

/** One reflog line: `<old> <new> <name> <<email>> <seconds> <tz>\t<message>`. */
export interface ReflogEntry {
  old: string;
  new: string;
  /** ms since the epoch. */
  time: number;
  message: string;
}

const LINE = /^([0-9a-f]{40,64}) ([0-9a-f]{40,64}) [^\t]*?(\d+) [+-]\d{4}(?:\t(.*))?$/;
const ZERO = /^0+$/;

/** Parses one reflog line; `undefined` when it is not one. */
function parseReflogLine(line: string): ReflogEntry | undefined {
  const match = LINE.exec(line);
  if (!match) return undefined;
  return {
    old: match[1]!,
    new: match[2]!,
    time: Number(match[3]) * 1000,
    message: match[4] ?? "",
  };
}

/** True for the all-zero hash of a ref that did not exist. */
function isZeroHash(hash: string): boolean {
  return ZERO.test(hash);
}

/**
 * Reads the complete lines a reflog gained since `offset` (bytes). When the file shrank (git
 * expired or rewrote it) reading restarts at its end without entries; a missing file reads as
 * empty at offset 0.
 */
export async function readReflogSince(
  path: string,
  offset: number,
): Promise<{ entries: ReflogEntry[]; offset: number; exists: boolean }> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return { entries: [], offset: 0, exists: false };
  }
  try {
    const { size } = await handle.stat();
    if (size < offset) return { entries: [], offset: size, exists: true };
    if (size === offset) return { entries: [], offset, exists: true };
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    const text = buffer.subarray(0, bytesRead);
    const lastNewline = text.lastIndexOf(10);
    if (lastNewline === -1) return { entries: [], offset, exists: true };
    const entries: ReflogEntry[] = [];
    for (const line of text.subarray(0, lastNewline).toString("utf8").split("\n")) {
      const entry = parseReflogLine(line);
      if (entry) entries.push(entry);
    }
    return { entries, offset: offset + lastNewline + 1, exists: true };
  } finally {
    await handle.close();
  }
}

/** The size of a file in bytes, 0 when missing. */
export async function fileSize(path: string): Promise<number> {
  try {
    const handle = await open(path, "r");
    try {
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  } catch {
    return 0;
  }
}

/**
 * The commit a ref was created at: the first entry of its reflog when that entry created it
 * (old hash all zeros); `undefined` without a reflog.
 */
export async function readCreatedAt(path: string): Promise<string | undefined> {
  let text: string;
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const entry = parseReflogLine(text.split("\n", 1)[0] ?? "");
  return entry && isZeroHash(entry.old) ? entry.new : undefined;
}

/** The stash entries (their commits), oldest first, from `logs/refs/stash`; [] when none. */
export async function readStashEntries(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const entry = parseReflogLine(line);
    if (entry) out.push(entry.new);
  }
  return out;
}

/** A rebase that was started and not yet finished, as the HEAD reflog showed it. */
export interface RebaseStart {
  /** HEAD before the rebase. */
  from: string;
  /** The commit the rebase checked out to replay onto. */
  onto: string;
}

/** A finished rebase found in the HEAD reflog. */
interface FinishedRebase {
  branch?: string;
  onto: string;
  from: string;
  to: string;
  time: number;
}

/** What a run of HEAD reflog entries means to the monitor. */
export interface ReflogFindings {
  switches: Array<{ from: string; to: string; hash: string; time: number }>;
  rebases: FinishedRebase[];
  /** A rebase still open at the end of the entries (kept for the next read). */
  pending: RebaseStart | undefined;
}

const CHECKOUT = /^checkout: moving from (.+) to (.+)$/;
const REBASE = /^(.*\brebase\b[^(]*)\((start|finish|abort)\): ?(.*)$/;

/**
 * Interprets HEAD reflog entries: `checkout: moving from A to B` (a switch between names; the
 * caller decides whether B is a branch) and rebases from `rebase (start)` to `rebase (finish)`
 * (also `rebase -i`, `pull --rebase`). `pending` carries an open rebase between reads.
 */
export function interpretReflog(
  entries: readonly ReflogEntry[],
  pending: RebaseStart | undefined,
): ReflogFindings {
  const findings: ReflogFindings = { switches: [], rebases: [], pending };
  for (const e of entries) {
    const checkout = CHECKOUT.exec(e.message);
    if (checkout) {
      findings.switches.push({ from: checkout[1]!, to: checkout[2]!, hash: e.new, time: e.time });
      continue;
    }
    const rebase = REBASE.exec(e.message);
    if (!rebase) continue;
    const phase = rebase[2];
    if (phase === "start") {
      findings.pending = { from: e.old, onto: e.new };
    } else if (phase === "abort") {
      findings.pending = undefined;
    } else if (findings.pending) {
      const target = /^returning to refs\/heads\/(.+)$/.exec(rebase[3] ?? "");
      findings.rebases.push({
        ...(target ? { branch: target[1]! } : {}),
        onto: findings.pending.onto,
        from: findings.pending.from,
        to: e.new,
        time: e.time,
      });
      findings.pending = undefined;
    }
  }
  return findings;
}
