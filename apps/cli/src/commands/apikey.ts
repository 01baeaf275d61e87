import { resolveProject } from "@devflow/runtime";
import { type ApiKeyRecord, PermissionSchema } from "@devflow/security";
import type { Command } from "commander";
import { DevflowError } from "@devflow/events";
import { formatTime, output } from "../context.js";
import { parseDuration, withSecurity } from "./security-context.js";

type KeyInfo = Omit<ApiKeyRecord, "keyHash">;

function describeKey(k: KeyInfo): string {
  const state = k.revokedAt
    ? `revoked ${k.revokedAt}`
    : k.expiresAt && Date.parse(k.expiresAt) <= Date.now()
      ? `expired ${k.expiresAt}`
      : "active";
  return [
    `${k.id}  ${k.name}  [${state}]`,
    `  scopes: ${k.scopes.join(" ")}${k.projectId ? `  project: ${k.projectId}` : ""}`,
    `  created ${k.createdAt}, expires ${k.expiresAt ?? "never"}, last used ${formatTime(k.lastUsedAt ? Date.parse(k.lastUsedAt) : null)} (${k.useCount} uses)`,
  ].join("\n");
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(/[,\s]+/).filter((s) => s !== "")];
}

/** `devflow apikey create|list|revoke`. */
export function registerApiKey(program: Command): void {
  const apikey = program
    .command("apikey")
    .description("manage API keys (shown once, stored as a hash)");

  apikey
    .command("create")
    .description("create an API key for a user and print it once")
    .argument("<username>", "the owner; the key never has more rights than its owner")
    .requiredOption("--name <label>", "what the key is for")
    .option("--scope <permission...>", "permissions, e.g. project:read metrics:read", collect, [])
    .option("--project <path|id>", "limit the key to one project")
    .option("--expires <duration>", "lifetime, e.g. 90d (default: no expiry)")
    .option("--test", "a test key (dfk_test_…)")
    .action(
      async (
        username: string,
        opts: { name: string; scope: string[]; project?: string; expires?: string; test?: boolean },
        cmd: Command,
      ) => {
        const scopes = opts.scope.map((s) => {
          const parsed = PermissionSchema.safeParse(s);
          if (!parsed.success) {
            throw new DevflowError("CLI_BAD_ARGUMENT", `--scope: unknown permission "${s}"`);
          }
          return parsed.data;
        });
        const lifetime =
          opts.expires === undefined ? null : parseDuration(opts.expires, "--expires");
        await withSecurity(cmd, async ({ storage, security, actor }) => {
          const created = await security.apiKeys.create(
            {
              username,
              name: opts.name,
              ...(scopes.length === 0 ? {} : { scopes }),
              projectId:
                opts.project === undefined ? null : resolveProject(storage, opts.project).id,
              expiresAt: lifetime === null ? null : new Date(Date.now() + lifetime),
              kind: opts.test ? "test" : "live",
            },
            actor,
          );
          output(cmd, { key: created.key, ...created.record }, () =>
            [describeKey(created.record), `key (shown once, store it now): ${created.key}`].join(
              "\n",
            ),
          );
        });
      },
    );

  apikey
    .command("list")
    .description("list API keys (never the keys themselves)")
    .option("--user <username>", "only this user's keys")
    .action(async (opts: { user?: string }, cmd: Command) => {
      await withSecurity(cmd, async ({ security }) => {
        const keys = await security.apiKeys.list(opts.user);
        output(cmd, keys, () =>
          keys.length === 0 ? "no API keys" : keys.map(describeKey).join("\n"),
        );
      });
    });

  apikey
    .command("revoke")
    .description("revoke an API key by its id (the 8 characters after dfk_<kind>_)")
    .argument("<id>")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withSecurity(cmd, async ({ security, actor }) => {
        const revoked = await security.apiKeys.revoke(id, actor);
        output(cmd, { id, revoked }, () =>
          revoked ? `revoked ${id}` : `${id} was already revoked`,
        );
      });
    });
}
