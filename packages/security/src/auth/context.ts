/**
 * What the auth services share: options with their defaults, the audit writer, the clock and
 * the input rules (usernames, password policy, generated secrets).
 */
import { DevflowError, type Logger, noopLogger } from "@devflow/events";
import type { AuditInput, AuditStore } from "../audit.js";
import type { PasswordHashOptions } from "../password.js";
import type { Permission, Principal, RoleBinding } from "../rbac.js";
import { randomToken } from "../secrets.js";
import type { TokenService } from "../tokens.js";
import type { AuthStore, UserRecord } from "./model.js";
import { checkThrottlePolicy, DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from "./throttle.js";

/** Refresh-token (and session) lifetime: 30 days. */
export const DEFAULT_REFRESH_TTL_SECONDS = 30 * 86_400;
/** Window in which a second use of a just-rotated refresh token is a race, not a replay. */
export const DEFAULT_REFRESH_GRACE_MS = 10_000;
/** Shortest accepted password (ASVS 5.0 6.2.1 recommends 15 without MFA; 12 is the floor). */
export const DEFAULT_MIN_PASSWORD_LENGTH = 12;
/** API-key last-used time (and its `key_used` audit entry) is written at most this often. */
export const DEFAULT_API_KEY_TOUCH_MS = 60_000;
/** Session last-seen time is written at most this often. */
export const SESSION_TOUCH_MS = 60_000;

/** Options of the auth services. */
export interface AuthOptions {
  readonly store: AuthStore;
  /** Where security events go (the hash-chained audit log). */
  readonly audit: Pick<AuditStore, "append">;
  readonly tokens: TokenService;
  readonly clock?: () => Date;
  readonly logger?: Logger;
  /** scrypt parameters (tests lower them; production keeps the defaults). */
  readonly password?: PasswordHashOptions;
  readonly refreshTtlSeconds?: number;
  readonly refreshGraceMs?: number;
  readonly throttle?: ThrottlePolicy;
  readonly minPasswordLength?: number;
  readonly apiKeyTouchMs?: number;
}

/** A user, as the services show it: no password hash. */
export interface PublicUser {
  readonly id: string;
  readonly username: string;
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
  readonly passwordChangedAt: string;
  readonly disabledAt: string | null;
  readonly bindings: readonly RoleBinding[];
}

/** An authenticated caller: a user (by session) or an API key (acting for its owner). */
export interface AuthPrincipal extends Principal {
  readonly kind: "user" | "api_key";
  readonly userId: string;
  readonly username: string;
  readonly sessionId?: string;
  readonly apiKeyId?: string;
  /** API keys: the only permissions the key may use. */
  readonly scopes?: readonly Permission[];
  /** API keys: the one project the key is limited to, or null. */
  readonly projectScope?: string | null;
}

/** Who performs an administrative action: an authenticated principal or a local operator. */
export type Actor = AuthPrincipal | { readonly kind: "local"; readonly name: string };

/** Where a request came from (audited; `ip` is also a throttle key). */
export interface ClientInfo {
  readonly ip?: string;
  readonly userAgent?: string;
}

/** Resolved options shared by the services. */
export interface AuthContext {
  readonly store: AuthStore;
  readonly tokens: TokenService;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly password: PasswordHashOptions;
  readonly refreshTtlMs: number;
  readonly refreshGraceMs: number;
  readonly throttle: ThrottlePolicy;
  readonly minPasswordLength: number;
  readonly apiKeyTouchMs: number;
  audit(input: AuditInput): Promise<void>;
}

function intIn(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DevflowError("SECURITY_BAD_ARGUMENT", `${name} must be ${min}..${max}.`);
  }
  return value;
}

/** Resolves {@link AuthOptions} with defaults; throws `SECURITY_BAD_ARGUMENT` when out of range. */
export function authContext(options: AuthOptions): AuthContext {
  const logger = options.logger ?? noopLogger;
  const audit = options.audit;
  return {
    store: options.store,
    tokens: options.tokens,
    clock: options.clock ?? (() => new Date()),
    logger,
    password: options.password ?? {},
    refreshTtlMs:
      intIn(
        options.refreshTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS,
        60,
        366 * 86_400,
        "refreshTtlSeconds",
      ) * 1000,
    refreshGraceMs: intIn(
      options.refreshGraceMs ?? DEFAULT_REFRESH_GRACE_MS,
      0,
      60_000,
      "refreshGraceMs",
    ),
    throttle: checkThrottlePolicy(options.throttle ?? DEFAULT_THROTTLE_POLICY),
    minPasswordLength: intIn(
      options.minPasswordLength ?? DEFAULT_MIN_PASSWORD_LENGTH,
      8,
      128,
      "minPasswordLength",
    ),
    apiKeyTouchMs: intIn(
      options.apiKeyTouchMs ?? DEFAULT_API_KEY_TOUCH_MS,
      0,
      86_400_000,
      "apiKeyTouchMs",
    ),
    async audit(input: AuditInput): Promise<void> {
      await audit.append(input);
      logger.info({ audit: input.type, subject: input.subject }, "security event");
    },
  };
}

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** Trims and lower-cases a username; null when it is not a valid name. */
export function normaliseUsername(username: unknown): string | null {
  if (typeof username !== "string") return null;
  const name = username.trim().toLowerCase();
  return USERNAME.test(name) ? name : null;
}

/** Like {@link normaliseUsername} but throws `SECURITY_INVALID_USERNAME`. */
export function requireUsername(username: unknown): string {
  const name = normaliseUsername(username);
  if (name === null) {
    throw new DevflowError(
      "SECURITY_INVALID_USERNAME",
      "Usernames are 1-64 characters: letters, digits, '.', '_', '@' or '-', starting with a letter or digit.",
    );
  }
  return name;
}

/**
 * Refuses a password that is too short, too long, equal to the username or one repeated
 * character (`SECURITY_WEAK_PASSWORD`, naming the rule, never the password).
 */
export function checkPasswordPolicy(
  password: unknown,
  username: string,
  minLength: number,
): string {
  if (typeof password !== "string") {
    throw new DevflowError("SECURITY_WEAK_PASSWORD", "The password must be a string.");
  }
  const length = [...password].length;
  if (length < minLength) {
    throw new DevflowError(
      "SECURITY_WEAK_PASSWORD",
      `The password is too short: at least ${minLength} characters are required.`,
    );
  }
  if (length > 1024) {
    throw new DevflowError(
      "SECURITY_WEAK_PASSWORD",
      "The password is longer than 1024 characters.",
    );
  }
  if (password.trim().toLowerCase() === username) {
    throw new DevflowError("SECURITY_WEAK_PASSWORD", "The password must differ from the username.");
  }
  if (new Set(password).size < 4) {
    throw new DevflowError(
      "SECURITY_WEAK_PASSWORD",
      "The password needs at least 4 different characters.",
    );
  }
  return password;
}

/** A generated password: 24 base64url characters (144 bits from the CSPRNG). */
export function generatePassword(): string {
  return randomToken(18);
}

/** The user without its password hash, with its role bindings. */
export function publicUser(user: UserRecord, bindings: readonly RoleBinding[]): PublicUser {
  return {
    id: user.id,
    username: user.username,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
    passwordChangedAt: user.passwordChangedAt,
    disabledAt: user.disabledAt,
    bindings,
  };
}

/** The audit `actor` of an {@link Actor}. */
export function actorName(actor: Actor): string {
  if (actor.kind === "local") return `local:${actor.name}`;
  return actor.kind === "api_key" ? `apikey:${actor.apiKeyId ?? "?"}` : `user:${actor.userId}`;
}
