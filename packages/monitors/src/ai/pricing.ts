import { EMBEDDED_PRICES, type ModelPrice, PRICE_TABLE_SOURCE } from "./price-table.js";
import type { TokenCounts } from "./records.js";

/** A cost estimate and where it came from. */
export interface CostEstimate {
  /** USD; `undefined` for a model the table does not know. */
  usd: number | undefined;
  source: "reported" | "calculated" | "unknown_model";
  /** The price-table entry used, when calculated. */
  priceKey?: string;
}

/**
 * Normalises a model name to a price-table key: provider prefixes (`anthropic/`,
 * `openai/`, `models/`, `bedrock` `anthropic.`), date suffixes (`-20250929`, `-2025-08-07`),
 * `-latest`, `-fast`, version tags (`@20250514`, `-v1:0`) and case are removed.
 */
export function normaliseModelId(model: string): string {
  let id = model.trim().toLowerCase();
  id = id.replace(/^.*\//, "").replace(/^(?:us\.|eu\.|apac\.)?anthropic\./, "");
  id = id.replace(/@.*$/, "").replace(/-v\d+(?::\d+)?$/, "");
  id = id.replace(/-fast$/, "");
  id = id.replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2})$/, "");
  if (id !== "codex-mini-latest") id = id.replace(/-latest$/, "");
  return id;
}

/** A price table: the embedded one, with user overrides merged per model. */
export class PriceTable {
  readonly #prices: Record<string, ModelPrice>;
  /** Describes where the prices come from (embedded, plus overrides). */
  readonly source: string;

  constructor(overrides: Readonly<Record<string, ModelPrice>> = {}) {
    this.#prices = { ...EMBEDDED_PRICES };
    for (const [model, price] of Object.entries(overrides))
      this.#prices[normaliseModelId(model)] = price;
    const n = Object.keys(overrides).length;
    this.source =
      n > 0 ? `${PRICE_TABLE_SOURCE} + ${n} override(s) from config` : PRICE_TABLE_SOURCE;
  }

  /** The price of a model (exact key, else the longest key the id starts with), or undefined. */
  lookup(model: string): { key: string; price: ModelPrice } | undefined {
    const id = normaliseModelId(model);
    const exact = this.#prices[id];
    if (exact) return { key: id, price: exact };
    let best: string | undefined;
    for (const key of Object.keys(this.#prices)) {
      if (id.startsWith(`${key}-`) && (best === undefined || key.length > best.length)) best = key;
    }
    return best === undefined ? undefined : { key: best, price: this.#prices[best]! };
  }

  /**
   * The list-price cost of one request:
   * `input×in + (cacheWrite−cacheWrite1h)×cw5m + cacheWrite1h×cw1h + cacheRead×cr + output×out`,
   * all at the long-context rates when the prompt exceeds the model's threshold, times the fast
   * multiplier for `speed: "fast"`. A `reportedUsd` wins (source `reported`).
   */
  cost(
    model: string,
    t: TokenCounts,
    options: { speed?: "standard" | "fast"; reportedUsd?: number } = {},
  ): CostEstimate {
    if (options.reportedUsd !== undefined && options.reportedUsd >= 0) {
      return { usd: options.reportedUsd, source: "reported" };
    }
    const found = this.lookup(model.replace(/-fast$/, ""));
    if (!found) return { usd: undefined, source: "unknown_model" };
    const p = found.price;
    const prompt = t.input + t.cacheWrite + t.cacheRead;
    const long = p.longContext && prompt > p.longContext.threshold ? p.longContext : undefined;
    const inRate = long?.input ?? p.input;
    const rates = {
      input: inRate,
      output: long?.output ?? p.output,
      cw5: long?.cacheWrite ?? p.cacheWrite ?? inRate,
      cw1h: long?.cacheWrite1h ?? p.cacheWrite1h ?? inRate * 2,
      cr: long?.cacheRead ?? p.cacheRead ?? inRate,
    };
    const fiveMinute = Math.max(0, t.cacheWrite - t.cacheWrite1h);
    let usd =
      (t.input * rates.input +
        t.output * rates.output +
        fiveMinute * rates.cw5 +
        t.cacheWrite1h * rates.cw1h +
        t.cacheRead * rates.cr) /
      1_000_000;
    if (options.speed === "fast" || /-fast$/.test(model)) usd *= p.fastMultiplier ?? 1;
    return { usd, source: "calculated", priceKey: found.key };
  }
}
