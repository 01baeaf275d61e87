import { userInfo } from "node:os";
import {
  DevflowError,
  durationMs,
  isDevflowError,
  parseInstant as parseTime,
  type TimeContext,
  TimeZone,
} from "@devflow/events";
import { bootstrapAdmin, type DevflowConfig, openSecurity, type Security } from "@devflow/runtime";
import type { Actor } from "@devflow/security";
import type { Storage } from "@devflow/storage";
import type { Command } from "commander";
import { configFrom, createLogger, openConfiguredStorage } from "../context.js";

/** What a security command works with. */
export interface SecurityScope {
  readonly config: DevflowConfig;
  readonly storage: Storage;
  readonly security: Security;
  /** The local operator: whoever can read the DevFlow home administers it. */
  readonly actor: Actor;
}

/**
 * Opens storage and security (creating the key file and, on first run, the admin whose
 * password goes to `<home>/admin-password`), runs `fn`, and closes everything.
 */
export async function withSecurity<T>(
  cmd: Command,
  fn: (scope: SecurityScope) => Promise<T>,
): Promise<T> {
  const config = configFrom(cmd);
  const logger = createLogger(config);
  const storage = openConfiguredStorage(config);
  try {
    const security = openSecurity({ home: config.home, storage, logger });
    const file = await bootstrapAdmin(config.home, security, logger);
    if (file !== null) {
      process.stderr.write(
        `devflow: created the first user "admin"; its password is in ${file} (readable only by you). Change it with \`devflow user passwd admin\`.\n`,
      );
    }
    let name = "unknown";
    try {
      name = userInfo().username;
    } catch {
      // no passwd entry: keep "unknown"
    }
    const result = await fn({ config, storage, security, actor: { kind: "local", name } });
    await security.auth.flushApiKeyUse();
    return result;
  } finally {
    storage.close();
  }
}

/** Reads all of standard input (for `--password-stdin`, `secret set`), without the final newline. */
export async function readStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) {
    throw new DevflowError(
      "CLI_BAD_ARGUMENT",
      `${what} is read from standard input; pipe it in (e.g. \`printf %s "$VALUE" | devflow …\`).`,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const text = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  if (text === "") throw new DevflowError("CLI_BAD_ARGUMENT", `${what}: standard input was empty.`);
  return text;
}

/** The error of a grammar function, prefixed with the flag it came from. */
function flagError(err: unknown, option: string): unknown {
  if (!isDevflowError(err)) return err;
  return new DevflowError(err.code, `${option}: ${err.message}`, { cause: err, data: err.data });
}

/**
 * Parses a duration flag (`45s`, `90m` = minutes, `12h`, `90d`, `2w`, `3mo` = months, `1y`,
 * `1h30m`) to milliseconds with the time grammar of `@devflow/events` (a month is an average
 * month). Throws `EVENTS_BAD_DURATION` naming the option, the value and the accepted units.
 */
export function parseDuration(value: string, option: string): number {
  try {
    return durationMs(value);
  } catch (err) {
    throw flagError(err, option);
  }
}

/**
 * Parses an instant flag with the time grammar, in this machine's time zone: an ISO date
 * (local midnight) or date-time, `now`, `today`, `yesterday`, or an age (`7d` = seven days
 * before now, `2w ago`); `ctx` fixes "now" and the zone (tests). Throws `EVENTS_BAD_INSTANT` naming
 * the option and the value.
 */
export function parseInstant(
  value: string,
  option: string,
  ctx: TimeContext = { now: Date.now(), zone: TimeZone.system() },
): Date {
  try {
    return new Date(parseTime(value, ctx));
  } catch (err) {
    throw flagError(err, option);
  }
}
