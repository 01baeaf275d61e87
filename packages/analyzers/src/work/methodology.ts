/**
 * @module methodology
 * Methodology scores (DDD, TDD, BDD, EDA, 0–100) with the evidence behind them, from file events
 * and commits. TDD is about order: is a test changed before or with its implementation?
 */
import type { ChangedFile } from "./classify.js";
import { BDD_BLOCKS, DDD_BLOCKS, EDA_BLOCKS, type MethodologyBlock } from "./methodology-rules.js";
import { describePath } from "./paths.js";

/** The methodologies scored. */
export const METHODOLOGIES = ["ddd", "tdd", "bdd", "eda"] as const;
/** One methodology. */
export type Methodology = (typeof METHODOLOGIES)[number];

/** A file event as the methodology analyzer reads it. */
export interface MethodologyFileEvent {
  type: string;
  timestamp: number;
  path: string;
}

/** A commit as the methodology analyzer reads it. */
export interface MethodologyCommit {
  hash: string;
  authoredAt: number;
  files: readonly Pick<ChangedFile, "path">[];
}

/** One methodology's score. */
export interface MethodologyScore {
  methodology: Methodology;
  /** 0–100. */
  score: number;
  level: "none" | "low" | "medium" | "high";
  summary: string;
  /** The counts the score was computed from. */
  facts: Record<string, number>;
  /** Paths, orderings and blocks behind the score (at most 20). */
  evidence: string[];
}

/** Timing of the TDD ordering rules. */
export interface TddOptions {
  /** Changes of one file with gaps up to this long are one episode (ms; default 30 min). */
  episodeGapMs: number;
  /** A test changed this long before an episode counts as written first (ms; default 30 min). */
  leadMs: number;
  /** A test changed during an episode or this long after it counts as written with it (ms; default 10 min). */
  trailMs: number;
  /** Commits: a test-only commit this long before the code's commit counts as first (ms; default 24 h). */
  commitLeadMs: number;
}

const DEFAULT_TDD: TddOptions = {
  episodeGapMs: 30 * 60_000,
  leadMs: 30 * 60_000,
  trailMs: 10 * 60_000,
  commitLeadMs: 24 * 3_600_000,
};

const EVIDENCE = 20;
const level = (score: number): MethodologyScore["level"] =>
  score >= 70 ? "high" : score >= 40 ? "medium" : score > 0 ? "low" : "none";
const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;

function codePaths(paths: Iterable<string>): string[] {
  return [...new Set(paths)].filter((p) => {
    const role = describePath(p).role;
    return role === "source" || role === "schema" || role === "test";
  });
}

/** A methodology scored by its building blocks (BDD, DDD, EDA). */
interface BlockMethodology {
  methodology: Methodology;
  blocks: readonly MethodologyBlock[];
  /** Blocks a full use of the methodology shows. */
  expectedBlocks: number;
  name: string;
}

function blockScore(spec: BlockMethodology, paths: readonly string[]): MethodologyScore {
  const { methodology, blocks, expectedBlocks, name } = spec;
  const code = codePaths(paths);
  const found = new Map<string, string[]>();
  let matched = 0;
  const isCode = new Set(code);
  for (const p of new Set(paths)) {
    let hit = false;
    for (const b of blocks) {
      if (!b.pattern.test(p) || (!b.anyFile && !isCode.has(p))) continue;
      hit = true;
      const list = found.get(b.block) ?? [];
      list.push(p);
      found.set(b.block, list);
    }
    if (hit && isCode.has(p)) matched++;
  }
  const share = code.length === 0 ? 0 : matched / code.length;
  const score =
    code.length === 0 && found.size === 0
      ? 0
      : Math.round(
          100 * (0.5 * Math.min(1, share / 0.3) + 0.5 * Math.min(1, found.size / expectedBlocks)),
        );
  const evidence = [...found.entries()].flatMap(([block, list]) =>
    list.slice(0, 3).map((p) => `${block}: ${p}`),
  );
  return {
    methodology,
    score,
    level: level(score),
    summary:
      found.size === 0
        ? `no ${name} building blocks among ${code.length} changed code files`
        : `${matched} of ${code.length} changed code files are ${name} building blocks (${[...found.keys()].join(", ")})`,
    facts: { codeFiles: code.length, matchedFiles: matched, blocks: found.size },
    evidence: evidence.slice(0, EVIDENCE),
  };
}

interface Episode {
  path: string;
  start: number;
  end: number;
}

