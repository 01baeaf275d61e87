import { DevflowError } from "@devflow/events";
import { resolveProject } from "@devflow/runtime";
import { type PublicUser, parseRole, type RoleBinding } from "@devflow/security";
import type { Storage } from "@devflow/storage";
import type { Command } from "commander";
import { output } from "../context.js";
import { readStdin, withSecurity } from "./security-context.js";

function describeBinding(b: RoleBinding, storage: Storage): string {
  if (b.projectId === null) return `${b.role} (global)`;
  const project = storage.projects.get(b.projectId);
  return `${b.role} on ${project?.name ?? b.projectId}`;
}

function describeUser(u: PublicUser, storage: Storage): string {
  const roles = u.bindings.map((b) => describeBinding(b, storage)).join(", ") || "no role";
  const flags = [
    u.disabledAt ? `disabled ${u.disabledAt}` : "enabled",
    ...(u.mustChangePassword ? ["must change password"] : []),
  ].join(", ");
  return `${u.username}  ${roles}  [${flags}]`;
}

function projectIdOf(storage: Storage, project: string | undefined): string | null {
  return project === undefined ? null : resolveProject(storage, project).id;
}

/** `devflow user add|list|disable|enable|passwd|role`. */
export function registerUser(program: Command): void {
  const user = program.command("user").description("manage DevFlow users and their roles");

  user
    .command("add")
    .description("create a user; without --password-stdin a password is generated and shown once")
    .argument("<username>", "1-64 characters: letters, digits, . _ @ -")
    .option("--role <role>", "admin | developer | viewer | guest", "viewer")
    .option("--project <path|id>", "grant the role on this project only")
    .option("--password-stdin", "read the password from standard input")
    .action(
      async (
        username: string,
        opts: { role: string; project?: string; passwordStdin?: boolean },
        cmd: Command,
      ) => {
        await withSecurity(cmd, async ({ storage, security, actor }) => {
          const password = opts.passwordStdin ? await readStdin("the password") : undefined;
          const created = await security.users.createUser(
            {
              username,
              role: parseRole(opts.role),
              projectId: projectIdOf(storage, opts.project),
              ...(password === undefined ? {} : { password }),
            },
            actor,
          );
          output(cmd, { user: created.user, password: created.generatedPassword ?? null }, () =>
            [
              `created ${describeUser(created.user, storage)}`,
              ...(created.generatedPassword === undefined
                ? []
                : [`password (shown once, store it now): ${created.generatedPassword}`]),
            ].join("\n"),
          );
        });
      },
    );

  user
    .command("list")
    .description("list users, their roles and status")
    .action(async (_opts: unknown, cmd: Command) => {
      await withSecurity(cmd, async ({ storage, security }) => {
        const users = await security.users.listUsers();
        output(cmd, users, () =>
          users.length === 0 ? "no users" : users.map((u) => describeUser(u, storage)).join("\n"),
        );
      });
    });

  for (const [name, verb] of [
    ["disable", "disable a user and end its sessions"],
    ["enable", "re-enable a disabled user"],
  ] as const) {
    user
      .command(name)
      .description(verb)
      .argument("<username>")
      .action(async (username: string, _opts: unknown, cmd: Command) => {
        await withSecurity(cmd, async ({ storage, security, actor }) => {
          const u =
            name === "disable"
              ? await security.users.disableUser(username, actor)
              : await security.users.enableUser(username, actor);
          output(cmd, u, () => `${name}d ${describeUser(u, storage)}`);
        });
      });
  }

  user
    .command("passwd")
    .description("set a user's password (generated unless --password-stdin) and end its sessions")
    .argument("<username>")
    .option("--password-stdin", "read the new password from standard input")
    .action(async (username: string, opts: { passwordStdin?: boolean }, cmd: Command) => {
      await withSecurity(cmd, async ({ storage, security, actor }) => {
        const password = opts.passwordStdin ? await readStdin("the password") : undefined;
        const r = await security.users.setPassword(
          username,
          actor,
          password === undefined ? {} : { password },
        );
        output(cmd, { user: r.user, password: r.generatedPassword ?? null }, () =>
          [
            `password changed for ${describeUser(r.user, storage)}; its sessions were ended`,
            ...(r.generatedPassword === undefined
              ? []
              : [`new password (shown once): ${r.generatedPassword}`]),
          ].join("\n"),
        );
      });
    });

  user
    .command("role")
    .description("set (or with --remove, remove) a user's role, globally or on one project")
    .argument("<username>")
    .argument("[role]", "admin | developer | viewer | guest")
    .option("--project <path|id>", "the project the role applies to (default: global)")
    .option("--remove", "remove the user's role on that scope")
    .action(
      async (
        username: string,
        role: string | undefined,
        opts: { project?: string; remove?: boolean },
        cmd: Command,
      ) => {
        await withSecurity(cmd, async ({ storage, security, actor }) => {
          const projectId = projectIdOf(storage, opts.project);
          let u: PublicUser;
          if (opts.remove) u = await security.users.removeRole(username, actor, projectId);
          else {
            if (role === undefined) {
              throw new DevflowError(
                "CLI_BAD_ARGUMENT",
                "a role is required (admin | developer | viewer | guest) unless --remove",
              );
            }
            u = await security.users.setRole(username, parseRole(role), actor, projectId);
          }
          output(cmd, u, () => `${describeUser(u, storage)}; its sessions were ended`);
        });
      },
    );
}
