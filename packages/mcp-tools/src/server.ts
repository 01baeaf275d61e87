/**
 * Builds an `McpServer` with DevFlow's tools, resources and prompts for one caller context.
 * Every tool call checks the caller's permission (on the tool's project when it has one),
 * validates input and output with zod, and turns failures into `isError` results.
 */
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { DevflowError } from "@devflow/events";
import { z } from "zod";
import { allowedProjects, projectFor, requireAccess, type ToolContext } from "./context.js";
import { toolError } from "./errors.js";
import { inputSchemaOf, invokeOperation } from "./invoke.js";
import { registerPrompts } from "./prompts.js";
import { DEFAULT_TOOLSETS, type Operation, TOOLSETS, type ToolsetName } from "./tool.js";
import { projectStatus } from "./toolsets/project-status.js";

/** Options of {@link createDevflowMcpServer}. */
export interface DevflowMcpServerOptions {
  /** Server version reported to clients. */
  readonly version: string;
  /** The tools to choose from (see `OPERATIONS`). */
  readonly tools: readonly Operation[];
  /** Toolsets to enable; default {@link DEFAULT_TOOLSETS}; `all` enables every one. */
  readonly toolsets?: readonly (ToolsetName | "all")[];
  /** Hide every tool whose `readOnlyHint` is false. */
  readonly readOnly?: boolean;
}

/** Parses a `--toolsets` list; throws `TOOLS_BAD_TOOLSET` naming the unknown one. */
export function parseToolsets(list: string): (ToolsetName | "all")[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      if (s === "all" || (TOOLSETS as readonly string[]).includes(s))
        return s as ToolsetName | "all";
      throw new DevflowError(
        "TOOLS_BAD_TOOLSET",
        `Unknown toolset "${s}"; choose from ${TOOLSETS.join(", ")} or all.`,
      );
    });
}

/** The tools a server with these options exposes. */
export function selectTools(options: DevflowMcpServerOptions): Operation[] {
  const sets = options.toolsets ?? DEFAULT_TOOLSETS;
  const all = sets.includes("all");
  return options.tools.filter(
    (t) =>
      (all || sets.includes(t.toolset)) &&
      !(options.readOnly === true && !t.annotations.readOnlyHint),
  );
}

/** Creates the server; connect it to a transport (stdio, Streamable HTTP, in-memory). */
export function createDevflowMcpServer(
  ctx: ToolContext,
  options: DevflowMcpServerOptions,
): McpServer {
  const server = new McpServer(
    { name: "devflow", title: "DevFlow Monitor", version: options.version },
    {
      instructions:
        "DevFlow records how this software is built (files, git, builds and tests, AI sessions, the machine). Start with get_project_status; times are ISO 8601 UTC; periods accept today, 7d, ISO dates.",
    },
  );
  for (const tool of selectTools(options)) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: inputSchemaOf(tool),
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: Record<string, unknown>) => {
        try {
          const answer = await invokeOperation(tool, args, ctx);
          return {
            structuredContent: answer.data,
            content: [{ type: "text" as const, text: answer.text }],
          };
        } catch (err) {
          return toolError(tool.name, err, ctx.logger);
        }
      },
    );
  }
  if (options.tools.some((t) => t.name === "get_project_status")) {
    server.registerResource(
      "project-status",
      new ResourceTemplate("devflow://projects/{id}/status", {
        list: () => ({
          resources: allowedProjects(ctx).map((p) => ({
            uri: `devflow://projects/${p.id}/status`,
            name: `${p.name} status`,
            mimeType: "application/json",
          })),
        }),
      }),
      {
        title: "Project status",
        description: "The get_project_status overview of one project, as JSON.",
        mimeType: "application/json",
      },
      async (uri, variables) => {
        const id = z.string().max(256).parse(variables["id"]);
        await requireAccess(ctx, "project:read", id);
        const status = projectStatus(ctx, projectFor(ctx, id));
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(status) }],
        };
      },
    );
  }
  registerPrompts(server, ctx, options.tools);
  return server;
}
