/**
 * Composition of DevFlow security over a storage: the key file, the token service, the auth
 * services, the vault, and the first-run admin bootstrap (its password goes to a 0600 file in
 * the home, never to a log).
 */
import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type Logger, noopLogger } from "@devflow/events";
import {
  AccountAdmin,
  ApiKeyAdmin,
  type AuthOptions,
  AuthService,
  createTokenService,
  type PasswordHashOptions,
  type TokenService,
  Vault,
} from "@devflow/security";
import type { Storage } from "@devflow/storage";
import { type KeyMaterial, loadKeyMaterial } from "./key-file.js";

/** `iss` of DevFlow access tokens. */
export const TOKEN_ISSUER = "devflow";
/** Default `aud` of DevFlow access tokens (the HTTP API). */
export const DEFAULT_TOKEN_AUDIENCE = "devflow-api";
/** File in the home that receives the bootstrap admin's password (mode 0600). */
export const ADMIN_PASSWORD_FILE = "admin-password";

/** Options of {@link openSecurity}. */
export interface OpenSecurityOptions {
  readonly home: string;
  readonly storage: Storage;
  readonly logger?: Logger;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `aud` of issued and accepted tokens; default {@link DEFAULT_TOKEN_AUDIENCE}. */
  readonly audience?: string;
  readonly accessTtlSeconds?: number;
  readonly clock?: () => Date;
  /** scrypt parameters (tests only). */
  readonly password?: PasswordHashOptions;
  /** Overrides of the auth options (throttling, grace periods) for tests and embedding. */
  readonly auth?: Partial<Omit<AuthOptions, "store" | "audit" | "tokens">>;
}

/** Everything security, wired to one storage. */
export interface Security {
  readonly keys: KeyMaterial;
  readonly tokens: TokenService;
  readonly auth: AuthService;
  readonly users: AccountAdmin;
  readonly apiKeys: ApiKeyAdmin;
  readonly vault: Vault;
}

/**
 * Loads the keys (creating the key file on first use) and builds the services.
 * @throws DevflowError from the key loading: weak, missing or badly protected keys.
 */
export function openSecurity(options: OpenSecurityOptions): Security {
  const keys = loadKeyMaterial(options.home, options.env ?? process.env);
  const tokens = createTokenService({
    keys: keys.signing,
    issuer: TOKEN_ISSUER,
    audience: options.audience ?? DEFAULT_TOKEN_AUDIENCE,
    ...(options.accessTtlSeconds === undefined
      ? {}
      : { accessTtlSeconds: options.accessTtlSeconds }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const authOptions: AuthOptions = {
    ...options.auth,
    store: options.storage.auth,
    audit: options.storage.audit,
    tokens,
    logger: options.logger ?? noopLogger,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.password === undefined ? {} : { password: options.password }),
  };
  return {
    keys,
    tokens,
    auth: new AuthService(authOptions),
    users: new AccountAdmin(authOptions),
    apiKeys: new ApiKeyAdmin(authOptions),
    vault: new Vault({
      store: options.storage.vault,
      keys: keys.encryption,
      audit: options.storage.audit,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    }),
  };
}

/**
 * First run: when the database has no users, creates `admin` with a random password and
 * writes the password to `<home>/admin-password` (mode 0600, replaced atomically). Returns the
 * file path when it bootstrapped, null otherwise. The password is never logged.
 */
export async function bootstrapAdmin(
  home: string,
  security: Security,
  logger: Logger = noopLogger,
): Promise<string | null> {
  const created = await security.users.bootstrapAdmin();
  if (created === null) return null;
  const path = join(home, ADMIN_PASSWORD_FILE);
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, `username: ${created.username}\npassword: ${created.password}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  logger.info(
    { file: path, username: created.username },
    "created the first admin; password file written",
  );
  return path;
}
