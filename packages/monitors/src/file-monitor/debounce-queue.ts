/**
 * @module file-monitor/debounce-queue
 * Paths to look at once they have been quiet for a while: changes to the same path within the
 * delay become one check, and a path that keeps changing is checked at least every `maxWaitMs`.
 */

interface Slot {
  due: number;
  first: number;
}

export class DebounceQueue {
  // Map order is the order of the last touch, so due times are (nearly) ascending.
  readonly #items = new Map<string, Slot>();

  constructor(
    readonly delayMs: number,
    readonly maxWaitMs: number,
  ) {}

  get size(): number {
    return this.#items.size;
  }

  has(path: string): boolean {
    return this.#items.has(path);
  }

  /** (Re)starts the quiet period of `path`. */
  touch(path: string, now: number): void {
    const slot = this.#items.get(path);
    const first = slot?.first ?? now;
    if (slot) this.#items.delete(path);
    this.#items.set(path, { first, due: Math.min(now + this.delayMs, first + this.maxWaitMs) });
  }

  /** Due time of the head (the next check). */
  nextDue(): number | undefined {
    for (const slot of this.#items.values()) return slot.due;
    return undefined;
  }

  /** Removes and returns up to `limit` paths due at `now` (every path with `Infinity`). */
  takeDue(now: number, limit: number): string[] {
    const out: string[] = [];
    for (const [path, slot] of this.#items) {
      if (out.length >= limit || slot.due > now) break;
      out.push(path);
    }
    for (const path of out) this.#items.delete(path);
    return out;
  }

  clear(): void {
    this.#items.clear();
  }
}
