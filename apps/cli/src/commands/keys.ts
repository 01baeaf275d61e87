import { DevflowError } from "@devflow/events";
import { keyStatus, retireKey, rotateKeys } from "@devflow/runtime";
import type { Command } from "commander";
import { output } from "../context.js";
import { parseDuration, withSecurity } from "./security-context.js";

/** Default grace for old signing keys: 1 h (≥ the 15 min access-token lifetime + skew). */
const DEFAULT_GRACE = "1h";

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
        const value = await keyStatus(security);
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
        await withSecurity(cmd, async (scope) => {
          const result = await rotateKeys({
            home: scope.config.home,
            storage: scope.storage,
            actor: scope.actor,
            signing: both || opts.signing === true,
            encryption: both || opts.encryption === true,
            graceSeconds,
          });
          output(cmd, result, () => {
            const lines: string[] = [];
            const s = result.signing;
            if (s)
              lines.push(
                `signing: new key ${s.newKid}; ${s.retiring.join(", ") || "no key"} retires at ${s.retiresAt}`,
              );
            const e = result.encryption;
            if (e)
              lines.push(
                `encryption: v${e.version} active; ${e.reencrypted} value(s) re-encrypted, ${e.skipped} skipped`,
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
        const keys = await retireKey({ home: config.home, storage, security, actor, version: v });
        output(cmd, { retired: v, keys }, () => `encryption key v${v} retired`);
      });
    });
}
