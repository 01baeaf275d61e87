import type { Logger } from "@devflow/events";

/** One call a `captureLogger()` logger received. */
export interface CapturedLine {
  readonly level: "debug" | "info" | "warn" | "error";
  /** The bindings of the `child()` loggers it went through, merged. */
  readonly bindings: Readonly<Record<string, unknown>>;
  /** The object argument (`{}` when the call passed only a message). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly msg: string | undefined;
}

/** A logger that keeps every call, structured and as JSON lines. */
export interface CapturingLogger {
  readonly logger: Logger;
  /** Every call, in order. */
  readonly lines: CapturedLine[];
  /**
   * The same calls as `{"level", ...bindings, ...fields, "msg"}` JSON, written at the time of
   * the call (errors, at any depth, as `{message, stack, code}`), in order.
   */
  readonly json: string[];
}

// Errors at any depth as their message, stack and code (JSON.stringify would write `{}`).
const errors = (_key: string, value: unknown): unknown =>
  value instanceof Error
    ? { message: value.message, stack: value.stack, code: (value as { code?: unknown }).code }
    : value;

/** A `Logger` that records what it is given, for assertions on logging. */
export function captureLogger(): CapturingLogger {
  const lines: CapturedLine[] = [];
  const json: string[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: CapturedLine["level"]) =>
      (objOrMsg: Record<string, unknown> | string, msg?: string): void => {
        const line: CapturedLine =
          typeof objOrMsg === "string"
            ? { level, bindings, fields: {}, msg: objOrMsg }
            : { level, bindings, fields: objOrMsg, msg };
        lines.push(line);
        json.push(JSON.stringify({ level, ...bindings, ...line.fields, msg: line.msg }, errors));
      };
    return {
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return { logger: make({}), lines, json };
}
