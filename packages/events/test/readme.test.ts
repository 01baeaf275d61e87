/**
 * The README's event catalog matches the source: every type of EVENT_TYPES, in order, under its
 * category heading, with its default severity and its `data` fields (optional ones marked `?`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { DevflowEventSchema, EVENT_TYPES } from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const catalog = readme.slice(
  readme.indexOf("## Event catalog"),
  readme.indexOf("## Engine semantics"),
);

interface Row {
  category: string;
  type: string;
  severity: string;
  fields: string;
}

function readRows(): Row[] {
  const rows: Row[] = [];
  let category = "";
  for (const line of catalog.split("\n")) {
    const heading = /^### (\w+)/.exec(line);
    if (heading) category = heading[1]!;
    const row = /^\|\s*`([a-z_.]+)`\s*\|\s*(\w+)\s*\|\s*(.*?)\s*\|$/.exec(line);
    if (row) rows.push({ category, type: row[1]!, severity: row[2]!, fields: row[3]! });
  }
  return rows;
}

/** `a, b?, c` for a data schema, `?` marking fields that may be omitted. */
function fieldList(schema: z.ZodType): string {
  const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
  return Object.entries(shape)
    .map(([key, field]) => key + (field.safeParse(undefined).success ? "?" : ""))
    .join(", ");
}

const schemas = new Map(DevflowEventSchema.options.map((o) => [o.shape.type.value as string, o]));

describe("README event catalog", () => {
  const rows = readRows();

  it("lists exactly the types of EVENT_TYPES, in order", () => {
    expect(rows.map((r) => r.type)).toEqual([...EVENT_TYPES]);
  });

  it("lists each type under its category heading", () => {
    for (const row of rows) expect(row.type.startsWith(`${row.category}.`)).toBe(true);
  });

  it("gives each type its default severity", () => {
    for (const row of rows) {
      const schema = schemas.get(row.type)!;
      expect({ type: row.type, severity: row.severity }).toEqual({
        type: row.type,
        severity: schema.shape.severity.parse(undefined),
      });
    }
  });

  it("lists each type's data fields", () => {
    for (const row of rows.filter((r) => r.category !== "security")) {
      const listed = row.fields.replace(/\s*\([^)]*\)/g, "");
      expect({ type: row.type, fields: listed }).toEqual({
        type: row.type,
        fields: fieldList(schemas.get(row.type)!.shape.data),
      });
    }
  });

  it("lists the data shared by the security events", () => {
    const shared = /All share the same `data`: ([^.]+)\./.exec(catalog.replace(/\s+/g, " "))?.[1];
    expect(shared).toBe(fieldList(schemas.get("security.login_failed")!.shape.data));
  });
});
