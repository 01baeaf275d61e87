/**
 * Log redaction: the pino `redact.paths` every app uses, and a free-text scrubber for error
 * messages and stacks (pino only redacts keys in structured objects, never secrets embedded in
 * strings). See reliability-security.md §9.
 */

/** The censor string that replaces every redacted value. */
export const REDACT_CENSOR = "[redacted]";

/**
 * Field names (case-sensitive, as pino paths are) that carry secrets. Used to build
 * {@link REDACT_PATHS} and by the audit log to refuse secret-looking detail keys.
 */
export const SECRET_FIELD_NAMES = [
  "password",
  "newPassword",
  "oldPassword",
  "currentPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "apiKey",
  "secret",
  "clientSecret",
  "webhookUrl",
  "privateKey",
  "masterKey",
  "encryptionKey",
  "key",
  "authorization",
  "cookie",
] as const;

/**
 * The pino `redact.paths` list (never built from user input). Header paths cover the lowercase
 * names Node gives inbound headers and the capitalised names of outbound (axios) configs.
 */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  "req.headers.authorization",
  "req.headers.Authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  "err.config.headers.Authorization",
  "err.config.headers.authorization",
  'err.config.headers["x-api-key"]',
  "password",
  "newPassword",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "secret",
  "webhookUrl",
  "privateKey",
  "masterKey",
  "encryptionKey",
  "*.password",
  "*.newPassword",
  "*.oldPassword",
  "*.currentPassword",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.idToken",
  "*.apiKey",
  "*.secret",
  "*.clientSecret",
  "*.webhookUrl",
  "*.privateKey",
  "*.masterKey",
  "*.encryptionKey",
]);

/**
 * True when a field name looks like it carries a secret: one of {@link SECRET_FIELD_NAMES}
 * (case-insensitive), or any name containing password/passwd/secret/token/apikey/private key,
 * or ending in `key` (key material such as `signingKey`).
 */
export function isSecretFieldName(name: string): boolean {
  const lower = name.toLowerCase().replace(/[-_\s]/g, "");
  if (SECRET_FIELD_NAMES.some((n) => n.toLowerCase() === lower)) return true;
  return /passw(or)?d|passwd|secret|token|apikey|privatekey|credential|cookie|authorization|key$/.test(
    lower,
  );
}

/** A canonical UUID (any version; DevFlow's ids are UUIDv7). */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * True for a word (a run between `/`, `-` and `_`) that looks random rather than chosen by a
 * person: at least 16 characters mixing upper and lower case, or at least 24 mixing letters
 * and digits. Random base64 words of that length are such with overwhelming probability.
 */
function isRandomWord(word: string): boolean {
  const letters = /[a-z]/i.test(word);
  if (word.length >= 16 && /[a-z]/.test(word) && /[A-Z]/.test(word)) return true;
  return word.length >= 24 && letters && /\d/.test(word);
}

/**
 * Decides for one long base64-alphabet run whether it is a secret. Kept: UUIDs (alone or inside
 * a longer run such as `proj-<uuid>`), and paths — runs with `/`, no `+` and no `=` padding
 * (standard base64 almost always has one of them at that length) whose words all look chosen by
 * a person (see {@link isRandomWord}). Everything else is masked, as before.
 */
function maskRandomRun(run: string): string {
  const rest = run.replace(UUID, " ");
  if (run.includes("/") && !run.includes("+") && !run.endsWith("=")) {
    return rest.split(/[\s/_-]/).some(isRandomWord) ? REDACT_CENSOR : run;
  }
  const pieces = rest.split(" ");
  return pieces.some((p) => p.length >= 32 && /\d/.test(p) && /[a-z]/i.test(p))
    ? REDACT_CENSOR
    : run;
}

interface ScrubRule {
  readonly pattern: RegExp;
  readonly replace: string | ((match: string, ...groups: string[]) => string);
}

const SCRUB_RULES: readonly ScrubRule[] = [
  // Credentials in URLs: https://user:TOKEN@host/…
  {
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]+):([^\s@/]+)@/gi,
    replace: (_m, scheme: string) => `${scheme}${REDACT_CENSOR}@`,
  },
  // Authorization headers: Bearer / Basic / Token schemes.
  {
    pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/gi,
    replace: (_m, scheme: string) => `${scheme} ${REDACT_CENSOR}`,
  },
  // JWT-looking strings: three base64url segments, the first starting with eyJ.
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: REDACT_CENSOR },
  // DevFlow API keys and well-known provider prefixes (GitHub, Slack, Stripe).
  {
    pattern:
      /\b(?:dfk|dfm|dfr|ghp|gho|ghu|ghs|ghr|github_pat|xox[abposr]|sk_live|sk_test|rk_live)_[A-Za-z0-9_-]{8,}/g,
    replace: REDACT_CENSOR,
  },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{8,}/g, replace: REDACT_CENSOR },
  // Secret-named query/key-value parameters: token=…, api_key: …, password=…
  {
    pattern:
      /\b((?:access_|refresh_|id_)?token|api[_-]?key|secret|password|passwd|sig|code)(\s*[=:]\s*)("?)[^\s&"',;]+/gi,
    replace: (_m, name: string, sep: string, quote: string) =>
      `${name}${sep}${quote}${REDACT_CENSOR}`,
  },
  // Long hex secrets (≥ 32 hex chars, e.g. 128-bit+ keys, SHA digests of secrets).
  { pattern: /\b[0-9a-fA-F]{32,}\b/g, replace: REDACT_CENSOR },
  // Long base64/base64url runs (≥ 32 chars) containing at least one digit and one letter —
  // except UUIDs (project and event ids) and file paths, which callers need (see maskRandomRun).
  {
    pattern:
      /(?<![A-Za-z0-9_\-+/])(?=[A-Za-z0-9_\-+/]*\d)(?=[A-Za-z0-9_\-+/]*[A-Za-z])[A-Za-z0-9_\-+/]{32,}={0,2}/g,
    replace: (run: string) => maskRandomRun(run),
  },
];

/**
 * Masks secrets embedded in free text (error messages, stacks, URLs): bearer/basic tokens,
 * JWTs, `dfk_` API keys and provider tokens, URL credentials, secret-named parameters, and
 * long hex or base64url runs. UUIDs (project ids) and file paths stay readable: a long run is
 * kept when it is a UUID, or a path whose segments read like words rather than random text.
 * Idempotent; the result never contains the original secret.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of SCRUB_RULES) {
    out =
      typeof rule.replace === "string"
        ? out.replace(rule.pattern, rule.replace)
        : out.replace(rule.pattern, rule.replace);
  }
  return out;
}

/** The pino options of {@link pinoRedaction} (structurally typed: no pino dependency here). */
export interface PinoRedactionOptions {
  readonly redact: { readonly paths: string[]; readonly censor: string };
  readonly hooks: {
    logMethod(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void;
  };
}

/**
 * The redaction every DevFlow app gives pino: {@link REDACT_PATHS} for structured fields, and a
 * `logMethod` hook that runs {@link redactSecrets} over string arguments (messages), because
 * pino redacts keys only. Spread it into `pino({ ...pinoRedaction(), level })`.
 */
export function pinoRedaction(): PinoRedactionOptions {
  return {
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === "string" ? redactSecrets(a) : a)),
        );
      },
    },
  };
}
