import { z } from "zod";
import { defineEvent, NameSchema } from "../envelope.js";

const item = {
  /** `github`, `gitlab`, `jira`, `notion`, `figma`, `slack`, … */
  provider: NameSchema,
  externalId: NameSchema,
  url: z.string().url().max(4096).optional(),
  title: z.string().max(1024).optional(),
  actor: NameSchema.optional(),
  occurredAt: z.number().int().nonnegative().optional(),
  attributes: z
    .record(z.string(), z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]))
    .optional(),
};
/** Events synced from integrations (PRs, deployments, incidents, issues, designs, docs). */
export const integrationEvents = [
  defineEvent("integration.pr_opened", "integration", z.strictObject(item)),
  defineEvent(
    "integration.pr_merged",
    "integration",
    z.strictObject({ ...item, mergedAt: z.number().int().nonnegative().optional() }),
  ),
  defineEvent("integration.pr_closed", "integration", z.strictObject(item)),
  defineEvent(
    "integration.review_submitted",
    "integration",
    z.strictObject({ ...item, state: z.enum(["approved", "changes_requested", "commented"]) }),
  ),
  defineEvent(
    "integration.deployment",
    "integration",
    z.strictObject({
      ...item,
      environment: NameSchema,
      status: z.enum(["success", "failure", "in_progress"]),
      sha: NameSchema.optional(),
    }),
  ),
  defineEvent(
    "integration.incident",
    "integration",
    z.strictObject({ ...item, state: z.enum(["opened", "resolved"]) }),
  ),
  defineEvent(
    "integration.issue_transition",
    "integration",
    z.strictObject({ ...item, from: NameSchema.optional(), to: NameSchema }),
  ),
  defineEvent(
    "integration.pipeline",
    "integration",
    z.strictObject({ ...item, status: z.enum(["success", "failure", "cancelled", "running"]) }),
  ),
  defineEvent("integration.design_updated", "integration", z.strictObject(item)),
  defineEvent("integration.doc_updated", "integration", z.strictObject(item)),
] as const;
