import { DevflowError } from "@devflow/events";
import { type AiStageReads, StageTimeline } from "./stages.js";

/** A commit with its added-line counts per file, as a {@link CollaborationGit} reads it. */
export interface GitCommitLines {
  hash: string;
  committedAt: number;
  message: string;
  isMerge: boolean;
  /** Added lines per path (binary files left out). */
  added: Map<string, number>;
}

/**
 * The read-only git reads of one repository the collaboration analysis needs (`@devflow/monitors`
 * implements it: `gitLineReader(root)`).
 */
export interface CollaborationGit {
  /** Commits of `revisions` (newest first) with added lines per file; `extra` are log flags. */
  commitLines(revisions: readonly string[], extra?: readonly string[]): Promise<GitCommitLines[]>;
  /** Origin commit and original line of each line of `path` at `rev`; `null` when absent. */
  blameOrigins(rev: string, path: string): Promise<Array<{ commit: string; line: number }> | null>;
}

/** How lines added at one time fared after a horizon. */
export interface LineFate {
  /** Lines whose horizon has passed. */
  measured: number;
  /** Still attributed (blame) to the commit that added them. */
  survived: number;
  /** Gone or changed by later commits. */
  reworked: number;
  /** Gone because their commit was reverted. */
  reverted: number;
  /** Lines whose horizon is still in the future. */
  pending: number;
  /** survived ÷ measured (null when nothing was measured). */
  survivalRate: number | null;
}

/** The AI collaboration of one project. */
export interface CollaborationReport {
  commits: {
    /** Non-merge commits in the window (HEAD and local branches). */
    total: number;
    /** Commits with medium or high AI evidence. */
    aiAssisted: number;
    share: number | null;
    byConfidence: { high: number; medium: number; low: number };
    byTool: Record<string, number>;
  };
  lines: {
    added: number;
    /** Added lines matched to AI edits (or covered by AI notes). */
    aiAdded: number;
    share: number | null;
  };
  /** AI-written lines against human-written lines in the same files, per horizon. */
  survival: Array<{ horizonDays: number; ai: LineFate; human: LineFate }>;
  /** AI sessions by the development stage in effect when they started. */
  sessionsByStage: Record<string, number>;
  /** The attributed commits, newest first. */
  attributed: Array<{
    hash: string;
    committedAt: number;
    confidence: string | null;
    tools: string[];
    linesAdded: number;
    aiLinesAdded: number;
  }>;
}

/** Options of {@link collaborationReport}. */
export interface CollaborationOptions {
  /** The stored attribution and session events, and the stage transitions. */
  storage: AiStageReads;
  project: { id: string };
  /** The project's repository, read-only. */
  git: CollaborationGit;
  /** Window of commit times (ms UTC; `to` exclusive). */
  from?: number;
  to?: number;
  /** Horizons of the survival analysis, in days (default 7 and 30). */
  horizonsDays?: readonly number[];
  /** The time survival is measured at (default now): later horizons are pending. */
  asOf?: number;
}

interface Attribution {
  confidence: string | null;
  tools: string[];
  aiLinesAdded: number;
  aiLines: Record<string, Array<[number, number]>>;
  at: number;
}

/** The latest `ai.commit_attributed` of each commit of a project. */
function attributions(storage: AiStageReads, projectId: string): Map<string, Attribution> {
  const out = new Map<string, Attribution>();
  for (const e of storage.events.query({
    types: ["ai.commit_attributed"],
    projectId,
    limit: 100_000,
  })) {
    if (e.type !== "ai.commit_attributed") continue;
    const at = typeof e.metadata?.attributedAt === "number" ? e.metadata.attributedAt : e.timestamp;
    const cur = out.get(e.data.hash);
    if (cur && cur.at > at) continue;
    out.set(e.data.hash, {
      confidence: e.data.confidence ?? null,
      tools: e.data.tools ?? [e.data.tool],
      aiLinesAdded: e.data.aiLinesAdded ?? 0,
      aiLines: e.data.aiLines ?? {},
      at,
    });
  }
  return out;
}

function emptyFate(): LineFate {
  return { measured: 0, survived: 0, reworked: 0, reverted: 0, pending: 0, survivalRate: null };
}

function inRanges(n: number, ranges: ReadonlyArray<[number, number]> | undefined): boolean {
  return ranges?.some(([a, b]) => n >= a && n <= b) ?? false;
}

/** AI sessions per stage: the stage in effect (last `stage_transitions` row) at each session start. */
function sessionsByStage(
  storage: AiStageReads,
  projectId: string,
  from?: number,
  to?: number,
): Record<string, number> {
  const timeline = new StageTimeline(storage);
  const out: Record<string, number> = {};
  const sessions = storage.events.query({
    types: ["ai.session_started"],
    projectId,
    limit: 100_000,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  });
  for (const s of sessions) {
    const stage = timeline.stageAt(projectId, s.timestamp);
    out[stage] = (out[stage] ?? 0) + 1;
  }
  return out;
}

/**
 * The AI collaboration of a project: AI-assisted commit share (medium/high evidence), AI line
 * share (AI-matched added lines ÷ added lines), survival of AI-written lines against human-written
 * lines in the same files after each horizon (blame at the last first-parent commit before the
 * horizon: still there, reworked, or reverted when a later commit says `This reverts commit
 * <hash>`), and sessions per stage. Reads the repository through `options.git` and the stored
 * attribution events.
 *
 * @throws whatever `options.git` throws when the project is not a readable repository
 *   (`MONITORS_GIT_FAILED` from `@devflow/monitors`' reader).
 */
