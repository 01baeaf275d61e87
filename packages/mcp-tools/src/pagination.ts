/**
 * Pagination for every tool that lists: `limit` (1–500, default 50) and an opaque `cursor`
 * returned as `nextCursor` while more items remain.
 */
import { DevflowError } from "@devflow/events";
import { z } from "zod";

/** Input fields of a paginated tool. */
export const PageInput = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe("Items per page, 1-500 (default 50)."),
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe("The nextCursor of the previous page; omit for the first page."),
};

/** The output field of a paginated tool. */
export const PageOutput = {
  nextCursor: z
    .string()
    .nullable()
    .describe("Pass as cursor to get the next page; null at the end."),
};

/** Encodes a cursor (any JSON value) as base64url. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** Decodes a cursor made by {@link encodeCursor}; throws `TOOLS_BAD_CURSOR`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new DevflowError(
      "TOOLS_BAD_CURSOR",
      "The cursor is not valid; pass the nextCursor of the previous page unchanged, or omit it.",
    );
  }
}

/** Pages an in-memory list by offset. */
export function pageOf<T>(
  items: readonly T[],
  args: { limit?: number | undefined; cursor?: string | undefined },
): { items: T[]; nextCursor: string | null } {
  const offset =
    args.cursor === undefined
      ? 0
      : decodeCursor(args.cursor, z.object({ o: z.number().int().min(0) })).o;
  const limit = args.limit ?? 50;
  const slice = items.slice(offset, offset + limit);
  const next = offset + slice.length;
  return { items: slice, nextCursor: next < items.length ? encodeCursor({ o: next }) : null };
}

/** A page of `rows` with the total count: the output of the table tools. */
export function pagedRows<T>(
  rows: readonly T[],
  args: { limit?: number | undefined; cursor?: string | undefined },
): { total: number; rows: T[]; nextCursor: string | null } {
  const page = pageOf(rows, args);
  return { total: rows.length, rows: page.items, nextCursor: page.nextCursor };
}
