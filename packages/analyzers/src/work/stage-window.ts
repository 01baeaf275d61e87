/**
 * @module stage-window
 * Running totals of the stage analyzer's window: per stage (or sub-stage) the decayed evidence,
 * the number of supporting events and of distinct subjects, updated as events enter and leave
 * instead of recomputed per event. Decay is kept relative to a reference time:
 * score(t) = Σ wᵢ·2^((tᵢ − ref)/h) · 2^((ref − t)/h).
 */

/** A key's totals at one moment. */
export interface WindowScore<TKey extends string> {
  key: TKey;
  /** Decayed evidence. */
  score: number;
  /** Supporting events in the window. */
  support: number;
  /** Distinct subjects among them. */
  subjects: number;
}

interface Totals {
  sum: number;
  support: number;
  subjects: Map<string, number>;
}

/** Rebase before the relative weights grow past 2^64. */
const MAX_EXPONENT = 64;

/** Decayed totals per key over a sliding window of hits. */
export class DecayedTally<TKey extends string> {
  readonly #halfLifeMs: number;
  readonly #totals = new Map<TKey, Totals>();
  #ref = 0;

  constructor(halfLifeMs: number) {
    this.#halfLifeMs = halfLifeMs;
  }

  /** Forgets everything and measures decay from `ref`. */
  reset(ref: number): void {
    this.#ref = ref;
    this.#totals.clear();
  }

  /** True when an entry at `ts` is too far from the reference time for precise sums. */
  needsRebase(ts: number): boolean {
    return (ts - this.#ref) / this.#halfLifeMs > MAX_EXPONENT;
  }

  /** Adds (`sign` 1) or removes (`sign` -1) one window entry's hits. */
  apply(
    ts: number,
    subject: string,
    hits: ReadonlyArray<readonly [TKey, number, ...unknown[]]>,
    sign: 1 | -1,
  ): void {
    const factor = Math.pow(2, (ts - this.#ref) / this.#halfLifeMs);
    for (const [key, weight] of hits) {
      let t = this.#totals.get(key);
      if (!t) {
        if (sign < 0) continue;
        t = { sum: 0, support: 0, subjects: new Map() };
        this.#totals.set(key, t);
      }
      t.sum += sign * weight * factor;
      t.support += sign;
      const n = (t.subjects.get(subject) ?? 0) + sign;
      if (n > 0) t.subjects.set(subject, n);
      else t.subjects.delete(subject);
      if (t.support <= 0) this.#totals.delete(key);
    }
  }

  /** Every key's totals decayed to `now`, largest score first. */
  scores(now: number): Array<WindowScore<TKey>> {
    const decay = Math.pow(2, (this.#ref - now) / this.#halfLifeMs);
    const out: Array<WindowScore<TKey>> = [];
    for (const [key, t] of this.#totals) {
      out.push({
        key,
        score: Math.max(0, t.sum * decay),
        support: t.support,
        subjects: t.subjects.size,
      });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}
