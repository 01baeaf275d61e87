/**
 * The operation catalogue's entry: a name, a description written for a model, zod input and
 * output shapes, annotations, the permission it needs, a handler returning structured content
 * plus a short text rendering, and — for the command line — its command path and, for tables,
 * its columns. Operations are plain data, independent of any face: the MCP tools and the CLI
 * commands are generated from them (and the HTTP routes will be), so each is defined once.
 */
import type { Permission } from "@devflow/security";
import type { z } from "zod";
import type { ToolContext } from "./context.js";

/** The toolsets of product.md §10 that this package provides (`maat`: code-maat's analyses). */
export const TOOLSETS = [
  "project",
  "stage",
  "metrics",
  "git",
  "maat",
  "delivery",
  "ai",
  "system",
  "security",
  "data",
] as const;

/** A toolset name. */
export type ToolsetName = (typeof TOOLSETS)[number];

/** Toolsets enabled when `--toolsets` is not given (product.md §10). */
export const DEFAULT_TOOLSETS: readonly ToolsetName[] = [
  "project",
  "stage",
  "metrics",
  "git",
  "delivery",
  "ai",
];

/** MCP tool annotations (hints for clients; never trusted for security). */
export interface ToolAnnotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** A value in a table cell. */
export type Cell = string | number | boolean | null;

/** One column of a table operation: its header (code-maat's names where it has one) and value. */
export interface OperationColumn {
  readonly header: string;
  readonly value: (row: Record<string, unknown>) => Cell;
}

/** A column showing `row[key]` under `header`. */
export function column(header: string, key: string): OperationColumn {
  return { header, value: (row) => (row[key] ?? null) as Cell };
}

/** How an operation appears on the command line. */
export interface OperationCli {
  /** The command path below `devflow`, e.g. `["analyze", "hotspots"]`. */
  readonly command: readonly string[];
  /** A shorter description for `--help` (default: the first sentence of the description). */
  readonly summary?: string;
  /** Input keys taken as positional arguments, in order; the last one may be an array. */
  readonly positional?: readonly string[];
  /** Input keys whose value the command line reads from a file given by path. */
  readonly files?: readonly string[];
  /** What a table operation prints without `--json`/`--csv`: the table (default) or `render`. */
  readonly text?: "table" | "render";
}

/** The rows of a table operation: the output key holding them and their columns. */
export interface OperationTable {
  /** The output key of the rows, or a function of the answer when it depends on an argument. */
  readonly rows: string | ((answer: Record<string, unknown>) => string);
  /** A line shown above the table on the command line (totals, context). */
  readonly caption?: (answer: Record<string, unknown>) => string;
  /** The columns, or a function of the answer when they depend on an argument. */
  readonly columns:
    readonly OperationColumn[] | ((answer: Record<string, unknown>) => readonly OperationColumn[]);
}

/** The output key of a table operation's rows for one answer. */
export function tableRows(table: OperationTable, answer: Record<string, unknown>): string {
  return typeof table.rows === "function" ? table.rows(answer) : table.rows;
}

/** The columns of a table operation for one answer. */
export function tableColumns(
  table: OperationTable,
  answer: Record<string, unknown>,
): readonly OperationColumn[] {
  return typeof table.columns === "function" ? table.columns(answer) : table.columns;
}

/** An operation of the catalogue. `I` and `O` are zod raw shapes. */
export interface Operation<
  I extends z.ZodRawShape = z.ZodRawShape,
  O extends z.ZodRawShape = z.ZodRawShape,
> {
  readonly name: string;
  readonly title: string;
  /** What it answers, when to use it, units; written for a model. */
  readonly description: string;
  readonly toolset: ToolsetName;
  readonly input: I;
  readonly output: O;
  readonly annotations: ToolAnnotations;
  /** The permission a caller needs (checked on the tool's project when it has one). */
  readonly permission: Permission;
  /** Runs the tool; throw a `DevflowError` with a message that says what to change. */
  run(
    args: z.infer<z.ZodObject<I>>,
    ctx: ToolContext,
  ): z.infer<z.ZodObject<O>> | Promise<z.infer<z.ZodObject<O>>>;
  /** A compact text rendering of the result for clients that do not read structured content. */
  render(result: z.infer<z.ZodObject<O>>): string;
  /** Its command-line form; operations without one are not on the command line. */
  readonly cli?: OperationCli;
  /** For operations whose answer is a table: the rows and their columns (text and CSV). */
  readonly table?: OperationTable;
}

/** Annotations of a read-only, idempotent, closed-world tool (most tools). */
export const READ_ONLY: ToolAnnotations = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});

/** Annotations of a tool that writes without destroying anything. */
export const WRITES: ToolAnnotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
});

/** Annotations of a tool that deletes or revokes. */
export const DESTRUCTIVE: ToolAnnotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
});

/** Identity helper that keeps the input and output types of an operation. */
export function defineOperation<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  operation: Operation<I, O>,
): Operation<I, O> {
  return operation;
}
