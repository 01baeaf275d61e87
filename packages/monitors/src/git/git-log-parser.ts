import { StringDecoder } from "node:string_decoder";

/** Record separator: starts every commit. */
const RS = "\x1e";
/** Unit separator: between header fields. */
const US = "\x1f";
/** Group separator: ends the message, before the numstat lines. */
const GS = "\x1d";
const FIELDS = 9;
/** Longest record start {@link isRecordStart} needs to see: 64 hex digits and the separator. */
const HEADER_PROBE = 65;

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102);
}

/**
 * `yes` when `probe` starts like a record (a 40- or 64-digit hash and a unit separator), `no`
 * when it cannot, `more` when it is too short to tell.
 */
function isRecordStart(probe: string): "yes" | "no" | "more" {
  let i = 0;
  while (i < probe.length && i < 64 && isHex(probe.charCodeAt(i))) i++;
  if (i === probe.length) return "more";
  if (probe[i] !== US) return "no";
  return i === 40 || i === 64 ? "yes" : "no";
}

/**
 * The `--format` every DevFlow `git log` uses: hash, parents, source (`%S`, with `--source`),
 * author name/e-mail/time, committer name/e-mail/time, raw body. `%aN`/`%aE` honour `.mailmap`.
 */
export const GIT_LOG_FORMAT =
  "--format=%x1e%H%x1f%P%x1f%S%x1f%aN%x1f%aE%x1f%at%x1f%cN%x1f%cE%x1f%ct%x1f%B%x1d";

/**
 * Options in front of every `git log` that feeds {@link GitLogParser}: numstat without rename
 * detection (a rename is a delete plus an add, as code-maat reads it), unquoted UTF-8 paths, and
 * no user configuration that would change the output (colour, signatures, relative paths).
 */
export function gitLogArgs(extra: readonly string[] = []): string[] {
  return [
    "-c",
    "core.quotePath=false",
    "log",
    "--numstat",
    "--no-renames",
    "--no-color",
    "--no-show-signature",
    "--no-relative",
    "--no-ext-diff",
    "--encoding=UTF-8",
    GIT_LOG_FORMAT,
    ...extra,
  ];
}

/** One changed file of a commit; line counts are `null` for binary files. */
export interface ParsedFile {
  path: string;
  insertions: number | null;
  deletions: number | null;
}

/** One commit as `git log` printed it. Times are ms since the epoch. */
export interface ParsedCommit {
  hash: string;
  parents: string[];
  /** With `--source`: the command-line revision the commit was reached from. */
  source: string;
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committerName: string;
  committerEmail: string;
  committedAt: number;
  /** The raw message (subject, body, trailers) without trailing white-space. */
  message: string;
  /** Numstat rows; empty for merge commits (git shows no diff for them) and empty commits. */
  files: ParsedFile[];
}

const C_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 34,
  "\\": 92,
};

/**
 * Undoes git's C-style path quoting (`"a\"b\303\274"` → `a"bü`): escapes and octal bytes are
 * collected as UTF-8 bytes. Unquoted paths are returned as they are.
 */
