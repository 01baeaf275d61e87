import { createHash } from "node:crypto";

/**
 * Normalises a source line for matching: surrounding whitespace trimmed and inner runs of
 * whitespace collapsed, so re-indentation and trailing spaces do not break a match.
 */
function normaliseLine(line: string): string {
  return line.trim().replace(/\s+/g, " ");
}

/**
 * The fingerprint of one added line: the first 16 hex digits of the SHA-256 of the normalised
 * line. Fingerprints, never the text, are stored; empty lines have none (`null`).
 */
export function lineFingerprint(line: string): string | null {
  const norm = normaliseLine(line);
  if (norm === "") return null;
  return createHash("sha256").update(norm).digest("hex").slice(0, 16);
}

/** Fingerprints of the non-empty lines among `lines`, in order. */
export function fingerprintLines(lines: Iterable<string>): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const fp = lineFingerprint(line);
    if (fp !== null) out.push(fp);
  }
  return out;
}

/** A stable short hash (32 hex digits) of the parts, used for idempotent event ids. */
export function stableId(...parts: ReadonlyArray<string | number | boolean | undefined>): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(`${p === undefined ? "" : String(p)}\u0000`);
  return h.digest("hex").slice(0, 32);
}
