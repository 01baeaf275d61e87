/**
 * Command-line flags derived from an operation's zod input: `fooBar` becomes `--foo-bar`,
 * booleans are switches, numbers are parsed, arrays repeat, enums list their choices. The
 * values are collected into the same argument object an MCP client would send, and the
 * operation's own strict schema validates them, so both faces accept exactly the same input.
 */
import { DevflowError } from "@devflow/events";
import { type Command, InvalidArgumentError, Option } from "commander";
import { z } from "zod";

/** The kind of value an input field takes. */
export type FieldKind = "string" | "number" | "boolean" | "enum" | "strings" | "numbers";

/** One input field as the command line sees it. */
export interface FieldSpec {
  readonly key: string;
  readonly flag: string;
  readonly kind: FieldKind;
  readonly description: string;
  readonly choices?: readonly string[];
}

/** `fooBar` → `foo-bar`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

function describe(schema: z.ZodType): string {
  let s: z.ZodType | undefined = schema;
  while (s !== undefined) {
    if (s.description) return s.description;
    s =
      s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault
        ? (s.unwrap() as z.ZodType)
        : undefined;
  }
  return "";
}

/** The command-line form of one input field. */
export function fieldSpec(key: string, schema: z.ZodType): FieldSpec {
  const inner = unwrap(schema);
  const base = { key, flag: kebab(key), description: describe(schema) };
  if (inner instanceof z.ZodBoolean) return { ...base, kind: "boolean" };
  if (inner instanceof z.ZodNumber) return { ...base, kind: "number" };
  if (inner instanceof z.ZodEnum) {
    return { ...base, kind: "enum", choices: inner.options.map(String) };
  }
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType);
    return { ...base, kind: element instanceof z.ZodNumber ? "numbers" : "strings" };
  }
  return { ...base, kind: "string" };
}

/** The command-line form of every input field of `shape`. */
export function fieldSpecs(shape: z.ZodRawShape): FieldSpec[] {
  return Object.entries(shape).map(([key, schema]) => fieldSpec(key, schema as z.ZodType));
}

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new InvalidArgumentError(`expected a number (got "${value}")`);
  }
  return n;
}

/** Adds the flag of `field` to `cmd`. */
export function addFlag(cmd: Command, field: FieldSpec): void {
  const help = field.description || field.key;
  switch (field.kind) {
    case "boolean":
      cmd.addOption(new Option(`--${field.flag}`, help));
      return;
    case "number":
      cmd.addOption(new Option(`--${field.flag} <n>`, help).argParser(number));
      return;
    case "enum":
      cmd.addOption(new Option(`--${field.flag} <value>`, help).choices(field.choices ?? []));
      return;
    case "strings":
      cmd.addOption(
        new Option(`--${field.flag} <value>`, `${help} (repeatable)`).argParser(
          (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
        ),
      );
      return;
    case "numbers":
      cmd.addOption(
        new Option(`--${field.flag} <n>`, `${help} (repeatable)`).argParser(
          (v: string, prev: number[] | undefined) => [...(prev ?? []), number(v)],
        ),
      );
      return;
    case "string":
      cmd.addOption(new Option(`--${field.flag} <value>`, help));
      return;
  }
}

/** Converts a positional argument's text to its field's kind. */
export function positionalValue(field: FieldSpec, value: string | string[]): unknown {
  if (Array.isArray(value)) return field.kind === "numbers" ? value.map(number) : value;
  if (field.kind === "number") return number(value);
  if (field.kind === "strings") return [value];
  return value;
}

/**
 * Collects the given flags into an argument object keyed like the operation's input (commander
 * keys options by camel case, which is the input key).
 */
export function collectArgs(
  fields: readonly FieldSpec[],
  opts: Record<string, unknown>,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const field of fields) {
    const value = opts[field.key];
    if (value !== undefined) args[field.key] = value;
  }
  return args;
}

/** Fails with a clear message when a field the command line needs cannot be expressed. */
export function assertExpressible(operation: string, fields: readonly FieldSpec[]): void {
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.flag)) {
      throw new DevflowError(
        "CLI_BAD_ARGUMENT",
        `${operation}: two input fields map to the flag --${f.flag}`,
      );
    }
    seen.add(f.flag);
  }
}
