/**
 * `devflow user|apikey|audit|keys|secret`, run as the built binary against a temporary home:
 * first-run admin bootstrap, shown-once secrets that never reach stderr/logs (trace level) or
 * the database file, key rotation with re-encryption, and tamper detection by `audit verify`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStorage } from "@devflow/storage";
import { describe, expect, it } from "vitest";
import { sqliteOf } from "@devflow/storage/testing";

const bin = fileURLToPath(new URL("../dist/index.js", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runner(home: string, logs: string[]) {
  return (args: string[], input?: string): Run => {
    const r = spawnSync(process.execPath, [bin, "--log-level", "trace", ...args], {
      encoding: "utf8",
      cwd: home,
      input: input ?? "",
      env: { ...process.env, DEVFLOW_HOME: home },
    });
    logs.push(r.stderr);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

describe("devflow security commands", () => {
  it(
    "administers users, keys and secrets without leaking a secret, and detects tampering",
    { timeout: 120_000 },
    () => {
      const home = mkdtempSync(join(tmpdir(), "devflow-sec-cli-"));
      const logs: string[] = [];
      const run = runner(home, logs);
      const secrets: string[] = [];

      // first run: the admin is created and its password written to a 0600 file
      const first = run(["user", "list", "--json"]);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(`its password is in ${join(home, "admin-password")}`);
      expect(statSync(join(home, "admin-password")).mode & 0o777).toBe(0o600);
      secrets.push(/password: (\S+)/.exec(readFileSync(join(home, "admin-password"), "utf8"))![1]!);
      const users = JSON.parse(first.stdout) as {
        username: string;
        bindings: { role: string }[];
      }[];
      expect(users.map((u) => [u.username, u.bindings[0]?.role])).toEqual([["admin", "admin"]]);
      expect(first.stdout).not.toMatch(/passwordHash|scrypt\$/);

      // users: generated password shown once on stdout; chosen password from stdin
      const alice = run(["user", "add", "alice", "--role", "developer", "--json"]);
      expect(alice.code).toBe(0);
      const alicePassword = (JSON.parse(alice.stdout) as { password: string }).password;
      expect(alicePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      secrets.push(alicePassword);
      const bobPassword = "Bob-Chosen-Password-2231";
      secrets.push(bobPassword);
      expect(run(["user", "add", "bob", "--password-stdin"], `${bobPassword}\n`).code).toBe(0);
      const weak = run(["user", "add", "carol", "--password-stdin"], "Tiny-19");
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/devflow: The password is too short: at least 12 characters/);
      const newBob = run(["user", "passwd", "bob", "--json"]);
      secrets.push((JSON.parse(newBob.stdout) as { password: string }).password);
      expect(run(["user", "role", "bob", "admin"]).code).toBe(0);
      expect(run(["user", "disable", "alice"]).code).toBe(0);
      const listed = run(["user", "list"]).stdout;
      expect(listed).toMatch(/alice {2}developer \(global\) {2}\[disabled/);
      expect(listed).toMatch(/bob {2}admin \(global\)/);

      // API keys: shown once, listed without the key, revocable
      const created = run([
        "apikey",
        "create",
        "bob",
        "--name",
        "ci",
        "--scope",
        "project:read",
        "metrics:read",
        "--expires",
        "30d",
        "--json",
      ]);
      expect(created.code).toBe(0);
      const key = JSON.parse(created.stdout) as {
        key: string;
        id: string;
        scopes: string[];
        expiresAt: string;
      };
      expect(key.key).toMatch(/^dfk_live_/);
      expect(key.scopes).toEqual(["project:read", "metrics:read"]);
      secrets.push(key.key);
      const listKeys = run(["apikey", "list", "--json"]);
      expect(listKeys.stdout).toContain(key.id);
      expect(listKeys.stdout).not.toContain(key.key);
      expect(
        run(["apikey", "create", "bob", "--name", "x", "--scope", "nope:read"]).stderr,
      ).toMatch(/--scope: unknown permission "nope:read"/);
      expect(run(["apikey", "revoke", key.id]).stdout).toContain(`revoked ${key.id}`);

      // secrets vault and key rotation with re-encryption
      const vaultValue = "ghp_CanaryVaultSecret0123456789abcdef";
      secrets.push(vaultValue);
      expect(run(["secret", "set", "github.token"], vaultValue).code).toBe(0);
      const rotated = run(["keys", "rotate", "--json"]);
      expect(rotated.code).toBe(0);
      expect(JSON.parse(rotated.stdout)).toMatchObject({
        encryption: { version: 2, reencrypted: 1 },
      });
      const status = JSON.parse(run(["keys", "status", "--json"]).stdout) as {
        signing: unknown[];
        encryption: { version: number; state: string; values: number }[];
      };
      expect(status.signing).toHaveLength(2);
      expect(status.encryption).toEqual([
        { version: 1, state: "decrypt-only", values: 0 },
        { version: 2, state: "active", values: 1 },
      ]);
      expect(run(["keys", "retire", "1"]).code).toBe(0);
      const keyFile = JSON.parse(readFileSync(join(home, "keys.json"), "utf8")) as {
        signing: { secret: string }[];
        encryption: { key: string }[];
      };
      secrets.push(
        ...keyFile.signing.map((k) => k.secret),
        ...keyFile.encryption.map((k) => k.key),
      );
      expect(statSync(join(home, "keys.json")).mode & 0o777).toBe(0o600);

      // the audit log: queryable, intact, and tampering is detected
      const created2 = JSON.parse(
        run(["audit", "query", "--type", "user_created", "--json"]).stdout,
      ) as { subject: string }[];
      expect(created2.map((e) => e.subject)).toEqual(["admin", "alice", "bob"]);
      const verified = run(["audit", "verify", "--json"]);
      expect(verified.code).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
      // "yesterday" is an instant of the one time grammar now; "someday" is not.
      expect(run(["audit", "query", "--since", "someday"]).stderr).toMatch(
        /--since: "someday" is not a time; use now, today, yesterday/,
      );

      // nothing secret in any stderr/log line (trace level), nor in the database file
      const storage = openStorage({ path: join(home, "devflow.db") });
      sqliteOf(storage).pragma("wal_checkpoint(TRUNCATE)");
      const dbBytes = readFileSync(join(home, "devflow.db")).toString("latin1");
      const exportFile = join(home, "export.jsonl");
      const exported = spawnSync(process.execPath, [bin, "export", exportFile], {
        env: { ...process.env, DEVFLOW_HOME: home },
        encoding: "utf8",
      });
      expect(exported.status).toBe(0);
      const exportText = readFileSync(exportFile, "utf8");
      const allLogs = logs.join("\n");
      expect(allLogs).toMatch(/"level":10|"level":20|"level":30/); // trace logging was on
      for (const s of secrets) {
        expect(allLogs.includes(s), `secret ${s.slice(0, 6)}… in stderr`).toBe(false);
        expect(dbBytes.includes(s), `secret ${s.slice(0, 6)}… in the database`).toBe(false);
        expect(exportText.includes(s), `secret ${s.slice(0, 6)}… in the export`).toBe(false);
      }
      sqliteOf(storage)
        .prepare("UPDATE security_events SET subject = 'mallory' WHERE seq = 3")
        .run();
      storage.close();
      const tampered = run(["audit", "verify"]);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toMatch(/audit log TAMPERED: first bad entry #3 \(modified\)/);
    },
  );
});
