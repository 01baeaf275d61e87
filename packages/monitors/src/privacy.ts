/** How much of a commit message (or prompt) is stored: see the privacy section of the README. */
export type MessagePolicy = "full" | "redacted" | "none";

/** What a masked e-mail address becomes. */
export const REDACTED_EMAIL = "[email]";
/** What a masked secret becomes. */
export const REDACTED_SECRET = "[secret]";

/** Well-known credential shapes, masked whole. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  // PEM private keys (multi-line).
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  // GitHub, GitLab, Slack, npm, AWS, Google, Stripe, OpenAI/Anthropic-style keys.
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bnpm_[A-Za-z0-9]{30,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

/** `scheme://user:password@host`: the password part. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
/** `password=…`, `token: …`, `api_key="…"`: the value part. */
const ASSIGNMENT =
  /\b((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|auth)\b["']?\s*[:=]\s*)(["']?)([^\s"',;]{6,})\2/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Long word-like runs that may be random keys; see {@link looksRandom}. */
const LONG_RUN = /[A-Za-z0-9+/_=-]{32,}/g;

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * True for a run that looks like a generated secret: letters and digits mixed with high
 * entropy. Plain hex of commit-hash length (40 or 64) is kept: messages cite commits.
 */
function looksRandom(run: string): boolean {
  const core = run.replace(/=+$/, "");
  if (/^[0-9a-f]+$/i.test(core)) return core.length !== 40 && core.length !== 64;
  if (!/[0-9]/.test(core) || !/[A-Za-z]/.test(core)) return false;
  return entropy(core) >= 3.8;
}

/**
 * Masks e-mail addresses and secret-looking tokens (known key formats, URL credentials,
 * `password=…`-style assignments, long high-entropy strings) in free text. Everything else is
 * kept, so the text stays readable: `fix: rotate ghp_… for ada@example.com` becomes
 * `fix: rotate [secret] for [email]`.
 */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, REDACTED_SECRET);
  out = out.replace(URL_CREDENTIALS, `$1${REDACTED_SECRET}@`);
  out = out.replace(ASSIGNMENT, (_m, key: string, quote: string) => {
    return `${key}${quote}${REDACTED_SECRET}${quote}`;
  });
  out = out.replace(EMAIL, REDACTED_EMAIL);
  out = out.replace(LONG_RUN, (run) => (looksRandom(run) ? REDACTED_SECRET : run));
  return out;
}

/** Applies a {@link MessagePolicy}: the text itself, its redacted form, or `undefined`. */
export function applyMessagePolicy(text: string, policy: MessagePolicy): string | undefined {
  switch (policy) {
    case "full":
      return text;
    case "redacted":
      return redactText(text);
    case "none":
      return undefined;
  }
}
