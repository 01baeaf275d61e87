/**
 * Hash-chained audit log as pure functions plus the store interface (reliability-security.md
 * §8). Each entry's hash covers its content, its `seq` and the previous entry's hash, so any
 * modification, deletion or reordering breaks the chain; anchors kept elsewhere (and exported
 * off-box, e.g. to log shipping) detect tail truncation and whole-chain rebuilds.
 */
import { createHash } from "node:crypto";
import { DevflowError, SECURITY_ACTIONS } from "@devflow/events";
import { z } from "zod";
import { isSecretFieldName } from "./redact.js";

/** Every audit entry type: the security event actions plus `key_rotated`. */
export const AUDIT_TYPES = [
  ...SECURITY_ACTIONS.map((a) => `security.${a}` as const),
  "security.key_rotated",
] as const;

/** An audit entry type, e.g. `security.login_failed`. */
export type AuditType = `security.${(typeof SECURITY_ACTIONS)[number]}` | "security.key_rotated";

/** The prevHash of the first entry: 64 zeros. */
export const GENESIS_HASH = "0".repeat(64);

/** A detail value: primitives only, so canonical JSON is unambiguous. */
export type AuditDetailValue = string | number | boolean | null;

/** What a caller supplies to append an entry. */
export interface AuditInput {
  readonly type: AuditType;
  /** UTC timestamp (ISO 8601); defaults to now. */
  readonly timestamp?: string | Date;
  /** Pseudonymous id of who acted. */
  readonly actor?: string;
  /** What was acted upon. */
  readonly subject?: string;
  readonly ip?: string;
  readonly projectId?: string;
  readonly details?: Readonly<Record<string, AuditDetailValue>>;
}

/** One link of the chain. */
export interface AuditEntry {
  readonly seq: number;
  readonly timestamp: string;
  readonly type: AuditType;
  readonly actor?: string;
  readonly subject?: string;
  readonly ip?: string;
  readonly projectId?: string;
  readonly details: Readonly<Record<string, AuditDetailValue>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** A checkpoint of the chain head, stored apart from the log (and exported off-box). */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
  /** When the anchor was taken (ISO 8601 UTC). */
  readonly at: string;
}

/** What can be wrong with a chain. */
export type ChainProblem = "modified" | "reordered" | "gap" | "broken-link" | "truncated";

/** Result of {@link verifyChain}. */
export interface ChainVerification {
  readonly ok: boolean;
  /** Entries verified before the first problem (all of them when ok). */
  readonly checked: number;
  readonly firstBad?: { readonly seq: number; readonly problem: ChainProblem };
}

/** Persistence of the audit chain; `@devflow/storage` implements it (single serialised writer). */
export interface AuditStore {
  /** Appends an entry after the current head (via {@link appendEntry}) and returns it. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** Entries in seq order, from `fromSeq` (inclusive) or the start. */
  entries(fromSeq?: number): AsyncIterable<AuditEntry>;
  /** The head of the chain, or null when empty. */
  latest(): Promise<AuditEntry | null>;
  /** Stored anchors, oldest first. */
  anchors(): Promise<readonly AuditAnchor[]>;
}

const AuditInputSchema = z.object({
  type: z.enum(AUDIT_TYPES),
  timestamp: z.union([z.iso.datetime(), z.date()]).optional(),
  actor: z.string().max(256).optional(),
  subject: z.string().max(1024).optional(),
  ip: z.string().max(64).optional(),
  projectId: z.string().max(256).optional(),
  details: z
    .record(
      z.string().min(1).max(128),
      z.union([z.string().max(8192), z.number().finite(), z.boolean(), z.null()]),
    )
    .optional(),
});

