/**
 * Running an operation the same way from every face: strict input validation (an unknown
 * argument is an error naming it), the caller's permission checked on the operation's project,
 * the handler, and the output checked against its schema. The MCP server, the prompts and the
 * command line all call {@link invokeOperation}, so an operation answers the same everywhere.
 */
import { DevflowError } from "@devflow/events";
import { z } from "zod";
import { projectFor, requireAccess, type ToolContext } from "./context.js";
import type { Operation } from "./tool.js";

const inputSchemas = new WeakMap<Operation, z.ZodObject>();
const outputSchemas = new WeakMap<Operation, z.ZodObject>();

/** The strict input schema of an operation: unknown keys are refused, not dropped. */
export function inputSchemaOf(operation: Operation): z.ZodObject {
  let schema = inputSchemas.get(operation);
  if (schema === undefined) {
    schema = z.strictObject(operation.input);
    inputSchemas.set(operation, schema);
  }
  return schema;
}

/** The output schema of an operation (closed: unknown keys are dropped before answering). */
export function outputSchemaOf(operation: Operation): z.ZodObject {
  let schema = outputSchemas.get(operation);
  if (schema === undefined) {
    schema = z.object(operation.output);
    outputSchemas.set(operation, schema);
  }
  return schema;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  const path = issue.path.map(String).join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}

/**
 * Validates `args` against the operation's strict input schema.
 *
 * @throws {@link DevflowError} `TOOLS_BAD_ARGUMENT` naming every unknown or invalid argument.
 */
export function parseOperationInput(operation: Operation, args: unknown): Record<string, unknown> {
  const parsed = inputSchemaOf(operation).safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  throw new DevflowError(
    "TOOLS_BAD_ARGUMENT",
    `${operation.name}: ${parsed.error.issues.map(issueText).join("; ")}`,
    { data: { operation: operation.name } },
  );
}

function projectIdForAccess(
  operation: Operation,
  args: Record<string, unknown>,
  ctx: ToolContext,
): string | null {
  if (!("project" in operation.input)) return null;
  const project = args["project"];
  return projectFor(ctx, typeof project === "string" ? project : undefined).id;
}

/** The answer of an operation: its structured content and its text rendering. */
export interface OperationAnswer {
  readonly data: Record<string, unknown>;
  readonly text: string;
}

/**
 * How a paginated answer tells a reader (a model, a person) that more rows exist and how to
 * get them; empty when the answer is not paginated or complete.
 */
export function pageFooter(data: Record<string, unknown>): string {
  const rows = data["rows"];
  const total = data["total"];
  const next = data["nextCursor"];
  if (!Array.isArray(rows) || typeof total !== "number") return "";
  if (typeof next !== "string") {
    return rows.length < total ? `(${rows.length} of ${total} rows)` : "";
  }
  return `(${rows.length} of ${total} rows shown; for the next page call again with cursor "${next}")`;
}

/**
 * Validates the input, checks the caller's permission, runs the operation and checks its
 * output. Failures are thrown as `DevflowError`s (the face turns them into an `isError`
 * result, an exit code or an HTTP status).
 *
 * @throws {@link DevflowError} `TOOLS_BAD_ARGUMENT`, `SECURITY_FORBIDDEN`, or what the
 * operation throws; a result that does not match the output schema is `TOOLS_INTERNAL`.
 */
export async function invokeOperation(
  operation: Operation,
  args: unknown,
  ctx: ToolContext,
): Promise<OperationAnswer> {
  const input = parseOperationInput(operation, args);
  await requireAccess(ctx, operation.permission, projectIdForAccess(operation, input, ctx));
  const result = await operation.run(input, ctx);
  // Parse with the declared schema: unknown keys are dropped, so clients that validate against
  // the (closed) JSON Schema accept it; a mismatch is a bug of the operation, logged.
  const checked = outputSchemaOf(operation).safeParse(result);
  if (!checked.success) {
    ctx.logger.error({ tool: operation.name, issues: checked.error.issues }, "output invalid");
    throw new DevflowError(
      "TOOLS_INTERNAL",
      `the output of ${operation.name} does not match its schema`,
    );
  }
  const data = checked.data;
  const footer = pageFooter(data);
  const text = operation.render(data);
  return { data, text: footer === "" ? text : `${text}\n${footer}` };
}
