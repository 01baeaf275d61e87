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

/** The shape every error code has: SCREAMING_SNAKE prefixed by its layer. */
export type ErrorCodeShape = `${ErrorLayer}_${string}`;

/**
 * The codes of `@devflow/events` with their one-line meaning. Every package lists its own in
 * its `src/errors.ts` the same way and adds them to {@link DevflowErrorCodes}.
 */
export const EVENTS_ERRORS = {
  EVENTS_INVALID: "An event does not match the envelope or its type's payload schema.",
  EVENTS_BAD_CONFIG: "The event engine was given invalid options.",
  EVENTS_STOPPED: "The event engine is stopped and takes no more events.",
  EVENTS_BAD_PATTERN: 'A subscription pattern is not "*", "<category>.*" or an event type.',
  EVENTS_BAD_DURATION: "A duration is not in the duration grammar (e.g. 90m, 2h, 7d).",
  EVENTS_BAD_INSTANT: "A time is neither an ISO instant nor a relative time.",
  EVENTS_BAD_PERIOD: "A period is not in the period grammar (e.g. 7d, this-week, a..b).",
  EVENTS_BAD_TIME_ZONE: "A time zone is not a known IANA zone name.",
  EVENTS_INTERNAL: "An invariant of @devflow/events was broken (a bug; please report it).",
} as const satisfies Record<ErrorCodeShape, string>;

/** A code of {@link EVENTS_ERRORS}. */
export type EventsErrorCode = keyof typeof EVENTS_ERRORS;

/**
 * The registry of every DevFlow error code (code → meaning). It is open for declaration
 * merging only: each package augments it from its `src/errors.ts` with
 * `declare module "@devflow/events" { interface DevflowErrorCodes extends Codes<typeof X_ERRORS> {} }`,
 * so {@link DevflowErrorCode} is the closed union of the codes of every package a program sees.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface DevflowErrorCodes extends ErrorCodes<typeof EVENTS_ERRORS> {}

/** Turns a package's `as const` code list into the shape merged into {@link DevflowErrorCodes}. */
export type ErrorCodes<T extends Readonly<Record<ErrorCodeShape, string>>> = {
  readonly [K in keyof T]: T[K];
};

/**
 * A DevFlow error code: one of the codes listed by the packages (the keys of
 * {@link DevflowErrorCodes}). A typo'd or unlisted code fails typecheck.
 */
export type DevflowErrorCode = keyof DevflowErrorCodes & ErrorCodeShape;

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
