import { afterEach, describe, expect, it } from "vitest";
import { hashRefreshToken } from "@devflow/security";
import { codeOf, harness, type Harness, userWithLogin } from "./harness.js";

let h: Harness;
afterEach(() => h?.close());

async function liveTokens(harnessed: Harness, familyId: string): Promise<number> {
  const tokens = await harnessed.storage.auth.refreshTokensOf(familyId);
  const now = harnessed.now().getTime();
  return tokens.filter(
    (t) => t.rotatedAt === null && t.revokedAt === null && Date.parse(t.expiresAt) > now,
  ).length;
}

describe("refresh-token rotation", () => {
  it("rotates on every use; the family keeps one live token and the session's expiry", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    let token = login.refreshToken;
    for (let i = 0; i < 5; i++) {
      h.advance(60_000);
      const pair = await h.security.auth.refresh(token);
      expect(pair.refreshToken).not.toBe(token);
      expect(pair.sessionId).toBe(login.sessionId);
      expect(pair.refreshExpiresAt).toBe(login.refreshExpiresAt);
      await expect(h.security.auth.authenticate(pair.accessToken)).resolves.toMatchObject({
        username: "alice",
      });
      token = pair.refreshToken;
    }
    const family = await h.storage.auth.refreshTokensOf(login.sessionId);
    expect(family).toHaveLength(6);
    expect(await liveTokens(h, login.sessionId)).toBe(1);
    // the database holds digests only
    expect(family.map((t) => t.tokenHash)).toContain(hashRefreshToken(token));
  });

  it("replaying a rotated token revokes the whole family and the session", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    const first = await h.security.auth.refresh(login.refreshToken);
    const second = await h.security.auth.refresh(first.refreshToken);
    h.advance(30_000); // past the 10 s race window
    expect(await codeOf(h.security.auth.refresh(login.refreshToken))).toBe(
      "SECURITY_REFRESH_REUSED",
    );
    // every token of the family is dead, including the newest
    expect(await liveTokens(h, login.sessionId)).toBe(0);
    expect(await codeOf(h.security.auth.refresh(second.refreshToken))).toBe(
      "SECURITY_REFRESH_INVALID",
    );
    // and the session's access tokens fail at the next check
    expect(await codeOf(h.security.auth.authenticate(second.accessToken))).toBe(
      "SECURITY_SESSION_REVOKED",
    );
    const reuse = await h.storage.audit.query({ types: ["security.token_reuse_detected"] });
    expect(reuse.length).toBeGreaterThanOrEqual(1);
    expect(reuse[0]?.subject).toBe(`session:${login.sessionId}`);
  });

  it("a rotated token whose successor was already used is reuse even inside the race window", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    const first = await h.security.auth.refresh(login.refreshToken);
    await h.security.auth.refresh(first.refreshToken);
    expect(await codeOf(h.security.auth.refresh(login.refreshToken))).toBe(
      "SECURITY_REFRESH_REUSED",
    );
    expect(await liveTokens(h, login.sessionId)).toBe(0);
  });

  it("50 parallel refreshes with one token leave exactly one live token", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => h.security.auth.refresh(login.refreshToken)),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const codes = results.flatMap((r) =>
      r.status === "rejected" ? [(r.reason as { code: string }).code] : [],
    );
    expect(ok).toHaveLength(1);
    expect(new Set(codes)).toEqual(new Set(["SECURITY_REFRESH_RACE"]));
    expect(await liveTokens(h, login.sessionId)).toBe(1);
    // the winner's token works
    const winner = (ok[0] as PromiseFulfilledResult<{ refreshToken: string }>).value;
    await expect(h.security.auth.refresh(winner.refreshToken)).resolves.toBeTruthy();
  });

  it("parallel refreshes over separate connections to the same file also leave one live token", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    const others = Array.from({ length: 4 }, () => h.reopen());
    const results = await Promise.allSettled(
      [h, ...others].flatMap((x) =>
        Array.from({ length: 10 }, () => x.security.auth.refresh(login.refreshToken)),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await liveTokens(h, login.sessionId)).toBe(1);
  });

  it("rejects malformed, unknown and expired refresh tokens without revoking anything", async () => {
    h = harness();
    const login = await userWithLogin(h, "alice");
    for (const bad of ["", "dfr_short", "x".repeat(47), `dfr_${"A".repeat(43)}`]) {
      expect(await codeOf(h.security.auth.refresh(bad))).toBe("SECURITY_REFRESH_INVALID");
    }
    h.advance(31 * 86_400_000);
    expect(await codeOf(h.security.auth.refresh(login.refreshToken))).toBe(
      "SECURITY_REFRESH_INVALID",
    );
  });
});
