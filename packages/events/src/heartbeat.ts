import type { DevflowEvent, EventOf } from "./schemas.js";

/** A heartbeat event. */
export type HeartbeatEvent = EventOf<"activity.heartbeat">;

function sameData(a: HeartbeatEvent["data"], b: HeartbeatEvent["data"]): boolean {
  return a.category === b.category && a.language === b.language && a.entity === b.entity;
}

/**
 * ActivityWatch's heartbeat rule: when `next` carries the same data as `last` and starts no
 * later than `pulsetimeMs` after `last` ended, `last` is extended to cover `next` instead of a
 * new row being added. Returns the extended event (same id as `last`) or `null`.
 */
export function mergeHeartbeat(
  last: HeartbeatEvent,
  next: HeartbeatEvent,
  pulsetimeMs: number,
): HeartbeatEvent | null {
  if (last.projectId !== next.projectId || last.source !== next.source) return null;
  if (!sameData(last.data, next.data)) return null;
  const lastEnd = last.timestamp + (last.duration ?? 0);
  if (next.timestamp < last.timestamp || next.timestamp > lastEnd + pulsetimeMs) return null;
  const end = Math.max(lastEnd, next.timestamp + (next.duration ?? 0));
  return { ...last, duration: end - last.timestamp };
}

/** Keeps the last heartbeat per project and source and merges new ones into it. */
export class HeartbeatMerger {
  readonly #last = new Map<string, HeartbeatEvent>();

  constructor(private readonly pulsetimeMs: number) {}

  /** Returns `{ merged: true, event }` with the extended heartbeat, or the new one unchanged. */
  push(event: HeartbeatEvent): { merged: boolean; event: HeartbeatEvent } {
    const key = `${event.projectId ?? ""}\u0000${event.source}`;
    const last = this.#last.get(key);
    const merged = last ? mergeHeartbeat(last, event, this.pulsetimeMs) : null;
    const current = merged ?? event;
    this.#last.set(key, current);
    return { merged: merged !== null, event: current };
  }
}

/** True for `activity.heartbeat` events. */
export function isHeartbeat(event: DevflowEvent): event is HeartbeatEvent {
  return event.type === "activity.heartbeat";
}
