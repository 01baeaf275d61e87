import type { Command } from "commander";
import { output } from "../context.js";
import { readStdin, withSecurity } from "./security-context.js";

/** `devflow secret set|list|rm`: the encrypted vault (integration tokens, webhook URLs). */
export function registerSecret(program: Command): void {
  const secret = program
    .command("secret")
    .description("store secrets (integration tokens, webhook URLs) encrypted with AES-256-GCM");

  secret
    .command("set")
    .description("store a secret; the value is read from standard input, never from arguments")
    .argument("<name>", "e.g. github.token")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const value = await readStdin("the secret value");
      await withSecurity(cmd, async ({ security, actor }) => {
        await security.vault.set(name, value, actor.kind === "local" ? `local:${actor.name}` : "?");
        output(cmd, { name, stored: true }, () => `stored ${name} (encrypted)`);
      });
    });

  secret
    .command("list")
    .description("list secret names and key versions (never values)")
    .action(async (_opts: unknown, cmd: Command) => {
      await withSecurity(cmd, async ({ security }) => {
        const entries = await security.vault.list();
        output(cmd, entries, () =>
          entries.length === 0
            ? "no secrets"
            : entries
                .map((e) => `${e.name}  key v${e.keyVersion}  updated ${e.updatedAt}`)
                .join("\n"),
        );
      });
    });

  secret
    .command("rm")
    .description("delete a secret")
    .argument("<name>")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withSecurity(cmd, async ({ security, actor }) => {
        const deleted = await security.vault.delete(
          name,
          actor.kind === "local" ? `local:${actor.name}` : "?",
        );
        output(cmd, { name, deleted }, () =>
          deleted ? `deleted ${name}` : `no secret named ${name}`,
        );
        if (!deleted) process.exitCode = 1;
      });
    });
}
