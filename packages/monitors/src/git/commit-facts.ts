import type { EventInput } from "@devflow/events";
import type { CommitInput } from "@devflow/storage";
import { applyMessagePolicy, type MessagePolicy, redactText } from "../privacy.js";
import {
  groupTrailers,
  parseConventionalCommit,
  parseTrailers,
  type Trailer,
} from "./conventional.js";
import type { ParsedCommit } from "./git-log-parser.js";

const MAX_MESSAGE = 65_536;
const MAX_NAME = 512;
const MAX_TRAILER = 4096;
const MAX_PATH = 4096;

const clip = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);

/** The facts of one commit after the privacy policy, shared by storage rows and events. */
export interface CommitFacts {
  commit: ParsedCommit;
  /** The message as far as the policy allows. */
  message: string | undefined;
  trailers: Trailer[];
  conventionalType: string | undefined;
  conventionalScope: string | undefined;
  breaking: boolean | undefined;
  insertions: number;
  deletions: number;
}

/**
 * Derives trailers and the conventional type from the raw message, then applies the message
 * policy: `full` keeps message and trailers, `redacted` masks e-mails and secrets in both, `none`
 * drops the message and keeps only redacted trailers (they carry attribution such as
 * `Co-authored-by`, not prose).
 */
export function commitFacts(commit: ParsedCommit, policy: MessagePolicy): CommitFacts {
  const conventional = parseConventionalCommit(commit.message);
  const trailers = parseTrailers(commit.message).map(({ key, value }) => ({
    key: clip(key, MAX_NAME),
    value: clip(policy === "full" ? value : redactText(value), MAX_TRAILER),
  }));
  const message = applyMessagePolicy(commit.message, policy);
  let insertions = 0;
  let deletions = 0;
  for (const f of commit.files) {
    insertions += f.insertions ?? 0;
    deletions += f.deletions ?? 0;
  }
  return {
    commit,
    message: message === undefined ? undefined : clip(message, MAX_MESSAGE),
    trailers,
    conventionalType: conventional ? clip(conventional.type, MAX_NAME) : undefined,
    conventionalScope: conventional?.scope ? clip(conventional.scope, MAX_NAME) : undefined,
    breaking: conventional ? conventional.breaking : undefined,
    insertions,
    deletions,
  };
}

/** The `commits`/`commit_files` row of a commit. */
export function toCommitInput(projectId: string, facts: CommitFacts): CommitInput {
  const c = facts.commit;
  return {
    projectId,
    hash: c.hash,
    parents: c.parents,
    authorName: clip(c.authorName, MAX_NAME),
    authorEmail: clip(c.authorEmail, MAX_NAME),
    authoredAt: c.authoredAt,
    committedAt: c.committedAt,
    message: facts.message ?? null,
    conventionalType: facts.conventionalType ?? null,
    isMerge: c.parents.length > 1,
    filesChanged: c.files.length,
    insertions: facts.insertions,
    deletions: facts.deletions,
    trailers: facts.trailers,
    files: c.files.map((f) => ({ ...f, path: clip(f.path, MAX_PATH) })),
  };
}

/** The `git.commit` event of a commit. */
export function toCommitEvent(
  facts: CommitFacts,
  branch: string | undefined,
): Extract<EventInput, { type: "git.commit" }> {
  const c = facts.commit;
  const sameCommitter = c.committerName === c.authorName && c.committerEmail === c.authorEmail;
  return {
    type: "git.commit",
    source: "git",
    timestamp: c.committedAt || c.authoredAt,
    data: {
      hash: c.hash,
      parents: c.parents,
      ...(branch ? { branch } : {}),
      author: { name: clip(c.authorName, MAX_NAME), email: clip(c.authorEmail, MAX_NAME) },
      ...(sameCommitter
        ? {}
        : {
            committer: {
              name: clip(c.committerName, MAX_NAME),
              email: clip(c.committerEmail, MAX_NAME),
            },
          }),
      authoredAt: c.authoredAt,
      committedAt: c.committedAt,
      ...(facts.message === undefined ? {} : { message: facts.message }),
      ...(facts.conventionalType ? { conventionalType: facts.conventionalType } : {}),
      ...(facts.conventionalScope ? { conventionalScope: facts.conventionalScope } : {}),
      ...(facts.breaking === undefined ? {} : { breaking: facts.breaking }),
      ...(facts.trailers.length > 0 ? { trailers: groupTrailers(facts.trailers) } : {}),
      isMerge: c.parents.length > 1,
      filesChanged: c.files.length,
      insertions: facts.insertions,
      deletions: facts.deletions,
    },
  };
}

/**
 * The branch a merge commit brought in, from git's own subject (`Merge branch 'x' into y`,
 * `Merge remote-tracking branch 'origin/x'`, `Merge pull request #1 from owner/x`).
 */
export function mergedBranch(message: string): string | undefined {
  const subject = message.split("\n", 1)[0] ?? "";
  const quoted = /^Merge (?:remote-tracking )?branch(?:es)? '([^']+)'/.exec(subject);
  if (quoted) return quoted[1];
  const pr = /^Merge pull request #\d+ from (\S+)/.exec(subject);
  return pr?.[1];
}
