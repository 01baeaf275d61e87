/** A subject parsed by the Conventional Commits rules (`type(scope)!: description`). */
export interface ConventionalCommit {
  /** Lower-cased type: `feat`, `fix`, `chore`, … */
  type: string;
  scope?: string;
  /** `!` before the colon, or a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer. */
  breaking: boolean;
  description: string;
}

/** One trailer line of a commit message (`Key: value`). */
export interface Trailer {
  key: string;
  value: string;
}

const SUBJECT = /^([A-Za-z][A-Za-z0-9_-]{0,63})(?:\(([^()\r\n]*)\))?(!)?:[ \t]+(\S.*)$/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:[ \t]*\S/m;
const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*|BREAKING CHANGE)[ \t]*:[ \t]*(.*)$/;
const CHERRY_PICK = /^\(cherry picked from commit [0-9a-f]+\)$/;

/** The first line of a message, without trailing white-space. */
function subjectOf(message: string): string {
  const nl = message.indexOf("\n");
  return (nl === -1 ? message : message.slice(0, nl)).trimEnd();
}

/**
 * Parses the subject line of `message` as a Conventional Commit; `undefined` when it does not
 * follow the format (`Merge branch 'x'`, `fixup! feat: x`, plain prose).
 *
 * @example parseConventionalCommit("feat(api)!: drop v1") // { type: "feat", scope: "api", breaking: true, … }
 */
export function parseConventionalCommit(message: string): ConventionalCommit | undefined {
  const match = SUBJECT.exec(subjectOf(message));
  if (!match) return undefined;
  const [, type, scope, bang, description] = match;
  const body = message.slice(message.indexOf("\n") + 1);
  const trimmedScope = scope?.trim();
  return {
    type: type!.toLowerCase(),
    ...(trimmedScope ? { scope: trimmedScope } : {}),
    breaking: bang === "!" || (message.includes("\n") && BREAKING_FOOTER.test(body)),
    description: description!.trim(),
  };
}

/**
 * Canonical trailer key: first letter upper-case, the rest lower-case (`Co-Authored-By` →
 * `Co-authored-by`), so the same trailer written differently lands under one key.
 */
export function canonicalTrailerKey(key: string): string {
  if (key === "BREAKING CHANGE" || key.toUpperCase() === "BREAKING-CHANGE") return key;
  return key.charAt(0).toUpperCase() + key.slice(1).toLowerCase();
}

/**
 * The trailers of a message: its last paragraph (after a blank line, never the subject) when
 * every line of it is a `Key: value` trailer, a continuation line (leading white-space) or a
 * `(cherry picked from commit …)` note. Keys are canonicalised with {@link canonicalTrailerKey}.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = message.replace(/\r\n?/g, "\n").trimEnd().split("\n");
  let start = lines.length;
  while (start > 0 && lines[start - 1]!.trim() !== "") start--;
  // The block must be preceded by a blank line, i.e. must not be the subject paragraph.
  if (start <= 1 || start === lines.length) return [];
  const trailers: Trailer[] = [];
  for (const line of lines.slice(start)) {
    if (line.startsWith("#")) continue;
    if (/^[ \t]/.test(line)) {
      const last = trailers.at(-1);
      if (!last) return [];
      last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    if (CHERRY_PICK.test(line)) continue;
    const match = TRAILER_LINE.exec(line);
    if (!match) return [];
    trailers.push({ key: canonicalTrailerKey(match[1]!), value: match[2]!.trim() });
  }
  return trailers;
}

/** Groups trailers by key, values in message order (the shape of `git.commit` events). */
export function groupTrailers(trailers: readonly Trailer[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { key, value } of trailers) (out[key] ??= []).push(value);
  return out;
}
