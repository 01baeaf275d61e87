import { DevflowError } from "@devflow/events";
import {
  openSecurity,
  readKeyFile,
  retireEncryptionKey,
  rotateEncryptionKey,
  rotateSigningKey,
} from "@devflow/runtime";
import type { Command } from "commander";
import { output } from "../context.js";
import { parseDuration, type SecurityScope, withSecurity } from "./security-context.js";

/** Default grace for old signing keys: 1 h (≥ the 15 min access-token lifetime + skew). */
const DEFAULT_GRACE = "1h";

async function reencrypt(scope: SecurityScope): Promise<Record<string, number>> {
  // Reopen the keys from the file: the rotation just changed it.
  const fresh = openSecurity({ home: scope.config.home, storage: scope.storage });
  const report = await fresh.vault.reencryptAll();
  return { ...report };
}

/** `devflow keys status|rotate|reencrypt|retire`. */
export function registerKeys(program: Command): void {
  const keys = program
    .command("keys")
    .description("signing and encryption keys (in <home>/keys.json, never in the database)");

  keys
    .command("status")
    .description("show key ids, versions and states (never key material)")
    .action(async (_opts: unknown, cmd: Command) => {
      await withSecurity(cmd, async ({ security }) => {
        const counts = await security.vault.countByKeyVersion();
        const value = {
          file: security.keys.file,
          signingSource: security.keys.signingSource,
          encryptionSource: security.keys.encryptionSource,
          signing: security.keys.signing.map((k) => ({
            kid: k.kid,
            createdAt: k.createdAt.toISOString(),
            retiresAt: k.retiresAt?.toISOString() ?? null,
          })),
          encryption: security.keys.encryption.describe().map((v) => ({
            version: v.version,
            state: v.state,
            values: counts.get(v.version) ?? 0,
          })),
        };
        output(cmd, value, () =>
          [
            `key file: ${value.file} (signing from ${value.signingSource}, encryption from ${value.encryptionSource})`,
            ...value.signing.map(
              (k) =>
                `signing ${k.kid}  created ${k.createdAt}${k.retiresAt ? `  retires ${k.retiresAt}` : ""}`,
            ),
            ...value.encryption.map(
              (k) => `encryption v${k.version}  ${k.state}  encrypts ${k.values} value(s)`,
            ),
          ].join("\n"),
        );
      });
    });

  keys
    .command("rotate")
    .description(
      "add new keys: a signing key (old ones verify during --grace) and an encryption key (old data re-encrypted)",
    )
    .option("--signing", "rotate only the JWT signing key")
    .option("--encryption", "rotate only the encryption key")
    .option("--grace <duration>", "how long old signing keys keep verifying", DEFAULT_GRACE)
    .action(
      async (opts: { signing?: boolean; encryption?: boolean; grace: string }, cmd: Command) => {
        const both = !opts.signing && !opts.encryption;
        const graceSeconds = Math.round(parseDuration(opts.grace, "--grace") / 1000);
        if (graceSeconds < 15 * 60 + 30) {
          throw new DevflowError(
            "CLI_BAD_ARGUMENT",
            "--grace must cover the access-token lifetime (15 min) plus clock skew: at least 16m",
          );
        }
        await withSecurity(cmd, async (scope) => {
          const home = scope.config.home;
          const result: Record<string, unknown> = {};
          if (both || opts.signing) {
            const r = rotateSigningKey(home, graceSeconds);
            result["signing"] = r;
            await scope.storage.audit.append({
              type: "security.key_rotated",
              actor: `local:${scope.actor.kind === "local" ? scope.actor.name : "?"}`,
              subject: `signing:${r.newKid}`,
              details: { retiring: r.retiring.join(" "), until: r.retiresAt },
            });
          }
          if (both || opts.encryption) {
            const r = rotateEncryptionKey(home);
            const report = await reencrypt(scope);
            result["encryption"] = { ...r, ...report };
            await scope.storage.audit.append({
              type: "security.key_rotated",
              actor: `local:${scope.actor.kind === "local" ? scope.actor.name : "?"}`,
              subject: `encryption:v${r.version}`,
              details: { previous: r.previous.join(" "), reencrypted: report["reencrypted"] ?? 0 },
            });
          }
          output(cmd, result, () => {
            const lines: string[] = [];
            const s = result["signing"] as ReturnType<typeof rotateSigningKey> | undefined;
            if (s)
              lines.push(
                `signing: new key ${s.newKid}; ${s.retiring.join(", ") || "no key"} retires at ${s.retiresAt}`,
              );
            const e = result["encryption"] as Record<string, number> | undefined;
            if (e)
              lines.push(
                `encryption: v${e["version"]} active; ${e["reencrypted"]} value(s) re-encrypted, ${e["skipped"]} skipped`,
              );
            return lines.join("\n");
          });
        });
      },
    );

  keys
    .command("reencrypt")
    .description("re-encrypt every stored secret under the active encryption key")
    .action(async (_opts: unknown, cmd: Command) => {
      await withSecurity(cmd, async (scope) => {
        const report = await scope.security.vault.reencryptAll();
        output(
          cmd,
          report,
          () =>
            `${report.reencrypted} re-encrypted, ${report.current} already current, ${report.skipped} skipped (v${report.activeVersion} active)`,
        );
      });
    });

  keys
    .command("retire")
    .description("retire an old encryption key version (refused while it still encrypts data)")
    .argument("<version>", "the key version, e.g. 1")
    .action(async (version: string, _opts: unknown, cmd: Command) => {
      const v = Number(version);
      if (!Number.isInteger(v) || v < 1) {
        throw new DevflowError(
          "CLI_BAD_ARGUMENT",
          `expected a key version number, got "${version}"`,
        );
      }
      await withSecurity(cmd, async ({ config, security, storage, actor }) => {
        const inUse = (await security.vault.countByKeyVersion()).get(v) ?? 0;
        retireEncryptionKey(config.home, v, inUse);
        await storage.audit.append({
          type: "security.key_rotated",
          actor: `local:${actor.kind === "local" ? actor.name : "?"}`,
          subject: `encryption:v${v}`,
          details: { retired: true },
        });
        const file = readKeyFile(config.home);
        output(
          cmd,
          {
            retired: v,
            keys: file.encryption.map((k) => ({ version: k.version, state: k.state })),
          },
          () => `encryption key v${v} retired`,
        );
      });
    });
}
