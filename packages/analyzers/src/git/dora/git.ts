/**
 * The git-only DORA inputs: deployments are release tags matching a pattern and/or merges to
 * the production branch; changes are commits, each shipped by the first deployment whose commit
 * reaches it; incidents are revert and hotfix commits (and merged hotfix branches), resolved by
 * the first deployment that contains the fix.
 */
import { z } from "zod";
import { DevflowError } from "@devflow/events";
import type { CommitRepository } from "@devflow/storage";
import { parseOptions } from "../scope.js";
import {
  computeDora,
  type DoraChange,
  type DoraDeployment,
  type DoraIncident,
  type DoraInput,
  type DoraOptions,
  type DoraReport,
} from "./metrics.js";

/** A stored commit as DORA needs it. */
export interface DoraCommit {
  hash: string;
  parents: string[];
  authoredAt: number;
  committedAt: number;
  message: string | null;
}

/** A tag as read from the repository (`git for-each-ref refs/tags`). */
export interface TagRef {
  name: string;
  /** The commit it points to (peeled). */
  commit: string;
  /** Tagger date for annotated tags, else the commit date, ms. */
  at: number;
}

/** Options of {@link gitDoraInput}. */
export interface GitDoraOptions {
  tags?: readonly TagRef[];
  /** Release tags; default `^v?\d+\.\d+\.\d+$` (pre-release tags are not production). */
  tagPattern?: string | RegExp;
  /** The production branch and the commit it points to now. */
  productionBranch?: { name: string; tip: string } | null;
  /** `auto` (default): tags when any release tag is stored, else merges to the branch. */
  deployments?: "auto" | "tags" | "merges" | "both";
  /** Revert commits; default `^Revert "` or a `This reverts commit <hash>` line. */
  revertPattern?: string | RegExp;
  /** Hotfix commits (matched against the subject); default `\bhot-?fix(es)?\b`, any case. */
  hotfixPattern?: string | RegExp;
  /** Merged hotfix branches (matched against the branch name); default `(^|/)hot-?fix[-/_]`. */
  hotfixBranchPattern?: string | RegExp;
}

/** Default release tag pattern. */
export const DEFAULT_TAG_PATTERN = String.raw`^v?\d+\.\d+\.\d+$`;
/** Default revert pattern. */
export const DEFAULT_REVERT_PATTERN = String.raw`^Revert "|^This reverts commit [0-9a-f]{7,64}`;
/** Default hotfix subject pattern. */
export const DEFAULT_HOTFIX_PATTERN = String.raw`\bhot-?fix(es)?\b`;
/** Default hotfix branch pattern. */
export const DEFAULT_HOTFIX_BRANCH_PATTERN = String.raw`(^|/)hot-?fix[-/_]`;

const pattern = z.union([z.string().min(1), z.instanceof(RegExp)]);
const OptionsSchema = z.strictObject({
  tags: z
    .array(z.strictObject({ name: z.string().min(1), commit: z.string().min(1), at: z.number() }))
    .optional(),
  tagPattern: pattern.optional(),
  productionBranch: z
    .strictObject({ name: z.string().min(1), tip: z.string().min(1) })
    .nullable()
    .optional(),
  deployments: z.enum(["auto", "tags", "merges", "both"]).optional(),
  revertPattern: pattern.optional(),
  hotfixPattern: pattern.optional(),
  hotfixBranchPattern: pattern.optional(),
});

function regex(
  value: string | RegExp | undefined,
  fallback: string,
  flags: string,
  what: string,
): RegExp {
  try {
    if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace("g", ""));
    return new RegExp(value ?? fallback, flags);
  } catch (err) {
    throw new DevflowError("ANALYZERS_BAD_ARGUMENT", `invalid ${what}: ${String(value)}`, {
      cause: err,
    });
  }
}

/** Reads every stored commit of a project for DORA (one pass over `commits`, no files). */
export function readDoraCommits(commits: CommitRepository, projectId: string): DoraCommit[] {
  return commits.graph(projectId);
}

/** The branch a merge commit brought in, from git's subject (`Merge branch 'x'`, pull requests). */
export function mergedBranchOf(message: string | null): string | null {
  const subject = (message ?? "").split("\n", 1)[0]!;
  const quoted = /^Merge (?:remote-tracking )?branch(?:es)? '([^']+)'/.exec(subject);
  if (quoted) return quoted[1]!;
  return /^Merge pull request #\d+ from (\S+)/.exec(subject)?.[1] ?? null;
}

