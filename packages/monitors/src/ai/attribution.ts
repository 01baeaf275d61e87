import { EventEngine, type EventInput } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { runGit } from "../git/run-git.js";
import {
  AI_BRANCH_PREFIXES,
  type AiEvidence,
  type Confidence,
  dedupeEvidence,
  messageEvidence,
  parseAiNote,
} from "./attribution-signals.js";
import { type CommitWithLines, readCommitsWithLines } from "./commit-log.js";
import { lineFingerprint, stableId } from "./fingerprint.js";

/** Options of {@link attributeCommits}. */
export interface AttributeCommitsOptions {
  storage: Storage;
  /** The project: its id (for its `ai.edit` events) and repository root. */
  project: { id: string; rootPath: string };
  /** Only commits after this time (ms UTC); default every commit. */
  since?: number;
  /** An AI edit counts for a commit made at most this long after it (default 7 days). */
  editWindowMs?: number;
  /** When the attribution is made (ms), stored with each result; default now. */
  now?: number;
  /**
   * The engine the `ai.commit_attributed` events go through (the running DevFlow's, so live
   * subscribers see them); it must write to `storage`. Default: a one-shot engine writing to
   * `storage`, stopped before this returns.
   */
  engine?: EventEngine;
}

/** The AI evidence of one commit. */
export interface CommitAttribution {
  hash: string;
  authoredAt: number;
  committedAt: number;
  linesAdded: number;
  /** Added lines matched to AI edit fingerprints or covered by `refs/notes/ai`. */
  aiLinesAdded: number;
  /** `aiLinesAdded ÷ linesAdded` (0 without added lines). */
  share: number;
  /** The strongest evidence's tier; `null` without evidence. */
  confidence: Confidence | null;
  tools: string[];
  evidence: AiEvidence[];
  /** AI line ranges per file, 1-based in the commit's version. */
  aiLines: Record<string, Array<[number, number]>>;
}

/** What {@link attributeCommits} did. */
export interface AttributeCommitsResult {
  commits: CommitAttribution[];
  /** `ai.commit_attributed` events newly stored. */
  stored: number;
}

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const METHOD: Record<string, string> = {
  trailer: "trailer",
  footer: "footer",
  subject_prefix: "footer",
  author_suffix: "author",
  bot_identity: "bot",
  git_notes: "notes",
  branch_prefix: "branch",
  line_match: "fingerprint",
};

interface PoolEntry {
  ts: number;
  tool: string;
  used: boolean;
}

/** AI edit fingerprints of a project, per path and fingerprint, oldest first. */
function loadEditPool(storage: Storage, projectId: string): Map<string, Map<string, PoolEntry[]>> {
  const pool = new Map<string, Map<string, PoolEntry[]>>();
  let after: { timestamp: number; id: string } | undefined;
  for (;;) {
    const page = storage.events.query({
      types: ["ai.edit"],
      projectId,
      limit: 20_000,
      ...(after ? { after } : {}),
    });
    for (const e of page) {
      if (e.type !== "ai.edit") continue;
      let byFp = pool.get(e.data.path);
      if (!byFp) pool.set(e.data.path, (byFp = new Map<string, PoolEntry[]>()));
      for (const fp of e.data.fingerprints ?? []) {
        const list = byFp.get(fp);
        const entry = { ts: e.timestamp, tool: e.data.tool, used: false };
        if (list) list.push(entry);
        else byFp.set(fp, [entry]);
      }
    }
    if (page.length < 20_000) break;
    const last = page[page.length - 1]!;
    after = { timestamp: last.timestamp, id: last.id };
  }
  return pool;
}

async function gitOrEmpty(root: string, args: string[]): Promise<string> {
  try {
    return await runGit(root, args);
  } catch {
    return "";
  }
}

