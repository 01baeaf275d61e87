import { z } from "zod";
import { DevflowError } from "@devflow/events";
import type { CommitRepository } from "@devflow/storage";
import { createDictionary, forEachChange } from "./facts.js";
import { byCountsThenName } from "./maat.js";
import { type GitScope, parseOptions, type ResolvedScope, resolveScope } from "./scope.js";

/** One row of {@link messageMatches}. */
export interface MessageMatchRow {
  entity: string;
  /** Changes of the entity whose message matches. */
  matches: number;
}

/** What {@link messageMatches} found. */
export interface MessageMatchReport {
  rows: MessageMatchRow[];
  /** The expression matched (case-insensitive unless given as a `RegExp`). */
  pattern: string;
  /** Logical changes read. */
  changes: number;
  /** Changes whose messages were not stored (message policy `none`): they cannot match. */
  changesWithoutMessage: number;
}

const OptionsSchema = z.strictObject({
  pattern: z.union([z.string().min(1), z.instanceof(RegExp)]),
});

/** The default expression for bug-prone files: fix commits. */
export const FIX_PATTERN = String.raw`\bfix(e[sd])?\b|\bbug`;

/**
 * code-maat `messages`: per entity, the changes whose commit message matches `pattern` (e.g.
 * {@link FIX_PATTERN} for files most often touched by fixes), most matches first. With
 * temporal grouping a change matches when any of its commits does.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` for an invalid expression.
 */
export function messageMatches(
  commits: CommitRepository,
  scope: GitScope | ResolvedScope,
  options: { pattern: string | RegExp },
): MessageMatchReport {
  const { pattern } = parseOptions(OptionsSchema, options, "messages options");
  let re: RegExp;
  try {
    re =
      typeof pattern === "string"
        ? new RegExp(pattern, "i")
        : new RegExp(pattern.source, pattern.flags.replace("g", ""));
  } catch (err) {
    throw new DevflowError(
      "ANALYZERS_BAD_ARGUMENT",
      `invalid message expression: ${String(pattern)}`,
      {
        cause: err,
      },
    );
  }
  const resolved = resolveScope(scope);
  const dict = createDictionary();
  const matches: number[] = [];
  const report: MessageMatchReport = {
    rows: [],
    pattern: re.source,
    changes: 0,
    changesWithoutMessage: 0,
  };
  forEachChange(
    commits,
    { scope: resolved, dict },
    (c) => {
      report.changes++;
      if (c.messages.every((m) => m === null)) report.changesWithoutMessage++;
      if (!c.messages.some((m) => m !== null && re.test(m))) return;
      for (const e of c.entities) matches[e] = (matches[e] ?? 0) + 1;
    },
    { messages: true },
  );
  matches.forEach((n, e) => {
    if (n) report.rows.push({ entity: dict.entities.names[e]!, matches: n });
  });
  report.rows = byCountsThenName(report.rows, [(r) => r.matches], (r) => r.entity);
  return report;
}