/** Deterministic JSON: object keys sorted, `undefined` members omitted. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** sha256 (hex) of the canonical JSON of an entry without its `hash`. */
export function hashEntry(entry: Omit<AuditEntry, "hash"> & { hash?: string }): string {
  const content: Record<string, unknown> = {
    seq: entry.seq,
    timestamp: entry.timestamp,
    type: entry.type,
    actor: entry.actor,
    subject: entry.subject,
    ip: entry.ip,
    projectId: entry.projectId,
    details: entry.details,
    prevHash: entry.prevHash,
  };
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

/**
 * Builds the entry that follows `prev` (or the genesis entry when `prev` is null). Rejects
 * invalid input (`SECURITY_INVALID_AUDIT_ENTRY`) and secret-looking detail keys
 * (`SECURITY_SECRET_IN_AUDIT`: password, token, secret, key material…).
 */
export function appendEntry(prev: AuditEntry | null, input: AuditInput): AuditEntry {
  for (const key of Object.keys(input.details ?? {})) {
    if (isSecretFieldName(key)) {
      throw new DevflowError("SECURITY_SECRET_IN_AUDIT", "Audit details must not hold secrets.", {
        data: { key },
      });
    }
  }
  const parsed = AuditInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new DevflowError("SECURITY_INVALID_AUDIT_ENTRY", "Invalid audit entry.", {
      data: {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
    });
  }
  const ts = input.timestamp ?? new Date();
  const base = {
    seq: prev ? prev.seq + 1 : 1,
    timestamp: typeof ts === "string" ? new Date(ts).toISOString() : ts.toISOString(),
    type: input.type,
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    ...(input.ip === undefined ? {} : { ip: input.ip }),
    ...(input.projectId === undefined ? {} : { projectId: input.projectId }),
    details: { ...(input.details ?? {}) },
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return Object.freeze({ ...base, hash: hashEntry(base) });
}

/** An anchor for `entry` (the head), to store apart from the log and export off-box. */
export function makeAnchor(entry: AuditEntry, at: Date = new Date()): AuditAnchor {
  return { seq: entry.seq, hash: entry.hash, at: at.toISOString() };
}

/**
 * Verifies a whole chain (starting at seq 1) in seq order, reporting the first problem:
 * `modified` (an entry's hash does not match its content; seq = its position's expected seq), `gap` (a seq is missing; reported
 * seq = the missing one), `reordered` (an entry out of order or duplicated; seq = the expected
 * one), `broken-link` (prevHash does not match the previous hash), `truncated` (the chain ends
 * before the anchor, seq = first missing, or the entry at the anchor's seq has another hash).
 */
export function verifyChain(
  entries: Iterable<AuditEntry>,
  anchor?: { readonly seq: number; readonly hash: string },
): ChainVerification {
  const list = Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [...entries];
  const bad = (checked: number, seq: number, problem: ChainProblem): ChainVerification => ({
    ok: false,
    checked,
    firstBad: { seq, problem },
  });
  let prev: AuditEntry | null = null;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    const expected = prev ? prev.seq + 1 : 1;
    if (hashEntry(entry) !== entry.hash) return bad(i, expected, "modified");
    if (entry.seq !== expected) {
      if (entry.seq < expected) return bad(i, expected, "reordered");
      const laterHasExpected = list.slice(i + 1).some((e) => e.seq === expected);
      return bad(i, expected, laterHasExpected ? "reordered" : "gap");
    }
    if (entry.prevHash !== (prev ? prev.hash : GENESIS_HASH)) {
      return bad(i, entry.seq, "broken-link");
    }
    if (anchor && entry.seq === anchor.seq && entry.hash !== anchor.hash) {
      return bad(i, entry.seq, "truncated");
    }
    prev = entry;
  }
  if (anchor && (prev === null || prev.seq < anchor.seq)) {
    return bad(list.length, prev ? prev.seq + 1 : 1, "truncated");
  }
  return { ok: true, checked: list.length };
}

/** {@link verifyChain} over an {@link AuditStore} (collects its entries first). */
export async function verifyStore(
  store: Pick<AuditStore, "entries" | "anchors">,
): Promise<ChainVerification> {
  const all: AuditEntry[] = [];
  for await (const e of store.entries()) all.push(e);
  const anchors = await store.anchors();
  const last = anchors.reduce<AuditAnchor | undefined>(
    (best, a) => (best === undefined || a.seq > best.seq ? a : best),
    undefined,
  );
  return verifyChain(all, last);
}