export function unquoteGitPath(path: string): string {
  if (path.length < 2 || !path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const inner = path.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch !== "\\") {
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
      continue;
    }
    const next = inner[i + 1] ?? "";
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(inner.slice(i + 1))![0];
      bytes.push(Number.parseInt(octal, 8) & 0xff);
      i += octal.length;
    } else {
      bytes.push(C_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function toCount(text: string): number | null {
  if (text === "-") return null;
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function seconds(text: string): number {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) && n > 0 ? n * 1000 : 0;
}

/** Parses one record (the text after its record separator); `undefined` when malformed. */
function parseRecord(record: string): ParsedCommit | undefined {
  const fields: string[] = [];
  let pos = 0;
  for (let i = 0; i < FIELDS; i++) {
    const next = record.indexOf(US, pos);
    if (next === -1) return undefined;
    fields.push(record.slice(pos, next));
    pos = next + 1;
  }
  const end = record.lastIndexOf(GS);
  if (end < pos) return undefined;
  const [hash, parents, source, aName, aEmail, aTime, cName, cEmail, cTime] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const files: ParsedFile[] = [];
  const numstat = record.slice(end + 1);
  let lineStart = 0;
  while (lineStart < numstat.length) {
    let lineEnd = numstat.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = numstat.length;
    const tab1 = numstat.indexOf("\t", lineStart);
    const tab2 = tab1 === -1 ? -1 : numstat.indexOf("\t", tab1 + 1);
    if (tab2 !== -1 && tab2 < lineEnd) {
      files.push({
        path: unquoteGitPath(numstat.slice(tab2 + 1, lineEnd)),
        insertions: toCount(numstat.slice(lineStart, tab1)),
        deletions: toCount(numstat.slice(tab1 + 1, tab2)),
      });
    }
    lineStart = lineEnd + 1;
  }
  return {
    hash,
    parents: parents === "" ? [] : parents.split(" "),
    source,
    authorName: aName,
    authorEmail: aEmail,
    authoredAt: seconds(aTime),
    committerName: cName,
    committerEmail: cEmail,
    committedAt: seconds(cTime),
    message: record.slice(pos, end).trimEnd(),
    files,
  };
}

/**
 * Incremental parser of `git log` output in {@link GIT_LOG_FORMAT} with `--numstat`: feed it
 * chunks as they arrive with {@link GitLogParser.push}, then call {@link GitLogParser.end}. Each
 * commit is handed to the callback as soon as the next one starts, so only one commit is held at
 * a time, however long the history. Multi-byte characters split across chunks are reassembled.
 * A record separator inside a message is not mistaken for a new commit (the next record must
 * start with a full hash).
 */
export class GitLogParser {
  readonly #onCommit: (commit: ParsedCommit) => void;
  readonly #decoder = new StringDecoder("utf8");
  #buffer = "";
  /** Where to look for the next record separator in the buffer. */
  #scanFrom = 1;
  #malformed = 0;

  constructor(onCommit: (commit: ParsedCommit) => void) {
    this.#onCommit = onCommit;
  }

  /** Records that could not be parsed (skipped). */
  get malformed(): number {
    return this.#malformed;
  }

  /** Feeds a chunk of output (bytes or text). */
  push(chunk: Buffer | string): void {
    this.#buffer += typeof chunk === "string" ? chunk : this.#decoder.write(chunk);
    this.#drain(false);
  }

  /** Parses what is left; call once after the last chunk. */
  end(): void {
    this.#buffer += this.#decoder.end();
    this.#drain(true);
  }

  #drain(final: boolean): void {
    let buf = this.#buffer;
    const first = buf.indexOf(RS);
    if (first === -1) {
      if (final) this.#buffer = "";
      return;
    }
    if (first > 0) {
      buf = buf.slice(first);
      this.#scanFrom = 1;
    }
    let start = 0;
    let next = buf.indexOf(RS, Math.max(this.#scanFrom, start + 1));
    while (next !== -1) {
      const kind = isRecordStart(buf.slice(next + 1, next + 1 + HEADER_PROBE));
      if (kind !== "yes") {
        // Too short to decide yet: wait for more input; otherwise a separator inside a message.
        if (kind === "more" && !final) break;
        next = buf.indexOf(RS, next + 1);
        continue;
      }
      this.#emit(buf.slice(start + 1, next));
      start = next;
      next = buf.indexOf(RS, next + 1);
    }
    if (final) {
      if (buf.length > start + 1) this.#emit(buf.slice(start + 1));
      this.#buffer = "";
      this.#scanFrom = 1;
      return;
    }
    this.#buffer = start === 0 ? buf : buf.slice(start);
    // Resume the search after what was already scanned (re-check an undecided separator).
    const undecided = next === -1 ? this.#buffer.length : next - start;
    this.#scanFrom = Math.max(1, undecided);
  }

  #emit(record: string): void {
    const commit = parseRecord(record);
    if (commit) this.#onCommit(commit);
    else this.#malformed++;
  }
}

/** Parses complete `git log` output at once (tests, small outputs). */
export function parseGitLog(output: string): ParsedCommit[] {
  const commits: ParsedCommit[] = [];
  const parser = new GitLogParser((c) => commits.push(c));
  parser.push(output);
  parser.end();
  return commits;
}
