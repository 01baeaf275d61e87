import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuthOptions } from "@devflow/security";
import { openStorage, type Storage } from "@devflow/storage";
import { openSecurity, type Security } from "../../src/security.js";

/** Cheap scrypt parameters for tests (production uses N = 2^17). */
export const TEST_SCRYPT = { params: { N: 1024, r: 8, p: 1 } } as const;
export const LOCAL = { kind: "local", name: "test" } as const;
export const PASSWORD = "correct horse battery staple";

/** A real SQLite file and key file in a temp home, with a clock the test moves. */
export interface Harness {
  home: string;
  dbPath: string;
  storage: Storage;
  security: Security;
  now(): Date;
  advance(ms: number): void;
  /** Opens a second connection + services on the same files (another process, in effect). */
  reopen(): { storage: Storage; security: Security };
  close(): void;
}

export function harness(
  options: {
    auth?: Partial<Omit<AuthOptions, "store" | "audit" | "tokens">>;
    scrypt?: typeof TEST_SCRYPT;
  } = {},
): Harness {
  const home = mkdtempSync(join(tmpdir(), "devflow-sec-"));
  const dbPath = join(home, "devflow.db");
  let t = Date.now() + 1000;
  const clock = (): Date => new Date(t);
  const extra: Storage[] = [];
  const open = (): { storage: Storage; security: Security } => {
    const storage = openStorage({ path: dbPath });
    const security = openSecurity({
      home,
      storage,
      env: {},
      clock,
      password: options.scrypt ?? TEST_SCRYPT,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
    });
    return { storage, security };
  };
  const main = open();
  return {
    home,
    dbPath,
    ...main,
    now: clock,
    advance(ms) {
      t += ms;
    },
    reopen() {
      const r = open();
      extra.push(r.storage);
      return r;
    },
    close() {
      for (const s of [main.storage, ...extra]) s.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Creates a user with a fixed password and returns its login. */
export async function userWithLogin(
  h: Harness,
  username: string,
  role: "admin" | "developer" | "viewer" | "guest" = "developer",
  projectId: string | null = null,
) {
  await h.security.users.createUser({ username, password: PASSWORD, role, projectId }, LOCAL);
  return h.security.auth.login(username, PASSWORD, { ip: "10.0.0.1" });
}

/** The error code a promise rejects with (fails the test when it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error("expected a rejection");
}