export async function collaborationReport(
  options: CollaborationOptions,
): Promise<CollaborationReport> {
  const { storage, project, git } = options;
  const asOf = options.asOf ?? Date.now();
  const horizons = options.horizonsDays ?? [7, 30];
  if (horizons.some((h) => !(h > 0)))
    throw new DevflowError("ANALYZERS_BAD_ARGUMENT", "survival horizons must be positive days");
  const attr = attributions(storage, project.id);
  const inWindow = (t: number) =>
    (options.from === undefined || t >= options.from) &&
    (options.to === undefined || t < options.to);
  const all = (await git.commitLines(["HEAD", "--branches"], ["--no-merges"])).filter((c) =>
    inWindow(c.committedAt),
  );
  const commits = {
    total: all.length,
    aiAssisted: 0,
    share: null as number | null,
    byConfidence: { high: 0, medium: 0, low: 0 },
    byTool: {} as Record<string, number>,
  };
  const lines = { added: 0, aiAdded: 0, share: null as number | null };
  const attributed: CollaborationReport["attributed"] = [];
  for (const c of all) {
    const added = [...c.added.values()].reduce((a, b) => a + b, 0);
    lines.added += added;
    const a = attr.get(c.hash);
    if (!a) continue;
    lines.aiAdded += a.aiLinesAdded;
    attributed.push({
      hash: c.hash,
      committedAt: c.committedAt,
      confidence: a.confidence,
      tools: a.tools,
      linesAdded: added,
      aiLinesAdded: a.aiLinesAdded,
    });
    if (a.confidence === "high" || a.confidence === "medium" || a.confidence === "low")
      commits.byConfidence[a.confidence]++;
    if (a.confidence === "high" || a.confidence === "medium") {
      commits.aiAssisted++;
      for (const t of a.tools) commits.byTool[t] = (commits.byTool[t] ?? 0) + 1;
    }
  }
  commits.share = commits.total > 0 ? commits.aiAssisted / commits.total : null;
  lines.share = lines.added > 0 ? lines.aiAdded / lines.added : null;
  const survival = await survivalOf(git, attr, { horizons, asOf, inWindow });
  return {
    commits,
    lines,
    survival,
    sessionsByStage: sessionsByStage(storage, project.id, options.from, options.to),
    attributed,
  };
}

async function survivalOf(
  git: CollaborationGit,
  attr: ReadonlyMap<string, Attribution>,
  when: { horizons: readonly number[]; asOf: number; inWindow: (t: number) => boolean },
): Promise<CollaborationReport["survival"]> {
  const { horizons, asOf, inWindow } = when;
  const lineage = (await git.commitLines(["HEAD"], ["--first-parent"])).reverse(); // oldest first
  const aiFiles = new Set<string>();
  for (const a of attr.values()) for (const f of Object.keys(a.aiLines)) aiFiles.add(f);
  const blames = new Map<string, Promise<Array<{ commit: string; line: number }> | null>>();
  const blame = (rev: string, path: string) => {
    const key = `${rev}\u0000${path}`;
    let p = blames.get(key);
    if (!p) blames.set(key, (p = git.blameOrigins(rev, path)));
    return p;
  };
  const result: CollaborationReport["survival"] = [];
  for (const days of horizons) {
    const ai = emptyFate();
    const human = emptyFate();
    for (let i = 0; i < lineage.length; i++) {
      const c = lineage[i]!;
      if (c.isMerge || !inWindow(c.committedAt)) continue;
      const a = attr.get(c.hash);
      for (const [path, count] of c.added) {
        if (!aiFiles.has(path)) continue;
        const ranges = a?.aiLines[path];
        const aiCount = ranges ? ranges.reduce((n, [x, y]) => n + y - x + 1, 0) : 0;
        const target = c.committedAt + days * 86_400_000;
        if (target > asOf) {
          ai.pending += aiCount;
          human.pending += count - aiCount;
          continue;
        }
        const until = lastBefore(lineage, i, target);
        const origins = (await blame(until.hash, path)) ?? [];
        let aiLeft = 0;
        let humanLeft = 0;
        for (const o of origins) {
          if (o.commit !== c.hash) continue;
          if (inRanges(o.line, ranges)) aiLeft++;
          else humanLeft++;
        }
        const reverted = lineage
          .slice(i + 1, lineage.indexOf(until) + 1)
          .some((l) => l.message.includes(`This reverts commit ${c.hash}`));
        fate(ai, aiCount, aiLeft, reverted);
        fate(human, count - aiCount, humanLeft, reverted);
      }
    }
    result.push({ horizonDays: days, ai: rate(ai), human: rate(human) });
  }
  return result;
}

function lastBefore(
  lineage: readonly GitCommitLines[],
  from: number,
  target: number,
): GitCommitLines {
  let j = from;
  while (j + 1 < lineage.length && lineage[j + 1]!.committedAt <= target) j++;
  return lineage[j]!;
}

function fate(f: LineFate, added: number, left: number, reverted: boolean): void {
  f.measured += added;
  f.survived += left;
  if (reverted) f.reverted += added - left;
  else f.reworked += added - left;
}

function rate(f: LineFate): LineFate {
  return { ...f, survivalRate: f.measured > 0 ? f.survived / f.measured : null };
}
