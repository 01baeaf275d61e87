import { DevflowError } from "./errors.js";

/** Compiles a subscription pattern: `*` (everything), `git.*` (a category) or an exact type. */
export function compilePattern(pattern: string): (type: string) => boolean {
  if (pattern === "*") return () => true;
  if (/^[a-z_]+\.\*$/.test(pattern)) {
    const prefix = pattern.slice(0, -1);
    return (type) => type.startsWith(prefix);
  }
  if (/^[a-z_]+\.[a-z_]+$/.test(pattern)) return (type) => type === pattern;
  throw new DevflowError(
    "EVENTS_BAD_PATTERN",
    `pattern: "${pattern}" is not "*", "<category>.*" or an exact event type`,
  );
}
