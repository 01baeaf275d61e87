import { describe, expect, it } from "vitest";
import {
  checkThrottlePolicy,
  DEFAULT_THROTTLE_POLICY,
  isNewLockout,
  lockRemainingMs,
  recordFailure,
} from "../src/auth/throttle.js";
import type { ThrottleRecord } from "../src/auth/model.js";

const limits = DEFAULT_THROTTLE_POLICY.account;
const t0 = Date.parse("2026-01-01T00:00:00Z");

function fail(
  times: number,
  start: ThrottleRecord | null,
  at = t0,
  step = 1000,
): ThrottleRecord | null {
  let r = start;
  for (let i = 0; i < times; i++) r = recordFailure(r, "user:a", new Date(at + i * step), limits);
  return r;
}

describe("login throttle", () => {
  it("locks on the 5th failure within the window, for 15 minutes", () => {
    const four = fail(4, null);
    expect(four).toMatchObject({ failures: 4, lockedUntil: null, lockouts: 0 });
    const five = recordFailure(four, "user:a", new Date(t0 + 5000), limits);
    expect(isNewLockout(four, five)).toBe(true);
    expect(lockRemainingMs(five, new Date(t0 + 5000))).toBe(15 * 60_000);
    expect(lockRemainingMs(five, new Date(t0 + 5000 + 15 * 60_000))).toBe(0);
  });

  it("starts a new window when the old one ended", () => {
    const four = fail(4, null);
    const later = recordFailure(four, "user:a", new Date(t0 + 16 * 60_000), limits);
    expect(later).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it("doubles each lockout up to the cap", () => {
    let r: ThrottleRecord | null = null;
    let now = t0;
    const locks: number[] = [];
    for (let n = 0; n < 9; n++) {
      r = fail(5, r, now);
      now += 5000;
      locks.push(lockRemainingMs(r, new Date(now - 1000)) + 1000 - 4000);
      now = Date.parse(r!.lockedUntil!);
    }
    const minutes = locks.map((ms) => Math.round(ms / 60_000));
    expect(minutes).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  });

  it("does not extend a running lock with more failures", () => {
    const locked = fail(5, null)!;
    const more = recordFailure(locked, "user:a", new Date(t0 + 60_000), limits);
    expect(more.lockedUntil).toBe(locked.lockedUntil);
    expect(isNewLockout(locked, more)).toBe(false);
  });

  it("refuses a policy with a non-positive limit, naming it", () => {
    expect(() =>
      checkThrottlePolicy({ ...DEFAULT_THROTTLE_POLICY, address: { ...limits, windowMs: 0 } }),
    ).toThrow(/address\.windowMs/);
  });
});
