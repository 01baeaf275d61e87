import { describe, expect, it } from "vitest";
import { REDACT_CENSOR, REDACT_PATHS, isSecretFieldName, redactSecrets } from "../src/index.js";

const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlX2NhbmFyeV94eXo";
const CANARIES = {
  bearer: "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA",
  jwt: JWT,
  apiKey: "dfk_live_8f3kQ2pLx9ZrT4mN7vB1cD6e",
  github: "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
  hex: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  b64: "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQ",
  urlPass: "s3cr3tPassw0rd",
  query: "abc123tokenvalue",
};

/** A minimal pino-like applier: dotted/bracketed paths, `*` matching one level of keys. */
function applyRedact(obj: unknown, paths: readonly string[]): unknown {
  const clone = structuredClone(obj);
  for (const path of paths) {
    const segs = [...path.matchAll(/\["([^"]+)"\]|([^.[\]]+)/g)].map((m) => (m[1] ?? m[2])!);
    const walk = (node: unknown, i: number): void => {
      if (node === null || typeof node !== "object") return;
      const rec = node as Record<string, unknown>;
      const seg = segs[i]!;
      const keys = seg === "*" ? Object.keys(rec) : [seg];
      for (const k of keys) {
        if (!(k in rec)) continue;
        if (i === segs.length - 1) rec[k] = REDACT_CENSOR;
        else walk(rec[k], i + 1);
      }
    };
    walk(clone, 0);
  }
  return clone;
}

describe("redaction", () => {
  it("masks every secret kind in free text", () => {
    const text = [
      `Authorization: Bearer ${CANARIES.bearer}`,
      `token in body ${CANARIES.jwt} end`,
      `key=${CANARIES.apiKey}`,
      `used ${CANARIES.apiKey}, ${CANARIES.github}`,
      `hmac ${CANARIES.hex}`,
      `blob ${CANARIES.b64}`,
      `fatal: unable to access 'https://bob:${CANARIES.urlPass}@github.com/acme/repo.git/'`,
      `GET /api/x?access_token=${CANARIES.query}&page=2`,
    ].join("\n");
    const out = redactSecrets(text);
    for (const [kind, canary] of Object.entries(CANARIES)) {
      expect(out, kind).not.toContain(canary);
    }
    expect(out).toContain("Bearer [redacted]");
    expect(out).toContain("https://[redacted]@github.com/acme/repo.git/");
    expect(out).toContain("page=2");
    expect(out).toContain("fatal: unable to access");
    expect(redactSecrets(out)).toBe(out);
  });

  it("leaves ordinary text alone", () => {
    const text =
      "Project devflow-monitor failed to sync 3 files in 1.2 s (see docs/ARCHITECTURE.md).";
    expect(redactSecrets(text)).toBe(text);
    expect(redactSecrets("a dfk_ prefix alone")).toBe("a dfk_ prefix alone");
  });

  it("keeps UUIDs (project ids) and file paths readable", () => {
    // Hand-written UUIDv7 ids and paths of the kind error messages carry.
    const kept = [
      "pass project as one of: 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b (mine), 01931F6E-8B2A-7C3D-9E4F-5A6B7C8D9E0F (theirs)",
      "project proj-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b is gone",
      "no project at /tmp/devflow-mcp-test-XyZ12a/repos/express-api-service2",
      "root /home/alice/projects/my-really-long-project-name-2024/src/index.ts",
      "root /Users/Alice/Projects/MyApp2/packages/something-else",
      "key file /home/bob/.devflow/keys/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/encryption.json",
    ];
    for (const text of kept) expect(redactSecrets(text), text).toBe(text);
  });

  it("still masks random runs that contain slashes or a UUID", () => {
    const secrets = [
      "q83vEjRW/eJCrze8SNFZ4kKvN7xI0VniQ+ab==", // standard base64 with padding
      "q83vEjRW/eJCrze8SNFZ4kKvN7xI0VniQab", // a slash, but a random word
      "/q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQab", // looks like a path, random word
      "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5bq83vEjRWeJCrze8SNFZ4kKvN7xI0VniQ", // UUID + key
      "k3j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8", // lower case and digits, no slash
    ];
    for (const secret of secrets) {
      const out = redactSecrets(`value ${secret} end`);
      expect(out, secret).toBe("value [redacted] end");
    }
  });

  it("REDACT_PATHS holds the required names and redacts them pino-style", () => {
    for (const p of [
      "req.headers.authorization",
      "req.headers.cookie",
      'req.headers["x-api-key"]',
      'req.headers["proxy-authorization"]',
      'res.headers["set-cookie"]',
      "*.password",
      "*.newPassword",
      "*.token",
      "*.accessToken",
      "*.refreshToken",
      "*.apiKey",
      "*.secret",
      "*.webhookUrl",
      "*.privateKey",
      "err.config.headers.Authorization",
      "err.config.headers.authorization",
    ]) {
      expect(REDACT_PATHS).toContain(p);
    }
    const line = {
      req: { headers: { authorization: "Bearer x", cookie: "sid=1", "x-api-key": "k", host: "h" } },
      res: { headers: { "set-cookie": "sid=2" } },
      body: { password: "pw", newPassword: "pw2", user: "bob" },
      auth: { accessToken: "a", refreshToken: "r", token: "t" },
      integration: { apiKey: "k", secret: "s", webhookUrl: "https://hooks", privateKey: "pk" },
      err: { config: { headers: { Authorization: "Bearer y" } } },
      password: "top",
    };
    const red = applyRedact(line, REDACT_PATHS);
    const json = JSON.stringify(red);
    for (const s of [
      "Bearer x",
      "sid=1",
      "sid=2",
      '"pw"',
      "pw2",
      '"top"',
      "https://hooks",
      "Bearer y",
      '"pk"',
    ]) {
      expect(json).not.toContain(s);
    }
    expect(json).toContain('"user":"bob"');
    expect(json).toContain('"host":"h"');
  });

  it("classifies secret field names", () => {
    for (const n of [
      "password",
      "NEW_PASSWORD",
      "accessToken",
      "api-key",
      "clientSecret",
      "signingKey",
      "cookie",
    ]) {
      expect(isSecretFieldName(n), n).toBe(true);
    }
    for (const n of ["keyId", "keyVersion", "reason", "attempt", "projectId", "monkeys"]) {
      expect(isSecretFieldName(n), n).toBe(false);
    }
  });
});
