/**
 * Tabular output of the git analyses: the column names code-maat prints (so CSV output can
 * feed tools written for code-maat), CSV and aligned text.
 */
import type { CoChangeRow } from "./co-changes.js";
import type { AuthorCommitStats, CommitStats } from "./commit-stats.js";
import type { CouplingRow } from "./coupling.js";
import type { HotspotRow } from "./hotspots.js";
import type { BusFactorRow, KnowledgeLossRow } from "./knowledge.js";
import type {
  AbsoluteChurnRow,
  AuthorChurnRow,
  AuthorsRow,
  CodeAgeRow,
  EntityChurnRow,
  RevisionsRow,
  SumOfCouplingRow,
  SummaryRow,
} from "./maat.js";
import type {
  CommunicationRow,
  EffortRow,
  FragmentationRow,
  MainDevRow,
  OwnershipRow,
} from "./maat-people.js";
import type { MessageMatchRow } from "./messages.js";

/** A cell value. */
export type Cell = string | number | boolean | null;

/** One output column: its header and how to read it from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
}

/** Rows with their columns. */
export interface Table<T> {
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
}

function col<T>(header: string, key: keyof T): Column<T> {
  return { header, value: (row) => row[key] as Cell };
}

const iso = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString().slice(0, 10);

/** Column sets by analysis; headers are code-maat's where code-maat has the analysis. */
export const GIT_COLUMNS = {
  summary: [col<SummaryRow>("statistic", "statistic"), col<SummaryRow>("value", "value")],
  revisions: [col<RevisionsRow>("entity", "entity"), col<RevisionsRow>("n-revs", "revisions")],
  authors: [
    col<AuthorsRow>("entity", "entity"),
    col<AuthorsRow>("n-authors", "authors"),
    col<AuthorsRow>("n-revs", "revisions"),
  ],
  absChurn: [
    col<AbsoluteChurnRow>("date", "date"),
    col<AbsoluteChurnRow>("added", "added"),
    col<AbsoluteChurnRow>("deleted", "deleted"),
    col<AbsoluteChurnRow>("commits", "commits"),
  ],
  authorChurn: [
    col<AuthorChurnRow>("author", "author"),
    col<AuthorChurnRow>("added", "added"),
    col<AuthorChurnRow>("deleted", "deleted"),
    col<AuthorChurnRow>("commits", "commits"),
  ],
  entityChurn: [
    col<EntityChurnRow>("entity", "entity"),
    col<EntityChurnRow>("added", "added"),
    col<EntityChurnRow>("deleted", "deleted"),
    col<EntityChurnRow>("commits", "commits"),
  ],
  ownership: [
    col<OwnershipRow>("entity", "entity"),
    col<OwnershipRow>("author", "author"),
    col<OwnershipRow>("added", "added"),
    col<OwnershipRow>("deleted", "deleted"),
  ],
  mainDev: mainDevColumns("added", "total-added"),
  refactoringMainDev: mainDevColumns("removed", "total-removed"),
  mainDevByRevs: mainDevColumns("added", "total-added"),
  effort: [
    col<EffortRow>("entity", "entity"),
    col<EffortRow>("author", "author"),
    col<EffortRow>("author-revs", "authorRevisions"),
    col<EffortRow>("total-revs", "totalRevisions"),
  ],
  fragmentation: [
    col<FragmentationRow>("entity", "entity"),
    col<FragmentationRow>("fractal-value", "fractalValue"),
    col<FragmentationRow>("total-revs", "totalRevisions"),
  ],
  communication: [
    col<CommunicationRow>("author", "author"),
    col<CommunicationRow>("peer", "peer"),
    col<CommunicationRow>("shared", "shared"),
    col<CommunicationRow>("average", "average"),
    col<CommunicationRow>("strength", "strength"),
  ],
  age: [col<CodeAgeRow>("entity", "entity"), col<CodeAgeRow>("age-months", "ageMonths")],
  coupling: [
    col<CouplingRow>("entity", "entity"),
    col<CouplingRow>("coupled", "coupled"),
    col<CouplingRow>("degree", "degree"),
    col<CouplingRow>("average-revs", "averageRevs"),
  ],
  soc: [col<SumOfCouplingRow>("entity", "entity"), col<SumOfCouplingRow>("soc", "soc")],
  messages: [col<MessageMatchRow>("entity", "entity"), col<MessageMatchRow>("matches", "matches")],
  hotspots: [
    col<HotspotRow>("rank", "rank"),
    col<HotspotRow>("entity", "entity"),
    col<HotspotRow>("n-revs", "revisions"),
    col<HotspotRow>("loc", "loc"),
    col<HotspotRow>("score", "score"),
    col<HotspotRow>("added", "added"),
    col<HotspotRow>("deleted", "deleted"),
    { header: "trend", value: (r: HotspotRow) => r.trend.direction },
    { header: "slope", value: (r: HotspotRow) => r.trend.slope },
  ],
  busFactor: [
    col<BusFactorRow>("folder", "folder"),
    col<BusFactorRow>("files", "files"),
    col<BusFactorRow>("bus-factor", "busFactor"),
    {
      header: "owners",
      value: (r: BusFactorRow) => r.owners.map((o) => `${o.author} (${o.files})`).join("; "),
    },
  ],
  knowledgeLoss: [
    col<KnowledgeLossRow>("entity", "entity"),
    col<KnowledgeLossRow>("main-dev", "mainDev"),
    col<KnowledgeLossRow>("ownership", "ownership"),
    { header: "last-active", value: (r: KnowledgeLossRow) => iso(r.lastActiveAt) },
    col<KnowledgeLossRow>("inactive-days", "inactiveDays"),
  ],
  coChanges: [
    col<CoChangeRow>("changed", "changed"),
    col<CoChangeRow>("missing", "missing"),
    col<CoChangeRow>("degree", "degree"),
    col<CoChangeRow>("shared-revs", "sharedRevs"),
    col<CoChangeRow>("average-revs", "averageRevs"),
  ],
  commitAuthors: [
    col<AuthorCommitStats>("author", "author"),
    col<AuthorCommitStats>("commits", "commits"),
    col<AuthorCommitStats>("insertions", "insertions"),
    col<AuthorCommitStats>("deletions", "deletions"),
    col<AuthorCommitStats>("active-days", "activeDays"),
    col<AuthorCommitStats>("percent", "percent"),
  ],
  commitDays: [
    col<CommitStats["days"][number]>("date", "date"),
    col<CommitStats["days"][number]>("commits", "commits"),
    col<CommitStats["days"][number]>("insertions", "insertions"),
    col<CommitStats["days"][number]>("deletions", "deletions"),
  ],
  commitWeekdays: [
    col<CommitStats["weekdays"][number]>("weekday", "weekday"),
    col<CommitStats["weekdays"][number]>("commits", "commits"),
  ],
  commitHours: [
    col<CommitStats["hours"][number]>("hour", "hour"),
    col<CommitStats["hours"][number]>("commits", "commits"),
  ],
  commitMonths: [
    col<CommitStats["months"][number]>("month", "month"),
    col<CommitStats["months"][number]>("commits", "commits"),
  ],
} as const;

