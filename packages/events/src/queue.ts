import { SEVERITIES, type Severity } from "./envelope.js";
import type { DevflowEvent } from "./schemas.js";

const rank: Record<Severity, number> = { debug: 0, info: 1, warning: 2, error: 3, critical: 4 };

/** A FIFO per severity; `take` returns the most severe events first. */
export class PriorityQueue {
  readonly #lanes: DevflowEvent[][] = SEVERITIES.map(() => []);
  readonly #heads: number[] = SEVERITIES.map(() => 0);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(event: DevflowEvent): void {
    this.#lanes[rank[event.severity]]!.push(event);
    this.#size++;
  }

  /** Puts events back at the front of their lanes (after a failed write), keeping their order. */
  unshift(events: readonly DevflowEvent[]): void {
    for (let i = events.length - 1; i >= 0; i--) {
      const event = events[i]!;
      const lane = rank[event.severity];
      const head = this.#heads[lane]!;
      if (head > 0) {
        this.#heads[lane] = head - 1;
        this.#lanes[lane]![head - 1] = event;
      } else {
        this.#lanes[lane]!.unshift(event);
      }
      this.#size++;
    }
  }

  take(max: number): DevflowEvent[] {
    const out: DevflowEvent[] = [];
    for (let lane = SEVERITIES.length - 1; lane >= 0 && out.length < max; lane--) {
      const items = this.#lanes[lane]!;
      let head = this.#heads[lane]!;
      while (head < items.length && out.length < max) out.push(items[head++]!);
      if (head === items.length) {
        this.#lanes[lane] = [];
        this.#heads[lane] = 0;
      } else if (head > 1024 && head * 2 > items.length) {
        this.#lanes[lane] = items.slice(head);
        this.#heads[lane] = 0;
      } else {
        this.#heads[lane] = head;
      }
    }
    this.#size -= out.length;
    return out;
  }
}
