/**
 * How the command line shows a table operation's rows: CSV (code-maat's column names, RFC 4180,
 * with csv-stringify) and aligned text tables for people (cli-table3, borderless, numbers
 * right-aligned).
 */
import type { Cell, OperationColumn } from "@devflow/mcp-tools";
import Table from "cli-table3";
import { stringify } from "csv-stringify/sync";

type Row = Record<string, unknown>;

function cells(columns: readonly OperationColumn[], rows: readonly Row[]): Cell[][] {
  return rows.map((row) => columns.map((c) => c.value(row)));
}

/** The rows as CSV with a header line. */
export function rowsToCsv(columns: readonly OperationColumn[], rows: readonly Row[]): string {
  return stringify([columns.map((c) => c.header), ...cells(columns, rows)], {
    cast: { boolean: (v) => String(v), number: (v) => String(v) },
    record_delimiter: "\n",
  });
}

const BORDERLESS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/** The rows as an aligned text table (numbers right-aligned). */
export function rowsToText(columns: readonly OperationColumn[], rows: readonly Row[]): string {
  const body = cells(columns, rows);
  const numeric = columns.map(
    (_, i) => body.length > 0 && body.every((r) => typeof r[i] === "number"),
  );
  const table = new Table({
    head: columns.map((c) => c.header),
    chars: BORDERLESS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
    colAligns: numeric.map((n) => (n ? "right" : "left")),
  });
  for (const r of body) table.push(r.map((v) => (v === null ? "" : String(v))));
  return table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}
