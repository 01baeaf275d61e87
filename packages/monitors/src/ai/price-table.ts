/** Prices of one model in USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache write with a 5-minute lifetime (Anthropic); default: `input`. */
  cacheWrite?: number;
  /** Cache write with a 1-hour lifetime (Anthropic); default: 2 × `input`. */
  cacheWrite1h?: number;
  /** Cache read (cached input); default: `input`. */
  cacheRead?: number;
  /**
   * Long-context tier: when a request's prompt (input + cache write + cache read) exceeds
   * `threshold` tokens, every token of the request is billed at these prices instead.
   */
  longContext?: {
    threshold: number;
    input: number;
    output: number;
    cacheWrite?: number;
    cacheWrite1h?: number;
    cacheRead?: number;
  };
  /** Multiplier for requests run in the fast/priority tier (`speed: "fast"`). */
  fastMultiplier?: number;
}

/** Where the embedded prices come from, shown next to every cost. */
export const PRICE_TABLE_SOURCE =
  "DevFlow embedded list prices (Anthropic, OpenAI and Google pricing pages, 2026-11)";

const claude = (input: number, output: number, long?: [number, number]): ModelPrice => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheWrite1h: input * 2,
  cacheRead: input * 0.1,
  ...(long
    ? {
        longContext: {
          threshold: 200_000,
          input: long[0],
          output: long[1],
          cacheWrite: long[0] * 1.25,
          cacheWrite1h: long[0] * 2,
          cacheRead: long[0] * 0.1,
        },
      }
    : {}),
});

const openai = (input: number, cached: number, output: number): ModelPrice => ({
  input,
  output,
  cacheRead: cached,
  cacheWrite: input,
  fastMultiplier: 2,
});

const gemini = (
  input: number,
  output: number,
  cached: number,
  long?: [number, number, number],
): ModelPrice => ({
  input,
  output,
  cacheRead: cached,
  cacheWrite: input,
  ...(long
    ? { longContext: { threshold: 200_000, input: long[0], output: long[1], cacheRead: long[2] } }
    : {}),
});

/**
 * The embedded price table, keyed by normalised model id (see `normaliseModelId`): list prices
 * per million tokens. Costs computed from it are estimates.
 */
export const EMBEDDED_PRICES: Readonly<Record<string, ModelPrice>> = {
  // Anthropic: cache write 5 min = 1.25 × input, 1 h = 2 × input, read = 0.1 × input.
  "claude-opus-4-6": claude(5, 25),
  "claude-opus-4-5": claude(5, 25),
  "claude-opus-4-1": claude(15, 75),
  "claude-opus-4": claude(15, 75),
  "claude-sonnet-4-6": claude(3, 15, [6, 22.5]),
  "claude-sonnet-4-5": claude(3, 15, [6, 22.5]),
  "claude-sonnet-4": claude(3, 15, [6, 22.5]),
  "claude-3-7-sonnet": claude(3, 15),
  "claude-3-5-sonnet": claude(3, 15),
  "claude-haiku-4-5": claude(1, 5),
  "claude-3-5-haiku": claude(0.8, 4),
  "claude-3-haiku": claude(0.25, 1.25),
  "claude-3-opus": claude(15, 75),
  // OpenAI: cached input at the listed cached rate; reasoning is billed inside output.
  "gpt-5.2": openai(1.75, 0.175, 14),
  "gpt-5.2-codex": openai(1.75, 0.175, 14),
  "gpt-5.1": openai(1.25, 0.125, 10),
  "gpt-5.1-codex": openai(1.25, 0.125, 10),
  "gpt-5.1-codex-max": openai(1.25, 0.125, 10),
  "gpt-5.1-codex-mini": openai(0.25, 0.025, 2),
  "gpt-5": openai(1.25, 0.125, 10),
  "gpt-5-codex": openai(1.25, 0.125, 10),
  "gpt-5-mini": openai(0.25, 0.025, 2),
  "gpt-5-nano": openai(0.05, 0.005, 0.4),
  "gpt-4.1": openai(2, 0.5, 8),
  "gpt-4.1-mini": openai(0.4, 0.1, 1.6),
  "gpt-4.1-nano": openai(0.1, 0.025, 0.4),
  "gpt-4o": openai(2.5, 1.25, 10),
  "gpt-4o-mini": openai(0.15, 0.075, 0.6),
  o3: openai(2, 0.5, 8),
  "o4-mini": openai(1.1, 0.275, 4.4),
  "codex-mini-latest": openai(1.5, 0.375, 6),
  // Google: prompts over 200k tokens are billed at the long-context rates.
  "gemini-3-pro-preview": gemini(2, 12, 0.2, [4, 18, 0.4]),
  "gemini-2.5-pro": gemini(1.25, 10, 0.125, [2.5, 15, 0.25]),
  "gemini-2.5-flash": gemini(0.3, 2.5, 0.03),
  "gemini-2.5-flash-lite": gemini(0.1, 0.4, 0.01),
  "gemini-2.0-flash": gemini(0.1, 0.4, 0.025),
};
