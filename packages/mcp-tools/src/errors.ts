/**
 * Tool failures as `isError` results (reliability-security.md F10): a `DevflowError` keeps its
 * message — written to say what to change — scrubbed of secrets; anything else becomes a
 * generic message while the details go to the server log only.
 */
import { DevflowError, type ErrorCodes, type Logger } from "@devflow/events";
import { redactSecrets } from "@devflow/security";

/** An MCP tool result that reports an error. */
export interface ToolErrorResult {
  [key: string]: unknown;
  isError: true;
  content: { type: "text"; text: string }[];
}

/** Converts a thrown value into an `isError` result. */
export function toolError(tool: string, err: unknown, logger: Logger): ToolErrorResult {
  let text: string;
  if (err instanceof DevflowError) {
    text = `${err.code}: ${redactSecrets(err.message)}`;
    logger.debug({ tool, code: err.code }, "tool refused");
  } else {
    logger.error({ tool, err }, "tool failed");
    text = `INTERNAL: ${tool} failed unexpectedly; the server log has the details. Try again or report it.`;
  }
  return { isError: true, content: [{ type: "text", text }] };
}

/** Every code @devflow/mcp-tools throws, with its meaning. */
export const TOOLS_ERRORS = {
  TOOLS_BAD_ARGUMENT: "A tool argument is invalid or unknown (the message names it).",
  TOOLS_BAD_PATH: "A project reference or path is too long or has NUL bytes.",
  TOOLS_PATH_OUTSIDE_ROOTS: "A path is outside the project roots the server may read.",
  TOOLS_BAD_CURSOR: "A pagination cursor is not one the server issued.",
  TOOLS_BAD_TOOLSET: "A toolset name is unknown.",
  TOOLS_NO_SECURITY: "The security tools were called on a server without security services.",
  TOOLS_NOT_A_REPOSITORY: "A tool that reads git history was asked about a non-git project.",
  TOOLS_NO_COMMITS: "No commits are stored for the project yet.",
  TOOLS_NO_BRANCH: "No main or master branch; pass the production branch.",
  TOOLS_BAD_REQUEST: "An HTTP request body is too large or not JSON.",
  TOOLS_UNAUTHENTICATED: "An HTTP request has no bearer credentials.",
  TOOLS_INTERNAL: "An invariant of @devflow/mcp-tools was broken (a bug; please report it).",
} as const;

/** A code of {@link TOOLS_ERRORS}. */
export type ToolsErrorCode = keyof typeof TOOLS_ERRORS;

declare module "@devflow/events" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface DevflowErrorCodes extends ErrorCodes<typeof TOOLS_ERRORS> {}
}