function mainDevColumns(contribution: string, total: string): Array<Column<MainDevRow>> {
  return [
    col<MainDevRow>("entity", "entity"),
    col<MainDevRow>("main-dev", "mainDev"),
    col<MainDevRow>(contribution, "contribution"),
    col<MainDevRow>(total, "total"),
    col<MainDevRow>("ownership", "ownership"),
  ];
}

function csvCell(value: Cell): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header line, as code-maat writes it (no trailing blank line). */
export function toCsv<T>(table: Table<T>, limit?: number): string {
  const rows = limit === undefined ? table.rows : table.rows.slice(0, limit);
  const lines = [table.columns.map((c) => csvCell(c.header)).join(",")];
  for (const row of rows) lines.push(table.columns.map((c) => csvCell(c.value(row))).join(","));
  return `${lines.join("\n")}\n`;
}

/** An aligned text table (numbers right-aligned) for people. */
export function toTextTable<T>(table: Table<T>, limit?: number): string {
  const rows = limit === undefined ? table.rows : table.rows.slice(0, limit);
  const cells = rows.map((row) => table.columns.map((c) => c.value(row)));
  const widths = table.columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => String(r[i] ?? "").length)),
  );
  const numeric = table.columns.map(
    (_, i) => cells.length > 0 && cells.every((r) => typeof r[i] === "number"),
  );
  const line = (values: Cell[]): string =>
    values
      .map((v, i) => {
        const text = String(v ?? "");
        return numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
      })
      .join("  ")
      .trimEnd();
  return [line(table.columns.map((c) => c.header)), ...cells.map(line)].join("\n");
}
