/** The `security` toolset: who am I, permission checks, API keys, roles and the audit log. */
import { DevflowError } from "@devflow/events";
import { type Actor, AUDIT_TYPES, type AuditType, PERMISSIONS, ROLES } from "@devflow/security";
import { z } from "zod";
import { requireAccess, type ToolContext, type ToolSecurity } from "../context.js";
import { parsePeriod, PeriodSchema } from "../time-range.js";
import { DESTRUCTIVE, defineOperation, READ_ONLY, WRITES, type Operation } from "../tool.js";

function services(ctx: ToolContext): ToolSecurity {
  if (ctx.security === undefined) {
    throw new DevflowError(
      "TOOLS_NO_SECURITY",
      "Security services are not available in this server.",
    );
  }
  return ctx.security;
}

function actor(ctx: ToolContext): Actor {
  return ctx.caller;
}

const whoami = defineOperation({
  name: "whoami",
  title: "Who am I",
  description:
    "Who this server acts for: the local operator (stdio) or the authenticated user or API key (HTTP), with roles and, for API keys, scopes.",
  toolset: "security",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {},
  output: {
    kind: z.enum(["local", "user", "api_key"]),
    name: z.string(),
    roles: z.array(z.object({ role: z.string(), projectId: z.string().nullable() })),
    scopes: z.array(z.string()).nullable(),
    projectScope: z.string().nullable(),
  },
  run: (_args, ctx) => {
    const c = ctx.caller;
    if (c.kind === "local") {
      return {
        kind: "local" as const,
        name: c.name,
        roles: [{ role: "admin", projectId: null }],
        scopes: null,
        projectScope: null,
      };
    }
    return {
      kind: c.kind,
      name: c.username,
      roles: c.bindings.map((b) => ({ role: b.role, projectId: b.projectId })),
      scopes: c.scopes === undefined ? null : [...c.scopes],
      projectScope: c.projectScope ?? null,
    };
  },
  render: (r) =>
    `${r.kind} ${r.name}: ${r.roles.map((b) => `${b.role}${b.projectId ? `@${b.projectId}` : ""}`).join(", ")}${r.scopes ? `; scopes ${r.scopes.join(" ")}` : ""}`,
});

const checkPermission = defineOperation({
  name: "check_permission",
  title: "Check a permission",
  description:
    "Whether the caller holds a permission (resource:action, e.g. project:write), globally or on one project, and why. Does not perform the action.",
  toolset: "security",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    permission: z.enum(PERMISSIONS),
    projectId: z.string().max(256).optional(),
  },
  output: { allowed: z.boolean(), reason: z.string() },
  run: async (args, ctx) => {
    if (ctx.caller.kind === "local") return { allowed: true, reason: "local-operator" };
    const d = await services(ctx).auth.authorize(
      ctx.caller,
      args.permission,
      args.projectId ?? null,
    );
    return { allowed: d.allowed, reason: d.reason };
  },
  render: (r) => `${r.allowed ? "allowed" : "denied"} (${r.reason})`,
});

const KeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  scopes: z.array(z.string()),
  projectId: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  useCount: z.number().int(),
  revokedAt: z.string().nullable(),
});

const createApiKey = defineOperation({
  name: "create_api_key",
  title: "Create an API key",
  description:
    "Creates an API key for a user (yourself, or anyone if you are an admin) with scopes (permissions the owner holds), an optional project and lifetime. The key is returned ONCE in `key`; only its hash is stored. Tell the user to store it.",
  toolset: "security",
  permission: "project:read",
  annotations: WRITES,
  input: {
    username: z.string().min(1).max(64),
    name: z.string().min(1).max(100).describe("What the key is for"),
    scopes: z
      .array(z.enum(PERMISSIONS))
      .min(1)
      .max(10)
      .optional()
      .describe("Default project:read, metrics:read"),
    projectId: z.string().max(256).optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  },
  output: { key: z.string(), info: KeyInfo },
  run: async (args, ctx) => {
    const created = await services(ctx).apiKeys.create(
      {
        username: args.username,
        name: args.name,
        ...(args.scopes === undefined ? {} : { scopes: args.scopes }),
        projectId: args.projectId ?? null,
        expiresAt:
          args.expiresInDays === undefined
            ? null
            : new Date(ctx.clock().getTime() + args.expiresInDays * 86_400_000),
      },
      actor(ctx),
    );
    return { key: created.key, info: { ...created.record, scopes: [...created.record.scopes] } };
  },
  render: (r) =>
    `created API key ${r.info.id} (${r.info.name}); the key is in the structured result and is shown only once`,
});

const listApiKeys = defineOperation({
  name: "list_api_keys",
  title: "List API keys",
  description:
    "API keys (never the keys themselves): scopes, project, expiry, last use and use count. Admins see everyone's; others see their own.",
  toolset: "security",
  permission: "security:read",
  annotations: READ_ONLY,
  input: { username: z.string().max(64).optional() },
  output: { keys: z.array(KeyInfo) },
  run: async (args, ctx) => {
    let username = args.username;
    if (ctx.caller.kind !== "local") {
      const admin = (await services(ctx).auth.authorize(ctx.caller, "security:admin")).allowed;
      if (!admin) {
        if (username !== undefined && username !== ctx.caller.username) {
          throw new DevflowError(
            "SECURITY_FORBIDDEN",
            "Forbidden: only admins list other users' keys.",
          );
        }
        username = ctx.caller.username;
      }
    }
    const keys = await services(ctx).apiKeys.list(username);
    return { keys: keys.map((k) => ({ ...k, scopes: [...k.scopes] })) };
  },
  render: (r) =>
    r.keys.length === 0
      ? "no API keys"
      : r.keys
          .map(
            (k) =>
              `${k.id} ${k.name} [${k.revokedAt ? "revoked" : "active"}] ${k.scopes.join(" ")}`,
          )
          .join("\n"),
});

