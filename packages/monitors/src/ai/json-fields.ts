/** Tolerant field readers for assistant transcript JSON (wrong types read as absent or 0). */

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** `v` when it is a plain object, else undefined. */
export const obj = (v: unknown): Json | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

/** `v` when it is a non-empty string, else undefined. */
export const str = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : undefined;

/** `v` rounded when it is a positive finite number, else 0 (token counts). */
export const num = (v: unknown): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
