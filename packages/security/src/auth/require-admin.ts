/** The `security:admin` check shared by the administrative services. */
import { DevflowError } from "@devflow/events";
import { authorize } from "../rbac.js";
import { type Actor, type AuthContext, actorName } from "./context.js";

/**
 * Passes for a local operator (someone with access to the DevFlow home) and for principals
 * holding `security:admin` globally (within an API key's scopes); otherwise audits the denial
 * and throws `SECURITY_FORBIDDEN`.
 */
export async function requireAdmin(ctx: AuthContext, actor: Actor): Promise<void> {
  if (actor.kind === "local") return;
  const granted =
    authorize(actor, "security:admin").allowed &&
    (actor.scopes === undefined || actor.scopes.includes("security:admin")) &&
    actor.projectScope == null;
  if (granted) return;
  await ctx.audit({
    type: "security.permission_denied",
    actor: actorName(actor),
    details: { permission: "security:admin" },
  });
  throw new DevflowError("SECURITY_FORBIDDEN", "Forbidden: missing permission security:admin.", {
    data: { permission: "security:admin" },
  });
}
