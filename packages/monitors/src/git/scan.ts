import { join } from "node:path";
import type { EventInput } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import type { SimpleGit } from "simple-git";
import type { MessagePolicy } from "../privacy.js";
import { commitFacts, mergedBranch, toCommitEvent, toCommitInput } from "./commit-facts.js";
import { gitLogArgs, type ParsedCommit } from "./git-log-parser.js";
import {
  fileSize,
  interpretReflog,
  readCreatedAt,
  readReflogSince,
  readStashEntries,
  type RebaseStart,
} from "./reflog.js";
import {
  branchName,
  type GitDirs,
  type RebaseInProgress,
  type RefSnapshot,
  readHeadBranch,
  readRefs,
  tagName,
  tipCommits,
} from "./refs.js";
import { revisionsInput, streamGitLog } from "./run-git.js";

/** What the git monitor remembers between scans and restarts (`storage.settings`). */
export interface GitMonitorState {
  version: 1;
  /** Branches and tags at the last scan. */
  refs: RefSnapshot;
  /** The branch HEAD was on, `null` when detached. */
  head: string | null;
  /** Bytes of `logs/HEAD` already interpreted. */
  reflogOffset: number;
  /** Stash entries (commits), oldest first. */
  stash: string[];
  /** A rebase whose `(start)` was read but not its `(finish)`. */
  rebaseStart?: RebaseStart;
  /** A rebase directory seen in progress (fallback detection when there is no HEAD reflog). */
  rebasing?: RebaseInProgress;
}

/** What a scan works with. */
export interface ScanContext {
  git: SimpleGit;
  dirs: GitDirs;
  storage: Storage;
  projectId: string;
  cwd: string;
  messages: MessagePolicy;
}

/** The result of one scan: events in order, the state to keep, and counts for `status()`. */
export interface ScanResult {
  events: EventInput[];
  state: GitMonitorState;
  commitsListed: number;
  commitsStored: number;
}

const BATCH = 500;
/** The `source` of every git event. */
const SOURCE = "git";

/** The first state of a repository: its refs now; history before it is the import's job. */
export async function initialState(ctx: ScanContext): Promise<GitMonitorState> {
  return {
    version: 1,
    refs: await readRefs(ctx.git),
    head: await readHeadBranch(ctx.dirs),
    reflogOffset: await fileSize(join(ctx.dirs.gitDir, "logs", "HEAD")),
    stash: await readStashEntries(join(ctx.dirs.commonDir, "logs", "refs", "stash")),
  };
}

/** Lists the commits reachable from new tips and not from old ones: one `git log`. */
async function newCommits(
  ctx: ScanContext,
  include: string[],
  exclude: string[],
): Promise<ParsedCommit[]> {
  const commits: ParsedCommit[] = [];
  await streamGitLog({
    cwd: ctx.cwd,
    args: gitLogArgs(["--topo-order", "--reverse", "--source", "--ignore-missing", "--stdin"]),
    stdin: revisionsInput(include, exclude),
    onCommit: (c) => commits.push(c),
  });
  return commits;
}

/** Stores commits (idempotently) and returns their events, for the newly stored ones only. */
function storeCommits(
  ctx: ScanContext,
  commits: ParsedCommit[],
  branchOfTip: Map<string, string>,
): { events: EventInput[]; stored: number } {
  const events: EventInput[] = [];
  let stored = 0;
  for (let i = 0; i < commits.length; i += BATCH) {
    const batch = commits.slice(i, i + BATCH).map((c) => commitFacts(c, ctx.messages));
    const inserted = new Set(
      ctx.storage.commits.insertNew(batch.map((f) => toCommitInput(ctx.projectId, f))),
    );
    stored += inserted.size;
    for (const facts of batch) {
      const c = facts.commit;
      if (!inserted.has(c.hash)) continue;
      const branch = branchOfTip.get(c.source);
      events.push(toCommitEvent(facts, branch));
      if (c.parents.length > 1) {
        const from = mergedBranch(c.message);
        events.push({
          type: "git.merge",
          source: SOURCE,
          timestamp: c.committedAt || c.authoredAt,
          data: {
            hash: c.hash,
            parents: c.parents,
            ...(branch ? { into: branch } : {}),
            ...(from ? { from } : {}),
          },
        });
      }
    }
  }
  return { events, stored };
}

/** `pop` when the working tree now holds changes to files the dropped stash entry touched. */
async function stashAction(git: SimpleGit, stash: string): Promise<"pop" | "drop"> {
  try {
    const lines = (out: string): string[] => out.split("\n").filter((l) => l !== "");
    const touched = lines(await git.raw(["diff", "--name-only", `${stash}^1`, stash]));
    const dirty = new Set(
      lines(await git.raw(["--no-optional-locks", "diff", "--name-only", "HEAD"])),
    );
    return touched.some((f) => dirty.has(f)) ? "pop" : "drop";
  } catch {
    return "drop";
  }
}

/**
 * Compares the repository with `state` and derives what happened since: branches created,
 * switched and deleted, new commits (stored, then an event for each newly stored one, plus
 * `git.merge` for merges), rebases, tags and stash changes.
 */
