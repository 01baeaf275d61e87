import { z } from "zod";
import type { CommitRepository } from "@devflow/storage";
import { createDictionary, forEachChange } from "./facts.js";
import { type GitScope, parseOptions, type ResolvedScope, resolveScope } from "./scope.js";
import { dayKey } from "./time.js";

/** Weekday names, Monday first. */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
/** Month names. */
export const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** One author's commits and lines. */
export interface AuthorCommitStats {
  author: string;
  commits: number;
  insertions: number;
  deletions: number;
  /** Distinct local days with a commit. */
  activeDays: number;
  firstAt: number;
  lastAt: number;
  /** Share of all commits, percent with one decimal. */
  percent: number;
}

/** git-quick-stats-style commit statistics of a scope. */
export interface CommitStats {
  timeZone: string;
  /** Whether merge commits were counted. */
  includeMerges: boolean;
  totals: {
    commits: number;
    authors: number;
    activeDays: number;
    insertions: number;
    deletions: number;
    firstAt: number | null;
    lastAt: number | null;
  };
  /** Most commits first. */
  authors: AuthorCommitStats[];
  /** Days with commits, oldest first. */
  days: Array<{ date: string; commits: number; insertions: number; deletions: number }>;
  /** All seven weekdays, Monday first. */
  weekdays: Array<{ weekday: (typeof WEEKDAYS)[number]; commits: number }>;
  /** All 24 hours. */
  hours: Array<{ hour: number; commits: number }>;
  /** All twelve months of the year (every year together), January first. */
  months: Array<{ month: (typeof MONTHS)[number]; commits: number }>;
}

const OptionsSchema = z.strictObject({ includeMerges: z.boolean().optional() });

interface Acc {
  commits: number;
  insertions: number;
  deletions: number;
  days: Set<number>;
  firstAt: number;
  lastAt: number;
}

/**
 * Commit statistics in the manner of git-quick-stats: commits per author, day, weekday, hour
 * and month of the year (in the scope's time zone), active days, and lines added and deleted
 * per author over the scope's period. Merges are left out unless `includeMerges`. Without path
 * filters the commit totals are read; with filters or components only the lines of files in
 * scope count, and a commit counts when it touches one (merges touch none).
 */
export function commitStats(
  commits: CommitRepository,
  scope: GitScope | ResolvedScope,
  options: { includeMerges?: boolean } = {},
): CommitStats {
  const includeMerges =
    parseOptions(OptionsSchema, options, "commit stats options").includeMerges ?? false;
  const resolved = resolveScope(scope);
  const { zone } = resolved;
  const byAuthor = new Map<string, Acc>();
  const days = new Map<number, { commits: number; insertions: number; deletions: number }>();
  const weekdays = new Array<number>(7).fill(0);
  const hours = new Array<number>(24).fill(0);
  const months = new Array<number>(12).fill(0);
  const add = (author: string, at: number, ins: number, del: number): void => {
    const p = zone.parts(at);
    let a = byAuthor.get(author);
    if (!a) {
      a = { commits: 0, insertions: 0, deletions: 0, days: new Set(), firstAt: at, lastAt: at };
      byAuthor.set(author, a);
    }
    a.commits++;
    a.insertions += ins;
    a.deletions += del;
    a.days.add(p.dayNumber);
    a.firstAt = Math.min(a.firstAt, at);
    a.lastAt = Math.max(a.lastAt, at);
    const d = days.get(p.dayNumber) ?? { commits: 0, insertions: 0, deletions: 0 };
    d.commits++;
    d.insertions += ins;
    d.deletions += del;
    days.set(p.dayNumber, d);
    weekdays[p.weekday]!++;
    hours[p.hour]!++;
    months[p.month - 1]!++;
  };
  const s = resolved.scope;
  if (s.include?.length || s.exclude?.length || s.groups?.length) {
    const dict = createDictionary();
    const perCommit: ResolvedScope = { ...resolved, temporalPeriodDays: undefined };
    forEachChange(commits, { scope: perCommit, dict }, (c) => {
      let ins = 0;
      let del = 0;
      for (let i = 0; i < c.entities.length; i++) {
        ins += c.added[i]!;
        del += c.deleted[i]!;
      }
      add(dict.authors.names[c.author]!, c.at, ins, del);
    });
  } else {
    const rows = commits.streamTotals({
      projectId: resolved.projectId,
      from: resolved.since,
      to: resolved.until,
      includeMerges,
      authorKey: resolved.authorKey,
    });
    for (const row of rows) {
      add(row[0], row[1], row[2], row[3]);
    }
  }
  const total = [...byAuthor.values()].reduce((n, a) => n + a.commits, 0);
  const authors = [...byAuthor]
    .map(([author, a]) => ({
      author,
      commits: a.commits,
      insertions: a.insertions,
      deletions: a.deletions,
      activeDays: a.days.size,
      firstAt: a.firstAt,
      lastAt: a.lastAt,
      percent: Math.round((a.commits / total) * 1000) / 10,
    }))
    .sort((x, y) => y.commits - x.commits || (x.author < y.author ? -1 : 1));
  const sortedDays = [...days].sort((a, b) => a[0] - b[0]);
  return {
    timeZone: zone.name,
    includeMerges,
    totals: {
      commits: total,
      authors: authors.length,
      activeDays: days.size,
      insertions: authors.reduce((n, a) => n + a.insertions, 0),
      deletions: authors.reduce((n, a) => n + a.deletions, 0),
      firstAt: authors.length ? Math.min(...authors.map((a) => a.firstAt)) : null,
      lastAt: authors.length ? Math.max(...authors.map((a) => a.lastAt)) : null,
    },
    authors,
    days: sortedDays.map(([day, d]) => ({ date: dayKey(day), ...d })),
    weekdays: WEEKDAYS.map((weekday, i) => ({ weekday, commits: weekdays[i]! })),
    hours: hours.map((commits, hour) => ({ hour, commits })),
    months: MONTHS.map((month, i) => ({ month, commits: months[i]! })),
  };
}