const short = (hash: string): string => hash.slice(0, 10);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Derives DORA inputs from stored commits and the repository's refs (see the module doc).
 * Several deployments of one commit (a tag on a production merge) count once, at the latest
 * time (DevLake keeps the last finish of a pipeline). A revert counts as an incident of the
 * deployment that first shipped the reverted commit — or none, when that commit was not yet
 * deployed when it was reverted; other incidents belong to the last deployment before the
 * fix was authored (DevLake's rule).
 */
export function gitDoraInput(
  commits: readonly DoraCommit[],
  options: GitDoraOptions = {},
): DoraInput {
  const opts = parseOptions(OptionsSchema, options, "DORA git options");
  const byHash = new Map(commits.map((c) => [c.hash, c]));
  const tagRe = regex(opts.tagPattern, DEFAULT_TAG_PATTERN, "", "tag pattern");
  const sources: string[] = [];

  const releaseTags = (opts.tags ?? []).filter((t) => tagRe.test(t.name));
  const tagDeploys: DoraDeployment[] = releaseTags
    .filter((t) => byHash.has(t.commit))
    .map((t) => ({ id: `tag:${t.name}`, name: t.name, at: t.at, commit: t.commit, source: "tag" }));
  const mergeDeploys: DoraDeployment[] = [];
  const branch = opts.productionBranch;
  if (branch) {
    for (let c = byHash.get(branch.tip); c; c = byHash.get(c.parents[0] ?? "")) {
      if (c.parents.length > 1) {
        mergeDeploys.push({
          id: `merge:${c.hash}`,
          name: `merge ${short(c.hash)} into ${branch.name}`,
          at: c.committedAt,
          commit: c.hash,
          source: "merge",
        });
      }
    }
  }
  const mode = opts.deployments ?? "auto";
  const useTags = mode === "tags" || mode === "both" || (mode === "auto" && tagDeploys.length > 0);
  const useMerges = mode === "merges" || mode === "both" || (mode === "auto" && !useTags);
  if (useTags)
    sources.push(
      `deployments: ${plural(tagDeploys.length, "release tag")} matching /${tagRe.source}/`,
    );
  if (useMerges) {
    sources.push(
      branch
        ? `deployments: ${plural(mergeDeploys.length, "merge")} into ${branch.name} (first-parent history)`
        : "deployments: no production branch given, so no merges",
    );
  }
  const unstoredTags = releaseTags.length - tagDeploys.length;
  if (useTags && unstoredTags) {
    sources.push(
      `${plural(unstoredTags, "release tag")} on commits not stored (import the history)`,
    );
  }
  if (useMerges && branch && !byHash.has(branch.tip)) {
    sources.push(`the tip of ${branch.name} is not stored yet (import new commits)`);
  }
  const byCommit = new Map<string, DoraDeployment>();
  let merged = 0;
  for (const d of [...(useTags ? tagDeploys : []), ...(useMerges ? mergeDeploys : [])]) {
    const prev = byCommit.get(d.commit!);
    if (!prev) byCommit.set(d.commit!, d);
    else {
      merged++;
      const [keep, other] = d.at > prev.at ? [d, prev] : [prev, d];
      byCommit.set(d.commit!, {
        ...keep,
        name: `${keep.name}, ${other.name}`,
        source: keep.source === other.source ? keep.source : "tag+merge",
      });
    }
  }
  if (merged)
    sources.push(`${plural(merged, "deployment")} of an already deployed commit counted once`);
  const deployments = [...byCommit.values()].sort(
    (a, b) => a.at - b.at || (a.name < b.name ? -1 : 1),
  );

  // Each commit is shipped by the first deployment (in time) whose commit reaches it.
  const shippedBy = new Map<string, DoraDeployment>();
  for (const d of deployments) {
    const stack = [d.commit!];
    while (stack.length) {
      const h = stack.pop()!;
      if (shippedBy.has(h)) continue;
      const c = byHash.get(h);
      if (!c) continue;
      shippedBy.set(h, d);
      for (const p of c.parents) if (!shippedBy.has(p)) stack.push(p);
    }
  }
  const changes: DoraChange[] = [];
  for (const [hash, d] of shippedBy) {
    const c = byHash.get(hash)!;
    if (c.parents.length > 1) continue;
    changes.push({ id: hash, firstCommitAt: c.authoredAt, deploymentId: d.id });
  }
  sources.push("changes: non-merge commits, each shipped by the first deployment that contains it");

  const incidents = findIncidents({ commits, byHash, shippedBy, deployments }, opts);
  const kinds = ["revert", "hotfix", "hotfix-branch"].map(
    (k) => `${incidents.filter((i) => i.kind === k).length} ${k}`,
  );
  sources.push(
    `incidents: ${kinds.join(", ")} commits, resolved by the first deployment that contains the fix`,
  );
  const noMessage = commits.filter((c) => c.message === null).length;
  if (noMessage)
    sources.push(
      `${plural(noMessage, "commit")} without a stored message cannot be recognised as incidents`,
    );
  return { deployments, changes, incidents, sources };
}

/** The history and deployments incidents are looked for in. */
interface IncidentFacts {
  commits: readonly DoraCommit[];
  byHash: ReadonlyMap<string, DoraCommit>;
  shippedBy: ReadonlyMap<string, DoraDeployment>;
  deployments: readonly DoraDeployment[];
}

function findIncidents(facts: IncidentFacts, opts: z.output<typeof OptionsSchema>): DoraIncident[] {
  const { commits, byHash, shippedBy, deployments } = facts;
  const revertRe = regex(opts.revertPattern, DEFAULT_REVERT_PATTERN, "m", "revert pattern");
  const hotfixRe = regex(opts.hotfixPattern, DEFAULT_HOTFIX_PATTERN, "i", "hotfix pattern");
  const branchRe = regex(
    opts.hotfixBranchPattern,
    DEFAULT_HOTFIX_BRANCH_PATTERN,
    "i",
    "hotfix branch pattern",
  );
  const lastBefore = (t: number): DoraDeployment | undefined => {
    let found: DoraDeployment | undefined;
    for (const d of deployments) {
      if (d.at > t) break;
      found = d;
    }
    return found;
  };
  const absorbed = new Set<string>();
  const found: DoraIncident[] = [];
  const ordered = [...commits].sort((a, b) => b.committedAt - a.committedAt);
  for (const c of ordered) {
    if (absorbed.has(c.hash) || c.message === null) continue;
    const subject = c.message.split("\n", 1)[0]!;
    const isMerge = c.parents.length > 1;
    let kind: string | null = null;
    let createdAt = c.authoredAt;
    if (isMerge) {
      const name = mergedBranchOf(c.message);
      if (name && branchRe.test(name)) {
        kind = "hotfix-branch";
        // The branch's own commits shipped with this merge are part of the same incident.
        const ship = shippedBy.get(c.hash);
        const stack = c.parents.slice(1);
        while (stack.length) {
          const h = stack.pop()!;
          const b = byHash.get(h);
          if (!b || absorbed.has(h) || shippedBy.get(h) !== ship) continue;
          absorbed.add(h);
          createdAt = Math.min(createdAt, b.authoredAt);
          stack.push(...b.parents);
        }
      }
    } else if (revertRe.test(c.message)) kind = "revert";
    else if (hotfixRe.test(subject)) kind = "hotfix";
    if (!kind) continue;
    const resolver = shippedBy.get(c.hash);
    const incident: DoraIncident = {
      id: `${kind}:${short(c.hash)}`,
      kind,
      createdAt,
      commit: c.hash,
      resolvedBy: resolver?.id ?? null,
      resolvedAt: resolver?.at ?? null,
    };
    const reverted =
      kind === "revert" ? /This reverts commit ([0-9a-f]{7,64})/.exec(c.message)?.[1] : undefined;
    const target = reverted === undefined ? undefined : byHash.get(reverted);
    if (target) {
      const cause = shippedBy.get(target.hash);
      if (cause && cause.at <= createdAt) {
        incident.causedBy = cause.id;
        incident.note = `reverts ${short(target.hash)}, shipped by ${cause.name}`;
      } else {
        incident.causedBy = null;
        incident.counted = false;
        incident.note = `reverts ${short(target.hash)}, which was not in production when reverted`;
      }
    } else {
      const cause = lastBefore(createdAt);
      incident.causedBy = cause?.id ?? null;
      if (!cause) incident.counted = false;
      incident.note = cause
        ? `after ${cause.name}, the last deployment before the fix`
        : "before the first deployment";
    }
    found.push(incident);
  }
  return found.reverse();
}

/**
 * DORA from git alone: {@link gitDoraInput} over the stored commits, then
 * {@link computeDora} over the period.
 */
export function doraFromGit(
  commits: readonly DoraCommit[],
  options: GitDoraOptions & DoraOptions,
): DoraReport {
  const { from, to, timeZone, ...git } = options;
  return computeDora(gitDoraInput(commits, git), {
    to,
    ...(from === undefined ? {} : { from }),
    ...(timeZone === undefined ? {} : { timeZone }),
  });
}