export async function scanRepository(
  ctx: ScanContext,
  state: GitMonitorState,
): Promise<ScanResult> {
  const refs = await readRefs(ctx.git);
  const head = await readHeadBranch(ctx.dirs);
  const headLog = await readReflogSince(join(ctx.dirs.gitDir, "logs", "HEAD"), state.reflogOffset);
  const stash = await readStashEntries(join(ctx.dirs.commonDir, "logs", "refs", "stash"));
  const now = Date.now();
  const events: EventInput[] = [];
  const isBranch = (name: string): boolean =>
    refs[`refs/heads/${name}`] !== undefined || state.refs[`refs/heads/${name}`] !== undefined;

  for (const [ref, tip] of Object.entries(refs)) {
    const branch = branchName(ref);
    if (branch && !state.refs[ref]) {
      // The commit it was created at (its reflog), not where it is now after later commits.
      const hash = (await readCreatedAt(join(ctx.dirs.commonDir, "logs", ref))) ?? tip.commit;
      events.push({
        type: "git.branch_created",
        source: SOURCE,
        timestamp: now,
        data: { branch, ...(hash ? { hash } : {}) },
      });
    }
  }

  const findings = interpretReflog(headLog.entries, state.rebaseStart);
  let switched = 0;
  for (const s of findings.switches) {
    if (s.from === s.to || !isBranch(s.to)) continue;
    switched++;
    events.push({
      type: "git.branch_switched",
      source: SOURCE,
      timestamp: s.time,
      data: { ...(isBranch(s.from) ? { from: s.from } : {}), to: s.to, hash: s.hash },
    });
  }
  if (switched === 0 && head !== null && head !== state.head) {
    const hash = refs[`refs/heads/${head}`]?.commit;
    events.push({
      type: "git.branch_switched",
      source: SOURCE,
      timestamp: now,
      data: { ...(state.head ? { from: state.head } : {}), to: head, ...(hash ? { hash } : {}) },
    });
  }

  const oldTips = tipCommits(state.refs);
  const known = new Set(oldTips);
  const newTips = tipCommits(refs).filter((t) => !known.has(t));
  let commitsListed = 0;
  let commitsStored = 0;
  if (newTips.length > 0) {
    const branchOfTip = new Map<string, string>();
    for (const [ref, tip] of Object.entries(refs)) {
      const branch = branchName(ref);
      if (branch && tip.commit && (branch === head || !branchOfTip.has(tip.commit)))
        branchOfTip.set(tip.commit, branch);
    }
    const commits = await newCommits(ctx, newTips, oldTips);
    commitsListed = commits.length;
    const stored = storeCommits(ctx, commits, branchOfTip);
    commitsStored = stored.stored;
    events.push(...stored.events);
  }

  const lastTip = new Map<string, string>();
  for (const r of findings.rebases) {
    const key = r.branch ? `refs/heads/${r.branch}` : undefined;
    const from = (key && (lastTip.get(key) ?? state.refs[key]?.commit)) || r.from;
    if (key) lastTip.set(key, r.to);
    if (from === r.to) continue;
    const commits = Number.parseInt(
      await ctx.git.raw(["rev-list", "--count", r.to, `^${r.onto}`]),
      10,
    );
    events.push({
      type: "git.rebase",
      source: SOURCE,
      timestamp: r.time,
      data: {
        ...(r.branch ? { branch: r.branch } : {}),
        onto: r.onto,
        from,
        to: r.to,
        ...(Number.isFinite(commits) ? { commits } : {}),
      },
    });
  }
  const rebasing = state.rebasing;
  if (rebasing && !headLog.exists && findings.rebases.length === 0 && rebasing.branch) {
    const to = refs[`refs/heads/${rebasing.branch}`]?.commit;
    if (to && rebasing.origHead && to !== rebasing.origHead) {
      events.push({
        type: "git.rebase",
        source: SOURCE,
        timestamp: now,
        data: {
          branch: rebasing.branch,
          ...(rebasing.onto ? { onto: rebasing.onto } : {}),
          from: rebasing.origHead,
          to,
        },
      });
    }
  }

  for (const [ref, tip] of Object.entries(refs)) {
    const tag = tagName(ref);
    if (!tag || state.refs[ref]?.object === tip.object) continue;
    events.push({
      type: "git.tag",
      source: SOURCE,
      timestamp: now,
      data: { tag, hash: tip.commit ?? tip.object, annotated: tip.annotated, action: "created" },
    });
  }
  for (const [ref, tip] of Object.entries(state.refs)) {
    if (refs[ref]) continue;
    const tag = tagName(ref);
    const branch = branchName(ref);
    if (tag) {
      events.push({
        type: "git.tag",
        source: SOURCE,
        timestamp: now,
        data: { tag, hash: tip.commit ?? tip.object, annotated: tip.annotated, action: "deleted" },
      });
    } else if (branch) {
      events.push({
        type: "git.branch_deleted",
        source: SOURCE,
        timestamp: now,
        data: { branch, ...(tip.commit ? { hash: tip.commit } : {}) },
      });
    }
  }

  const current = new Set(stash);
  const before = new Set(state.stash);
  const removed = state.stash.filter((s) => !current.has(s));
  for (const s of stash) {
    if (!before.has(s))
      events.push({
        type: "git.stash",
        source: SOURCE,
        timestamp: now,
        data: { action: "push", ref: "stash@{0}", count: stash.length },
      });
  }
  if (removed.length > 1 && stash.length === 0) {
    events.push({
      type: "git.stash",
      source: SOURCE,
      timestamp: now,
      data: { action: "clear", count: 0 },
    });
  } else {
    for (const s of removed) {
      events.push({
        type: "git.stash",
        source: SOURCE,
        timestamp: now,
        data: { action: await stashAction(ctx.git, s), count: stash.length },
      });
    }
  }

  return {
    events,
    commitsListed,
    commitsStored,
    state: {
      version: 1,
      refs,
      head,
      reflogOffset: headLog.offset,
      stash,
      ...(findings.pending ? { rebaseStart: findings.pending } : {}),
    },
  };
}
