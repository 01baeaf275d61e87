/** The layer a {@link DevflowError} comes from; it prefixes every error code. */
export type ErrorLayer =
  | "EVENTS"
  | "STORAGE"
  | "SECURITY"
  | "MONITORS"
  | "ANALYZERS"
  | "INTEGRATIONS"
  | "TOOLS"
  | "CONFIG"
  | "RUNTIME"
  | "CLI"
  | "API";

/** A SCREAMING_SNAKE error code prefixed by its layer, e.g. `STORAGE_NOT_FOUND`. */
export type DevflowErrorCode = `${ErrorLayer}_${string}`;

/** Options for {@link DevflowError}. */
export interface DevflowErrorOptions {
  /** Structured details (field issues, ids) safe to show to the user. */
  data?: Record<string, unknown>;
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/**
 * The one error class of DevFlow. Every package throws it (or a subclass) with a
 * layer-prefixed `code`, so apps can map failures to exit codes, HTTP statuses or MCP
 * `isError` results in one place.
 */
export class DevflowError extends Error {
  override readonly name = "DevflowError";
  readonly code: DevflowErrorCode;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: DevflowErrorCode, message: string, options: DevflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
  }
}

/** True when `value` is a {@link DevflowError} (also across duplicated module copies). */
export function isDevflowError(value: unknown): value is DevflowError {
  return (
    value instanceof DevflowError ||
    (value instanceof Error &&
      value.name === "DevflowError" &&
      typeof (value as { code?: unknown }).code === "string")
  );
}

/**
 * Normalises any thrown value into a {@link DevflowError}, keeping the original as `cause`.
 * Use once, at a boundary (an app edge, a sink, a subscriber call).
 */
export function toDevflowError(value: unknown, fallbackCode: DevflowErrorCode): DevflowError {
  if (isDevflowError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new DevflowError(fallbackCode, message, { cause: value });
}
