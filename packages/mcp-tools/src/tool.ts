/**
 * The shape of a DevFlow MCP tool: a name, a description written for a model, zod input and
 * output shapes, MCP annotations, the permission it needs, and a handler returning structured
 * content plus a short text rendering. Tools are plain data, independent of any transport.
 */
import type { Permission } from "@devflow/security";
import type { z } from "zod";
import type { ToolContext } from "./context.js";

/** The toolsets of product.md §10 that this package provides. */
export const TOOLSETS = [
  "project",
  "stage",
  "metrics",
  "git",
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

/** A tool definition. `I` and `O` are zod raw shapes. */
export interface DevflowTool<
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

/** Identity helper that keeps the input and output types of a tool definition. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  tool: DevflowTool<I, O>,
): DevflowTool<I, O> {
  return tool;
}