/** Commits reachable only from agent branches (`claude/…`), or merged from one. */
async function branchEvidence(root: string): Promise<Map<string, AiEvidence>> {
  const out = new Map<string, AiEvidence>();
  const heads = (
    await gitOrEmpty(root, ["for-each-ref", "--format=%(refname:short)", "refs/heads/"])
  )
    .split("\n")
    .filter(Boolean);
  const toolOf = (branch: string) =>
    Object.entries(AI_BRANCH_PREFIXES).find(([p]) => branch.startsWith(p))?.[1];
  const others = heads.filter((h) => !toolOf(h));
  const mark = (hashes: string, branch: string, tool: string) => {
    for (const h of hashes.split("\n").filter(Boolean)) {
      if (!out.has(h))
        out.set(h, {
          kind: "branch_prefix",
          detail: `on agent branch ${branch}`,
          confidence: "medium",
          tool,
        });
    }
  };
  for (const branch of heads) {
    const tool = toolOf(branch);
    if (tool)
      mark(
        await gitOrEmpty(root, ["rev-list", branch, ...others.map((o) => `^${o}`), "--"]),
        branch,
        tool,
      );
  }
  const merges = await gitOrEmpty(root, ["log", "--merges", "--format=%H %P%x1f%s", "HEAD"]);
  for (const line of merges.split("\n").filter(Boolean)) {
    const [ids = "", subject = ""] = line.split("\u001f");
    const [, p1, p2] = ids.split(" ");
    const m = /Merge (?:branch '|pull request #\d+ from [^/\s]+\/)([^'\s]+)/.exec(subject);
    const tool = m ? toolOf(m[1]!) : undefined;
    if (p1 && p2 && tool)
      mark(await gitOrEmpty(root, ["rev-list", p2, `^${p1}`, "--"]), m![1]!, tool);
  }
  return out;
}

/** Notes under `refs/notes/ai` by commit. */
async function notes(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const list = await gitOrEmpty(root, ["notes", "--ref=ai", "list"]);
  for (const line of list.split("\n").filter(Boolean)) {
    const commit = line.split(" ")[1];
    if (commit) out.set(commit, await gitOrEmpty(root, ["notes", "--ref=ai", "show", commit]));
  }
  return out;
}

