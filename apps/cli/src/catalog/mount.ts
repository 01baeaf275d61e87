/**
 * Generates the command-line commands of the operation catalogue: every operation with a `cli`
 * form becomes `devflow <command…>` with flags derived from its input. `--json` prints the
 * operation's structured answer (the same an MCP client gets for the same arguments); table
 * operations print an aligned table of at most 20 rows by default (`--limit N`, `--all`, with
 * an "N more rows" footer) or CSV with `--csv`.
 */
import { readFileSync } from "node:fs";
import { DevflowError } from "@devflow/events";
import { invokeOperation, type Operation, tableColumns, tableRows } from "@devflow/mcp-tools";
import type { Command } from "commander";
import type { z } from "zod";
import { wantsJson } from "../context.js";
import {
  addFlag,
  assertExpressible,
  collectArgs,
  type FieldSpec,
  fieldSpecs,
  positionalValue,
} from "./flags.js";
import { rowsToCsv, rowsToText } from "./render.js";
import { type CliSession, openCliSession } from "./session.js";

/** Rows a table shows when neither `--limit` nor `--all` is given. */
export const DEFAULT_TABLE_ROWS = 20;
const PAGE = 500;

function summary(operation: Operation): string {
  return operation.cli?.summary ?? operation.description.split(/(?<=\.)\s/)[0] ?? operation.title;
}

function commandFor(root: Command, path: readonly string[]): Command {
  let parent = root;
  for (const name of path.slice(0, -1)) {
    parent =
      parent.commands.find((c) => c.name() === name) ??
      parent.command(name).description(`${name} commands`);
  }
  return parent.command(path.at(-1)!);
}

function readFileArg(key: string, path: unknown): string {
  if (typeof path !== "string") return String(path);
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new DevflowError("CLI_BAD_ARGUMENT", `--${key}: cannot read the file ${path}`, {
      cause: err,
    });
  }
}

type Mode = "text" | "json" | "csv";

async function answer(
  operation: Operation,
  args: Record<string, unknown>,
  session: CliSession,
  all: boolean,
): Promise<Record<string, unknown>> {
  if (!all) return (await invokeOperation(operation, args, session.ctx)).data;
  // Every page: the rows of each page in order, the rest of the answer from the last page.
  const rows: unknown[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = (
      await invokeOperation(
        operation,
        { ...args, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) },
        session.ctx,
      )
    ).data;
    const key = tableRows(operation.table!, page);
    const pageRows = page[key];
    if (Array.isArray(pageRows)) rows.push(...(pageRows as unknown[]));
    const next = page["nextCursor"];
    if (typeof next !== "string") return { ...page, [key]: rows };
    cursor = next;
  }
}

function print(operation: Operation, data: Record<string, unknown>, mode: Mode): void {
  const table = operation.table;
  const rendered = table === undefined || (mode === "text" && operation.cli?.text === "render");
  if (mode === "json" || rendered) {
    process.stdout.write(`${mode === "json" ? JSON.stringify(data) : operation.render(data)}\n`);
    return;
  }
  if (table === undefined) return;
  const rows = (data[tableRows(table, data)] ?? []) as Record<string, unknown>[];
  const columns = tableColumns(table, data);
  if (mode === "csv") {
    process.stdout.write(rowsToCsv(columns, rows));
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(`${operation.render(data)}\n`);
    return;
  }
  const lines = [...(table.caption ? [table.caption(data)] : []), rowsToText(columns, rows)];
  const total = typeof data["total"] === "number" ? data["total"] : rows.length;
  if (total > rows.length) {
    lines.push(`(${total - rows.length} more rows; --all to show them, or --limit N)`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

function mountOne(root: Command, operation: Operation): void {
  const cli = operation.cli!;
  const fields = fieldSpecs(operation.input);
  assertExpressible(operation.name, fields);
  const positional = (cli.positional ?? []).map((key) => {
    const field = fields.find((f) => f.key === key);
    if (!field)
      throw new DevflowError(
        "CLI_INTERNAL",
        `${operation.name}: positional ${key} is not an input field`,
      );
    return field;
  });
  const cmd = commandFor(root, cli.command).description(summary(operation));
  for (const field of positional) {
    const many = field.kind === "strings" || field.kind === "numbers";
    const required = !(operation.input[field.key] as z.ZodType).safeParse(undefined).success;
    const name = many ? `${field.flag}...` : field.flag;
    cmd.argument(required ? `<${name}>` : `[${name}]`, field.description || field.key);
  }
  for (const field of fields) {
    if (!positional.includes(field)) addFlag(cmd, field);
  }
  const paged = "limit" in operation.input && operation.table !== undefined;
  if (operation.table !== undefined) cmd.option("--csv", "CSV with a header line");
  if (paged) cmd.option("--all", "every row (all pages)");
  cmd.action(async (...params: unknown[]) => {
    const self = params.at(-1) as Command;
    const opts = self.opts<Record<string, unknown>>();
    const args = collectArgs(fields, opts);
    positional.forEach((field: FieldSpec, i) => {
      const value = params[i] as string | string[] | undefined;
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
        args[field.key] = positionalValue(field, value);
      }
    });
    for (const key of cli.files ?? []) {
      if (args[key] !== undefined) args[key] = readFileArg(key, args[key]);
    }
    const mode: Mode = opts["csv"] === true ? "csv" : wantsJson(self) ? "json" : "text";
    const all = paged && (opts["all"] === true || (mode === "csv" && args["limit"] === undefined));
    if (all && args["cursor"] !== undefined) {
      throw new DevflowError("CLI_BAD_ARGUMENT", "--all and --csv read every page; drop --cursor");
    }
    if (paged && mode === "text" && !all && args["limit"] === undefined) {
      args["limit"] = DEFAULT_TABLE_ROWS;
    }
    const session = openCliSession(self);
    try {
      print(operation, await answer(operation, args, session, all), mode);
    } finally {
      session.close();
    }
  });
}

/** Adds a command for every operation of `operations` that has a command-line form. */
export function mountOperations(root: Command, operations: readonly Operation[]): void {
  for (const operation of operations) if (operation.cli !== undefined) mountOne(root, operation);
}
