import { userInfo } from "node:os";
import { DevflowError } from "@devflow/events";
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

const DURATION = /^(\d{1,6})(s|m|h|d|w)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Parses `90d`, `12h`, `30m`, `45s`, `2w` to milliseconds; throws `CLI_BAD_ARGUMENT` naming the option. */
export function parseDuration(value: string, option: string): number {
  const m = DURATION.exec(value.trim());
  if (!m) {
    throw new DevflowError(
      "CLI_BAD_ARGUMENT",
      `${option}: expected a duration like 30m, 12h, 90d or 2w, got "${value}"`,
    );
  }
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** An instant from ISO 8601 or a duration ago (`7d` = seven days before now). */
export function parseInstant(value: string, option: string): Date {
  if (DURATION.test(value.trim())) return new Date(Date.now() - parseDuration(value, option));
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new DevflowError(
      "CLI_BAD_ARGUMENT",
      `${option}: expected an ISO date or a duration like 7d, got "${value}"`,
    );
  }
  return date;
}
