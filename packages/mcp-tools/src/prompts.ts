/**
 * Prompts: `daily_standup` and `weekly_review` gather the facts server-side and hand the model
 * a brief to write from; `pre_commit_check` runs the co-change check on the working tree and
 * asks the model to review the files that usually change together but are missing.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { projectFor, requireAccess, type ToolContext } from "./context.js";
import { invokeOperation } from "./invoke.js";
import type { Operation } from "./tool.js";
import { projectStatus, renderProjectStatus } from "./toolsets/project-status.js";

function user(text: string) {
  return { role: "user" as const, content: { type: "text" as const, text } };
}

async function runTool(
  tools: readonly Operation[],
  name: string,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<string> {
  const tool = tools.find((t) => t.name === name);
  if (tool === undefined) return `(${name} is not available in this server)`;
  try {
    return (await invokeOperation(tool, args, ctx)).text;
  } catch (err) {
    return `(${name} failed: ${err instanceof Error ? err.message : String(err)})`;
  }
}

/** The git scope of "yesterday" (a whole UTC day, as the tools' other calendar periods). */
function yesterdayScope(project: string, now: Date): Record<string, string> {
  const today = new Date(now.getTime() - (now.getTime() % 86_400_000));
  const yesterday = new Date(today.getTime() - 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { project, since: day(yesterday), until: day(today) };
}

/** Registers the three prompts. */
export function registerPrompts(
  server: McpServer,
  ctx: ToolContext,
  tools: readonly Operation[],
): void {
  const projectArg = {
    project: z
      .string()
      .max(4096)
      .optional()
      .describe("Project id or path; default the only project"),
  };

  server.registerPrompt(
    "daily_standup",
    {
      title: "Daily standup",
      description: "Yesterday and today of a project: commits, activity, stage, blockers.",
      argsSchema: projectArg,
    },
    async ({ project }) => {
      const p = projectFor(ctx, project);
      await requireAccess(ctx, "project:read", p.id);
      const status = renderProjectStatus(projectStatus(ctx, p));
      const commits = await runTool(
        tools,
        "get_commit_stats",
        yesterdayScope(p.id, ctx.clock()),
        ctx,
      );
      const bottlenecks = await runTool(tools, "detect_bottlenecks", { project: p.id }, ctx);
      return {
        description: `Standup brief for ${p.name}`,
        messages: [
          user(
            `Write a short daily standup for the project ${p.name} (what was done yesterday, what is in progress today, blockers) from these DevFlow facts. Be concrete and brief.\n\n## Status\n${status}\n\n## Commits yesterday\n${commits}\n\n## Bottlenecks\n${bottlenecks}`,
          ),
        ],
      };
    },
  );

  server.registerPrompt(
    "weekly_review",
    {
      title: "Weekly review",
      description:
        "The last 7 days of a project: delivery, hotspots, AI share, bottlenecks and trends.",
      argsSchema: projectArg,
    },
    async ({ project }) => {
      const p = projectFor(ctx, project);
      await requireAccess(ctx, "project:read", p.id);
      const sections = [
        ["Status", renderProjectStatus(projectStatus(ctx, p))],
        ["Metrics", await runTool(tools, "get_metrics", { project: p.id, period: "7d" }, ctx)],
        [
          "Delivery (DORA)",
          await runTool(tools, "get_dora_metrics", { project: p.id, since: "30d" }, ctx),
        ],
        ["Hotspots", await runTool(tools, "analyze_hotspots", { project: p.id, limit: 10 }, ctx)],
        ["Bottlenecks", await runTool(tools, "detect_bottlenecks", { project: p.id }, ctx)],
      ];
      return {
        description: `Weekly review brief for ${p.name}`,
        messages: [
          user(
            `Write a weekly engineering review of ${p.name}: what moved, what slowed, risks (hotspots, knowledge, failing tests), and 3 concrete suggestions, from these DevFlow facts.\n\n${sections.map(([h, b]) => `## ${h}\n${b}`).join("\n\n")}`,
          ),
        ],
      };
    },
  );

  server.registerPrompt(
    "pre_commit_check",
    {
      title: "Pre-commit check",
      description:
        "Runs the co-change check on the working tree's diff and asks for a review of files that usually change together but are missing.",
      argsSchema: projectArg,
    },
    async ({ project }) => {
      const p = projectFor(ctx, project);
      await requireAccess(ctx, "project:read", p.id);
      const report = await runTool(tools, "check_co_changes", { project: p.id }, ctx);
      return {
        description: `Pre-commit co-change check for ${p.name}`,
        messages: [
          user(
            `Before committing in ${p.name}, review this co-change check. For each file that historically changes together with the changed files but is not in the change, say whether it likely needs an update too, and why. If nothing is missing, say so.\n\n${report}`,
          ),
        ],
      };
    },
  );
}
