/**
 * Login throttling as pure functions over {@link ThrottleRecord}s (reliability-security.md §3):
 * failures are counted per account name and per client address within a window; reaching the
 * limit locks the key, and each further lockout doubles the lock up to a cap. Counting is by
 * the normalised name whether or not such a user exists, so lockouts reveal nothing about
 * which accounts exist.
 */
import { DevflowError } from "@devflow/events";
import type { ThrottleRecord } from "./model.js";

/** Limits of one throttle key kind. */
export interface ThrottleLimits {
  /** Failures within `windowMs` that lock the key. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** First lock duration; doubled per consecutive lockout. */
  readonly lockMs: number;
  /** Longest lock. */
  readonly maxLockMs: number;
}

/** Per-account and per-address limits. */
export interface ThrottlePolicy {
  readonly account: ThrottleLimits;
  readonly address: ThrottleLimits;
}

/**
 * Defaults: an account locks after 5 failures in 15 min for 15 min (doubling, at most 24 h);
 * an address locks after 50 failures in 15 min (credential stuffing across accounts).
 */
export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = Object.freeze({
  account: Object.freeze({
    maxFailures: 5,
    windowMs: 15 * 60_000,
    lockMs: 15 * 60_000,
    maxLockMs: 24 * 3_600_000,
  }),
  address: Object.freeze({
    maxFailures: 50,
    windowMs: 15 * 60_000,
    lockMs: 15 * 60_000,
    maxLockMs: 24 * 3_600_000,
  }),
});

/** The throttle key of an account name (normalised by the caller). */
export function accountKey(username: string): string {
  return `user:${username}`;
}

/** The throttle key of a client address. */
export function addressKey(ip: string): string {
  return `ip:${ip}`;
}

/** Milliseconds until `record` unlocks at `now`, 0 when it is not locked. */
export function lockRemainingMs(record: ThrottleRecord | null, now: Date): number {
  if (record?.lockedUntil == null) return 0;
  return Math.max(0, Date.parse(record.lockedUntil) - now.getTime());
}

/**
 * The record after one more failure at `now`: a new window when the old one ended, a lock
 * (doubling per lockout, capped) when the window reaches `maxFailures`.
 */
export function recordFailure(
  previous: ThrottleRecord | null,
  key: string,
  now: Date,
  limits: ThrottleLimits,
): ThrottleRecord {
  const at = now.toISOString();
  const windowOpen =
    previous !== null && now.getTime() - Date.parse(previous.windowStart) < limits.windowMs;
  const failures = windowOpen ? previous.failures + 1 : 1;
  const windowStart = windowOpen ? previous.windowStart : at;
  const lockouts = previous?.lockouts ?? 0;
  const stillLocked = lockRemainingMs(previous, now) > 0;
  if (failures >= limits.maxFailures && !stillLocked) {
    const lockMs = Math.min(limits.maxLockMs, limits.lockMs * 2 ** Math.min(lockouts, 30));
    return {
      key,
      failures: 0,
      windowStart: at,
      lockedUntil: new Date(now.getTime() + lockMs).toISOString(),
      lockouts: lockouts + 1,
      updatedAt: at,
    };
  }
  return {
    key,
    failures,
    windowStart,
    lockedUntil: previous?.lockedUntil ?? null,
    lockouts,
    updatedAt: at,
  };
}

/** True when `next` is a new lock compared with `previous` (a lockout to audit). */
export function isNewLockout(previous: ThrottleRecord | null, next: ThrottleRecord): boolean {
  return next.lockouts > (previous?.lockouts ?? 0);
}

/** Validates a {@link ThrottlePolicy}; throws `SECURITY_BAD_ARGUMENT` naming the field. */
export function checkThrottlePolicy(policy: ThrottlePolicy): ThrottlePolicy {
  for (const [kind, limits] of Object.entries(policy) as [string, ThrottleLimits][]) {
    for (const [field, value] of Object.entries(limits) as [string, number][]) {
      if (!Number.isInteger(value) || value < 1) {
        throw new DevflowError(
          "SECURITY_BAD_ARGUMENT",
          `throttle policy ${kind}.${field} must be a positive integer.`,
        );
      }
    }
  }
  return policy;
}