function tddFromEvents(events: readonly MethodologyFileEvent[], o: TddOptions) {
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
  const testTimes = new Map<string, Array<{ t: number; path: string }>>();
  const episodes: Episode[] = [];
  const open = new Map<string, Episode>();
  for (const e of sorted) {
    if (e.type === "file.deleted") continue;
    const f = describePath(e.path);
    if (f.role === "test") {
      const list = testTimes.get(f.stem) ?? [];
      list.push({ t: e.timestamp, path: e.path });
      testTimes.set(f.stem, list);
    } else if (f.role === "source") {
      const ep = open.get(e.path);
      if (ep && e.timestamp - ep.end <= o.episodeGapMs) ep.end = e.timestamp;
      else {
        const next = { path: e.path, start: e.timestamp, end: e.timestamp };
        episodes.push(next);
        open.set(e.path, next);
      }
    }
  }
  const counts = {
    episodes: episodes.length,
    testFirst: 0,
    together: 0,
    testAfter: 0,
    untested: 0,
  };
  const evidence: string[] = [];
  for (const ep of episodes) {
    const tests = testTimes.get(describePath(ep.path).stem);
    if (!tests) {
      counts.untested++;
      continue;
    }
    const first = tests.filter((x) => x.t < ep.start && x.t >= ep.start - o.leadMs).pop();
    const with_ = tests.find((x) => x.t >= ep.start && x.t <= ep.end + o.trailMs);
    if (first) {
      counts.testFirst++;
      evidence.push(`test first: ${first.path} ${minutes(ep.start - first.t)} before ${ep.path}`);
    } else if (with_) {
      counts.together++;
      evidence.push(`test with code: ${with_.path} with ${ep.path}`);
    } else {
      counts.testAfter++;
      evidence.push(`code without a test change: ${ep.path}`);
    }
  }
  return { counts, evidence };
}

function tddFromCommits(commits: readonly MethodologyCommit[], o: TddOptions) {
  const sorted = [...commits].sort((a, b) => a.authoredAt - b.authoredAt);
  const lastTestOnly = new Map<string, { t: number; path: string; hash: string }>();
  const counts = { episodes: 0, testFirst: 0, together: 0, testAfter: 0, untested: 0 };
  const evidence: string[] = [];
  const everTested = new Set<string>();
  for (const c of sorted)
    for (const f of c.files)
      if (describePath(f.path).role === "test") everTested.add(describePath(f.path).stem);
  for (const c of sorted) {
    const facts = c.files.map((f) => describePath(f.path));
    const testStems = new Set(facts.filter((f) => f.role === "test").map((f) => f.stem));
    for (const f of facts) {
      if (f.role !== "source") continue;
      counts.episodes++;
      const earlier = lastTestOnly.get(f.stem);
      if (testStems.has(f.stem)) {
        counts.together++;
        evidence.push(`test with code in ${c.hash.slice(0, 8)}: ${f.path}`);
      } else if (earlier && c.authoredAt - earlier.t <= o.commitLeadMs) {
        counts.testFirst++;
        evidence.push(
          `test first in ${earlier.hash.slice(0, 8)}: ${earlier.path} before ${f.path}`,
        );
      } else if (everTested.has(f.stem)) {
        counts.testAfter++;
      } else {
        counts.untested++;
      }
    }
    const sourceStems = new Set(facts.filter((f) => f.role === "source").map((f) => f.stem));
    for (const f of facts) {
      if (f.role === "test" && !sourceStems.has(f.stem))
        lastTestOnly.set(f.stem, { t: c.authoredAt, path: f.path, hash: c.hash });
    }
  }
  return { counts, evidence };
}

/**
 * Scores DDD, TDD, BDD and EDA for a period's file events and commits.
 *
 * - **DDD, BDD, EDA:** half for the share of changed code files that are building blocks of the
 *   methodology (full at 30 %), half for how many distinct blocks appear (full at 5 for DDD, 3
 *   for BDD, 4 for EDA); see `methodology-rules.ts`.
 * - **TDD:** the share of implementation episodes whose test (same stem) changed first (counts 1)
 *   or with them (counts ½). From file events when there are any, else from commits (a test in
 *   the same commit counts ½, a test-only commit up to a day before counts 1).
 */
export function analyzeMethodology(
  input: { fileEvents: readonly MethodologyFileEvent[]; commits: readonly MethodologyCommit[] },
  options: Partial<TddOptions> = {},
): MethodologyScore[] {
  const o = { ...DEFAULT_TDD, ...options };
  const paths = [
    ...input.fileEvents.map((e) => e.path),
    ...input.commits.flatMap((c) => c.files.map((f) => f.path)),
  ];
  const fromEvents = input.fileEvents.length > 0;
  const tdd = fromEvents ? tddFromEvents(input.fileEvents, o) : tddFromCommits(input.commits, o);
  const { counts } = tdd;
  const tddScore =
    counts.episodes === 0
      ? 0
      : Math.round((100 * (counts.testFirst + 0.5 * counts.together)) / counts.episodes);
  const bdd = blockScore(
    { methodology: "bdd", blocks: BDD_BLOCKS, expectedBlocks: 3, name: "BDD" },
    paths,
  );
  return [
    blockScore({ methodology: "ddd", blocks: DDD_BLOCKS, expectedBlocks: 5, name: "DDD" }, paths),
    {
      methodology: "tdd",
      score: tddScore,
      level: level(tddScore),
      summary:
        counts.episodes === 0
          ? "no implementation changes to order against tests"
          : `${counts.testFirst} of ${counts.episodes} implementation ${fromEvents ? "episodes" : "changes"} had their test changed first, ${counts.together} with it, ${counts.testAfter} without a test change, ${counts.untested} have no test`,
      facts: { ...counts, fromFileEvents: fromEvents ? 1 : 0 },
      evidence: tdd.evidence.slice(0, EVIDENCE),
    },
    bdd,
    blockScore({ methodology: "eda", blocks: EDA_BLOCKS, expectedBlocks: 4, name: "EDA" }, paths),
  ];
}