const revokeApiKey = defineOperation({
  name: "revoke_api_key",
  title: "Revoke an API key",
  description:
    "Revokes an API key by its id (the 8 characters after dfk_<kind>_); its owner or an admin may.",
  toolset: "security",
  permission: "project:read",
  annotations: DESTRUCTIVE,
  input: { id: z.string().min(1).max(64) },
  output: { id: z.string(), revoked: z.boolean() },
  run: async (args, ctx) => ({
    id: args.id,
    revoked: await services(ctx).apiKeys.revoke(args.id, actor(ctx)),
  }),
  render: (r) => (r.revoked ? `revoked ${r.id}` : `${r.id} was already revoked`),
});

const assignRole = defineOperation({
  name: "assign_role",
  title: "Assign a role",
  description:
    "Gives a user a role (admin, developer, viewer, guest) globally or on one project, or removes it with role null. Ends the user's sessions so the change applies at once. Admins only.",
  toolset: "security",
  permission: "security:admin",
  annotations: { ...WRITES, idempotentHint: true },
  input: {
    username: z.string().min(1).max(64),
    role: z.enum(ROLES).nullable(),
    projectId: z.string().max(256).optional(),
  },
  output: {
    username: z.string(),
    roles: z.array(z.object({ role: z.string(), projectId: z.string().nullable() })),
  },
  run: async (args, ctx) => {
    const s = services(ctx);
    const user =
      args.role === null
        ? await s.users.removeRole(args.username, actor(ctx), args.projectId ?? null)
        : await s.users.setRole(args.username, args.role, actor(ctx), args.projectId ?? null);
    return {
      username: user.username,
      roles: user.bindings.map((b) => ({ role: b.role, projectId: b.projectId })),
    };
  },
  render: (r) =>
    `${r.username}: ${r.roles.map((b) => `${b.role}${b.projectId ? `@${b.projectId}` : ""}`).join(", ") || "no role"}`,
});

const AuditRow = z.object({
  seq: z.number().int(),
  timestamp: z.string(),
  type: z.string(),
  actor: z.string().nullable(),
  subject: z.string().nullable(),
  ip: z.string().nullable(),
  projectId: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

const queryAuditLog = defineOperation({
  name: "query_audit_log",
  title: "Query the audit log",
  description:
    "Security events (logins, lockouts, token and key use, role changes, denials, key rotation) in a period, newest first. Admins only. Types are like login_failed or security.lockout.",
  toolset: "security",
  permission: "security:admin",
  annotations: READ_ONLY,
  input: {
    period: PeriodSchema.optional(),
    types: z.array(z.string().max(64)).max(20).optional(),
    actor: z.string().max(256).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  },
  output: { entries: z.array(AuditRow) },
  run: async (args, ctx) => {
    const range = parsePeriod(args.period, ctx.clock());
    const types = args.types?.map((t) => {
      const full = t.startsWith("security.") ? t : `security.${t}`;
      if (!(AUDIT_TYPES as readonly string[]).includes(full)) {
        throw new DevflowError(
          "TOOLS_BAD_ARGUMENT",
          `Unknown audit type ${t.slice(0, 64)}; e.g. login_failed, lockout, key_created.`,
        );
      }
      return full as AuditType;
    });
    const entries = await ctx.storage.audit.query({
      from: new Date(range.from),
      to: new Date(range.to),
      ...(types === undefined ? {} : { types }),
      ...(args.actor === undefined ? {} : { actor: args.actor }),
      limit: args.limit ?? 100,
      order: "desc",
    });
    return {
      entries: entries.map((e) => ({
        seq: e.seq,
        timestamp: e.timestamp,
        type: e.type,
        actor: e.actor ?? null,
        subject: e.subject ?? null,
        ip: e.ip ?? null,
        projectId: e.projectId ?? null,
        details: { ...e.details },
      })),
    };
  },
  render: (r) =>
    r.entries.length === 0
      ? "no entries"
      : r.entries
          .map((e) => `#${e.seq} ${e.timestamp} ${e.type} ${e.actor ?? ""} ${e.subject ?? ""}`)
          .join("\n"),
});

const verifyAuditLog = defineOperation({
  name: "verify_audit_log",
  title: "Verify the audit log",
  description:
    "Checks the audit log's hash chain and anchors: ok, or the first entry that was modified, deleted, reordered or truncated.",
  toolset: "security",
  permission: "security:read",
  annotations: READ_ONLY,
  input: {},
  output: {
    ok: z.boolean(),
    checked: z.number().int(),
    firstBad: z.object({ seq: z.number().int(), problem: z.string() }).nullable(),
  },
  run: async (_args, ctx) => {
    await requireAccess(ctx, "security:read", null);
    const r = await ctx.storage.audit.verify();
    return { ok: r.ok, checked: r.checked, firstBad: r.firstBad ?? null };
  },
  render: (r) =>
    r.ok
      ? `intact (${r.checked} entries)`
      : `TAMPERED at #${r.firstBad?.seq} (${r.firstBad?.problem})`,
});

/** The `security` toolset. */
export const securityTools: readonly Operation[] = [
  whoami,
  checkPermission,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  assignRole,
  queryAuditLog,
  verifyAuditLog,
];
