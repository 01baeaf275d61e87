/** A structured log method: an optional object first, then the message (pino's order). */
export interface LogFn {
  (obj: Record<string, unknown>, msg?: string): void;
  (msg: string): void;
}

/**
 * The logging interface every library accepts. It is a structural subset of pino's logger,
 * so an app can pass `pino()` (or a child of it) directly. Libraries never log to the console.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => undefined;

/** A {@link Logger} that discards everything; the default of every library. */
export const noopLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => noopLogger,
};
