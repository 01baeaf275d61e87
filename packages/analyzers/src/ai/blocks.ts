import type { UsageEntry } from "./usage-events.js";

/** Claude's billing window: 5 hours from the first request, started on the hour. */
export const BLOCK_MS = 5 * 3_600_000;

/** A 5-hour block: its window, whether it is still running, and how fast it burns. */
export interface BlockInfo {
  /** Start (ms UTC): the first request's time, floored to the hour. */
  start: number;
  /** End of the window: start + 5 h. */
  end: number;
  isActive: boolean;
  /** Per minute of the span from the first to the last request (null for a single request). */
  burnRate: { tokensPerMinute: number; costPerHour: number } | null;
  /** For the active block: totals at the end of the window at the current burn rate. */
  projection: { totalTokens: number; costUsd: number; remainingMinutes: number } | null;
}

/**
 * Splits requests into Claude's 5-hour blocks: a block starts at the first request's hour and
 * holds every request within 5 h of that start; a request after the window, or after a gap of
 * 5 h, starts the next one. The last block is active while now is inside its window and less
 * than 5 h after its last request.
 */
export function sessionBlocks(
  entries: readonly UsageEntry[],
  now: number,
): Array<{ key: string; entries: UsageEntry[]; info: BlockInfo }> {
  const sorted = [...entries].sort((a, b) => a.timestamp - b.timestamp);
  const blocks: Array<{ start: number; entries: UsageEntry[] }> = [];
  for (const e of sorted) {
    const cur = blocks[blocks.length - 1];
    const last = cur?.entries[cur.entries.length - 1];
    if (
      !cur ||
      !last ||
      e.timestamp - cur.start >= BLOCK_MS ||
      e.timestamp - last.timestamp >= BLOCK_MS
    ) {
      const start = e.timestamp - (e.timestamp % 3_600_000);
      blocks.push({ start, entries: [e] });
    } else cur.entries.push(e);
  }
  return blocks.map((b) => {
    const first = b.entries[0]!.timestamp;
    const last = b.entries[b.entries.length - 1]!.timestamp;
    let tokens = 0;
    let cost = 0;
    for (const e of b.entries) {
      tokens += e.inputTokens + e.outputTokens + e.cacheWriteTokens + e.cacheReadTokens;
      cost += e.costUsd ?? 0;
    }
    const minutes = (last - first) / 60_000;
    const burnRate =
      minutes > 0
        ? { tokensPerMinute: tokens / minutes, costPerHour: (cost / minutes) * 60 }
        : null;
    const end = b.start + BLOCK_MS;
    const isActive = now < end && now - last < BLOCK_MS;
    const remainingMinutes = Math.max(0, (end - now) / 60_000);
    return {
      key: new Date(b.start).toISOString(),
      entries: b.entries,
      info: {
        start: b.start,
        end,
        isActive,
        burnRate,
        projection:
          isActive && burnRate
            ? {
                totalTokens: Math.round(tokens + burnRate.tokensPerMinute * remainingMinutes),
                costUsd: cost + (burnRate.costPerHour / 60) * remainingMinutes,
                remainingMinutes: Math.round(remainingMinutes),
              }
            : null,
      },
    };
  });
}
