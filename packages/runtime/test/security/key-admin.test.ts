/**
 * Key administration in the runtime (moved out of the CLI, issue 12): rotation rotates the key
 * file, re-encrypts every vault value under the new key and audits each step; a grace period
 * shorter than the token lifetime is refused before anything changes; retiring refuses a
 * version that still encrypts data and audits the retirement. Real key file and SQLite file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDevflowError } from "@devflow/events";
import { afterEach, describe, expect, it } from "vitest";
import { keyStatus, retireKey, rotateKeys } from "../../src/key-admin.js";
import { openSecurity } from "../../src/security.js";
import { harness, type Harness, LOCAL } from "./harness.js";

let h: Harness;
afterEach(() => h?.close());

const code = async (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (err: unknown) => (isDevflowError(err) ? err.code : String(err)),
  );

describe("key administration", () => {
  it("refuses a grace period shorter than the token lifetime and leaves the keys unchanged", async () => {
    h = harness();
    const before = readFileSync(join(h.home, "keys.json"), "utf8");
    const r = rotateKeys({
      home: h.home,
      storage: h.storage,
      actor: LOCAL,
      signing: true,
      encryption: true,
      graceSeconds: 15 * 60,
    });
    expect(await code(r)).toBe("RUNTIME_BAD_GRACE");
    expect(readFileSync(join(h.home, "keys.json"), "utf8")).toBe(before);
  });

  it("rotates both keys, re-encrypts the vault and audits each step; retires the old version", async () => {
    h = harness();
    for (let i = 0; i < 3; i++) await h.security.vault.set(`token-${i}`, `value-${i}`);
    const before = await keyStatus(h.security);
    expect(before.signing).toHaveLength(1);
    expect(before.encryption).toEqual([{ version: 1, state: "active", values: 3 }]);

    const r = await rotateKeys({
      home: h.home,
      storage: h.storage,
      actor: LOCAL,
      signing: true,
      encryption: true,
      graceSeconds: 3600,
    });
    expect(r.signing?.retiring).toEqual([before.signing[0]!.kid]);
    expect(r.encryption).toMatchObject({ version: 2, previous: [1], reencrypted: 3 });

    const fresh = openSecurity({ home: h.home, storage: h.storage, env: {} });
    const after = await keyStatus(fresh);
    expect(after.signing).toHaveLength(2);
    expect(after.encryption.find((k) => k.version === 2)).toMatchObject({ values: 3 });
    expect(after.encryption.find((k) => k.version === 1)).toMatchObject({ values: 0 });
    expect(await fresh.vault.get("token-2")).toBe("value-2");

    const audited = await h.storage.audit.query({ types: ["security.key_rotated"] });
    expect(audited.map((e) => e.subject).sort()).toEqual(
      [`encryption:v2`, `signing:${r.signing!.newKid}`].sort(),
    );

    const keys = await retireKey({
      home: h.home,
      storage: h.storage,
      security: fresh,
      actor: LOCAL,
      version: 1,
    });
    expect(keys.find((k) => k.version === 1)?.state).toBe("retired");
    expect(
      await code(
        retireKey({ home: h.home, storage: h.storage, security: fresh, actor: LOCAL, version: 2 }),
      ),
    ).not.toBe("resolved");
  });
});
