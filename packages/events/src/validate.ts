import type { z } from "zod";
import { DevflowError } from "./errors.js";
import { type DevflowEvent, DevflowEventSchema, EVENT_TYPES } from "./schemas.js";

/** Default cap on the serialised size of an event's `data` plus `metadata`. */
export const DEFAULT_MAX_DATA_BYTES = 64 * 1024;

/** Options for {@link validateEvent}. */
export interface ValidateEventOptions {
  /** Largest accepted JSON size of `data` + `metadata`, in bytes (default 64 KiB). */
  maxDataBytes?: number;
}

/** One validation problem: the dotted path of the field and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Formats zod issues as `path: message` pairs (the path is `(root)` for the whole value). */
export function toFieldIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    return { path: path || "(root)", message: issue.message };
  });
}

const knownTypes = new Set<string>(EVENT_TYPES);
const validated = new WeakSet<object>();

/**
 * True when `value` is an event object returned by {@link validateEvent} in this process, so a
 * sink downstream of the engine can skip validating it again. Treat such events as immutable.
 */
export function isValidatedEvent(value: unknown): value is DevflowEvent {
  return typeof value === "object" && value !== null && validated.has(value);
}

function invalid(issues: FieldIssue[], type?: unknown): DevflowError {
  const what = typeof type === "string" ? ` ${type}` : "";
  const detail = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  return new DevflowError("EVENTS_INVALID", `invalid event${what}: ${detail}`, {
    data: { issues },
  });
}

/**
 * Validates one event (an object, or a JSON string of one) and fills in its defaults.
 *
 * @throws {@link DevflowError} `EVENTS_INVALID` naming every bad field (`data.path: …`),
 *   also for non-JSON input, unknown types and oversized `data`.
 */
export function validateEvent(input: unknown, options: ValidateEventOptions = {}): DevflowEvent {
  let value = input;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch (err) {
      throw invalid([{ path: "(root)", message: `not valid JSON (${(err as Error).message})` }]);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid([{ path: "(root)", message: "expected an event object" }]);
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== "string" || !knownTypes.has(type)) {
    const message =
      typeof type === "string"
        ? `unknown event type "${type.slice(0, 80)}"`
        : "required (an event type such as file.changed)";
    throw invalid([{ path: "type", message }]);
  }
  const maxBytes = options.maxDataBytes ?? DEFAULT_MAX_DATA_BYTES;
  const size = jsonBytes(record.data) + jsonBytes(record.metadata);
  if (size > maxBytes) {
    throw invalid(
      [{ path: "data", message: `is ${size} bytes, more than the ${maxBytes} allowed` }],
      type,
    );
  }
  const parsed = DevflowEventSchema.safeParse(value);
  if (!parsed.success) throw invalid(toFieldIssues(parsed.error), type);
  validated.add(parsed.data);
  return parsed.data;
}

function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return 0; // not serialisable: the schema rejects it with a precise path
  }
  return text === undefined ? 0 : Buffer.byteLength(text);
}