function toRanges(lines: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

function inRanges(n: number, ranges: ReadonlyArray<[number, number]>): boolean {
  return ranges.some(([a, b]) => n >= a && n <= b);
}

/**
 * Attributes the commits of a repository to AI assistants. Evidence per commit: known co-author
 * trailers, session trailers, bot identities and `(aider)` authors (high); "Generated with"
 * footers, the `aider:` prefix and agent branches (medium); `refs/notes/ai` line ranges (high);
 * and a **line match**: each added line whose fingerprint equals one from an `ai.edit` of a
 * session in the same project made before the commit (within `editWindowMs`) counts as AI, each
 * edited line used once. Every commit with evidence is stored as `ai.commit_attributed`
 * (idempotent: the id covers the result).
 */
export async function attributeCommits(
  options: AttributeCommitsOptions,
): Promise<AttributeCommitsResult> {
  const { storage, project } = options;
  const window = options.editWindowMs ?? 7 * 86_400_000;
  const now = options.now ?? Date.now();
  const pool = loadEditPool(storage, project.id);
  const noteText = await notes(project.rootPath);
  const branches = await branchEvidence(project.rootPath);
  const commits: CommitAttribution[] = [];
  const onCommit = (c: CommitWithLines): void => {
    const evidence = messageEvidence(c);
    const branch = branches.get(c.hash);
    if (branch) evidence.push(branch);
    const note = noteText.get(c.hash);
    const parsed = note ? parseAiNote(note) : undefined;
    if (parsed)
      evidence.push({
        kind: "git_notes",
        detail: "refs/notes/ai",
        confidence: "high",
        ...(parsed.tools[0] ? { tool: parsed.tools[0] } : {}),
      });
    const upper = Math.max(c.authoredAt, c.committedAt);
    let linesAdded = 0;
    let matched = 0;
    const aiLines: Record<string, Array<[number, number]>> = {};
    const matchTools = new Map<string, number>();
    for (const [path, added] of c.added) {
      linesAdded += added.length;
      const byFp = pool.get(path);
      const noted = parsed?.lines.get(path) ?? [];
      const hits: number[] = [];
      for (const { line, text } of added) {
        const fp = lineFingerprint(text);
        const entry =
          fp === null
            ? undefined
            : byFp?.get(fp)?.find((e) => !e.used && e.ts <= upper && e.ts >= upper - window);
        if (entry) {
          entry.used = true;
          matched++;
          matchTools.set(entry.tool, (matchTools.get(entry.tool) ?? 0) + 1);
          hits.push(line);
        } else if (inRanges(line, noted)) hits.push(line);
      }
      if (hits.length > 0) aiLines[path] = toRanges(hits);
    }
    const aiLinesAdded = Object.values(aiLines).reduce(
      (n, rs) => n + rs.reduce((m, [a, b]) => m + b - a + 1, 0),
      0,
    );
    const share = linesAdded > 0 ? aiLinesAdded / linesAdded : 0;
    if (matched > 0) {
      const tool = [...matchTools].sort((a, b) => b[1] - a[1])[0]![0];
      evidence.push({
        kind: "line_match",
        detail: `${matched} of ${linesAdded} added lines match AI edits`,
        confidence: matched / Math.max(1, linesAdded) >= 0.5 ? "high" : "medium",
        tool,
      });
    }
    const ev = dedupeEvidence(evidence).sort((a, b) => RANK[b.confidence] - RANK[a.confidence]);
    commits.push({
      hash: c.hash,
      authoredAt: c.authoredAt,
      committedAt: c.committedAt,
      linesAdded,
      aiLinesAdded,
      share,
      confidence: ev[0]?.confidence ?? null,
      tools: [...new Set(ev.map((e) => e.tool).filter((t): t is string => t !== undefined))],
      evidence: ev,
      aiLines,
    });
  };
  await readCommitsWithLines(
    project.rootPath,
    options.since !== undefined ? { since: options.since } : {},
    onCommit,
  );
  const events = commits
    .filter((c) => c.evidence.length > 0)
    .map((c) => toEvent(c, project.id, now));
  // The ids cover the result: the ones already stored are attributions made before.
  const known = new Set(events.flatMap((e) => (storage.events.get(e.id!) ? [e.id!] : [])));
  const engine = options.engine ?? oneShotEngine(storage);
  let stored = 0;
  try {
    const outcomes = await engine.emitMany(events);
    outcomes.forEach((o, i) => {
      if (!o.ok) throw o.error;
      if (!known.has(events[i]!.id!)) stored++;
    });
  } finally {
    if (engine === options.engine) await engine.flush();
    else await engine.stop();
  }
  return { commits, stored };
}

function oneShotEngine(storage: Storage): EventEngine {
  const engine = new EventEngine();
  engine.addSink(storage.sink);
  return engine;
}

function toEvent(c: CommitAttribution, projectId: string, now: number): EventInput {
  const top = c.evidence[0]!;
  const data = {
    hash: c.hash,
    tool: top.tool ?? c.tools[0] ?? "unknown",
    method: METHOD[top.kind] ?? "session",
    share: c.share,
    ...(c.confidence ? { confidence: c.confidence } : {}),
    tools: c.tools.slice(0, 16),
    evidence: c.evidence.slice(0, 64).map((e) => ({ ...e, detail: e.detail.slice(0, 1024) })),
    linesAdded: c.linesAdded,
    aiLinesAdded: c.aiLinesAdded,
    aiLines: c.aiLines,
  };
  return {
    id: `ai-${stableId("commit", projectId, JSON.stringify(data))}`,
    type: "ai.commit_attributed",
    source: "ai",
    projectId,
    timestamp: c.committedAt,
    metadata: { attributedAt: now },
    data,
  } as EventInput;
}
