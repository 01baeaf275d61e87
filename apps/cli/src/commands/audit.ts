import { DevflowError } from "@devflow/events";
import { AUDIT_TYPES, type AuditEntry, type AuditType } from "@devflow/security";
import type { Command } from "commander";
import { output } from "../context.js";
import { parseInstant, withSecurity } from "./security-context.js";

function describeEntry(e: AuditEntry): string {
  const parts = [
    `#${e.seq}`,
    e.timestamp,
    e.type,
    ...(e.actor ? [`by ${e.actor}`] : []),
    ...(e.subject ? [`on ${e.subject}`] : []),
    ...(e.ip ? [`from ${e.ip}`] : []),
    ...(e.projectId ? [`project ${e.projectId}`] : []),
  ];
  const details = Object.entries(e.details)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
  return `${parts.join("  ")}${details ? `  ${details}` : ""}`;
}

function parseTypes(values: string[]): AuditType[] {
  return values.map((v) => {
    const type = v.startsWith("security.") ? v : `security.${v}`;
    if (!(AUDIT_TYPES as readonly string[]).includes(type)) {
      throw new DevflowError(
        "CLI_BAD_ARGUMENT",
        `--type: unknown audit type "${v}"; one of ${AUDIT_TYPES.map((t) => t.slice(9)).join(", ")}`,
      );
    }
    return type as AuditType;
  });
}

/** `devflow audit verify|query`. */
export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("the tamper-evident security audit log");

  audit
    .command("verify")
    .description(
      "verify the hash chain and anchors; exits 1 if any row was changed, removed or reordered",
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await withSecurity(cmd, async ({ storage }) => {
        const result = await storage.audit.verify();
        const head = await storage.audit.latest();
        const anchors = await storage.audit.anchors();
        const value = { ...result, head: head?.seq ?? 0, anchors: anchors.length };
        output(cmd, value, () =>
          result.ok
            ? `audit log intact: ${result.checked} entries, ${anchors.length} anchors`
            : `audit log TAMPERED: first bad entry #${result.firstBad?.seq} (${result.firstBad?.problem}) after ${result.checked} good entries`,
        );
        if (!result.ok) process.exitCode = 1;
      });
    });

  audit
    .command("query")
    .description("list audit entries, oldest first (newest first with --desc)")
    .option("--type <type...>", "entry types, e.g. login_failed lockout")
    .option("--actor <actor>", "e.g. user:<id> or local:<name>")
    .option("--since <when>", "ISO date or a duration ago (7d)")
    .option("--until <when>", "ISO date or a duration ago")
    .option("--limit <n>", "at most this many entries (1-10000)", "100")
    .option("--desc", "newest first")
    .action(
      async (
        opts: {
          type?: string[];
          actor?: string;
          since?: string;
          until?: string;
          limit: string;
          desc?: boolean;
        },
        cmd: Command,
      ) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
          throw new DevflowError(
            "CLI_BAD_ARGUMENT",
            `--limit: expected 1-10000, got "${opts.limit}"`,
          );
        }
        await withSecurity(cmd, async ({ storage }) => {
          const entries = await storage.audit.query({
            ...(opts.type === undefined ? {} : { types: parseTypes(opts.type) }),
            ...(opts.actor === undefined ? {} : { actor: opts.actor }),
            ...(opts.since === undefined ? {} : { from: parseInstant(opts.since, "--since") }),
            ...(opts.until === undefined ? {} : { to: parseInstant(opts.until, "--until") }),
            limit,
            order: opts.desc ? "desc" : "asc",
          });
          output(cmd, entries, () =>
            entries.length === 0 ? "no matching entries" : entries.map(describeEntry).join("\n"),
          );
        });
      },
    );
}
