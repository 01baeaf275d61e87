import { z } from "zod";
import { defineEvent, NameSchema } from "../envelope.js";

const notification = {
  channel: NameSchema,
  ruleId: NameSchema.optional(),
  title: z.string().max(1024),
  attempts: z.number().int().positive(),
};

/** Outgoing notifications and their delivery. */
export const notificationEvents = [
  defineEvent("notification.sent", "notification", z.strictObject(notification)),
  defineEvent(
    "notification.failed",
    "notification",
    z.strictObject({ ...notification, error: z.string().max(4096) }),
    "warning",
  ),
] as const;

const securityData = z.strictObject({
  userId: NameSchema.optional(),
  subject: NameSchema.optional(),
  ip: z.string().max(64).optional(),
  keyId: NameSchema.optional(),
  role: NameSchema.optional(),
  permission: NameSchema.optional(),
  resource: z.string().max(1024).optional(),
  reason: z.string().max(1024).optional(),
});

/** Security-relevant actions; the security package also writes them to the audit chain. */
export const SECURITY_ACTIONS = [
  "login_succeeded",
  "login_failed",
  "logout",
  "lockout",
  "user_created",
  "user_disabled",
  "user_enabled",
  "password_changed",
  "token_issued",
  "token_refreshed",
  "token_revoked",
  "token_reuse_detected",
  "key_created",
  "key_revoked",
  "key_used",
  "permission_denied",
  "role_assigned",
  "role_revoked",
  "secret_set",
  "secret_deleted",
] as const;

const warn = new Set<string>([
  "login_failed",
  "lockout",
  "token_reuse_detected",
  "permission_denied",
]);

type SecurityEventSchema = ReturnType<
  typeof defineEvent<
    `security.${(typeof SECURITY_ACTIONS)[number]}`,
    "security",
    typeof securityData
  >
>;

/** One schema per security action (all share the same data shape). */
export const securityEvents = SECURITY_ACTIONS.map((action) =>
  defineEvent(
    `security.${action}` as const,
    "security",
    securityData,
    warn.has(action) ? "warning" : "info",
  ),
) as unknown as readonly [SecurityEventSchema, ...SecurityEventSchema[]];
