/**
 * Tool failures as `isError` results (reliability-security.md F10): a `DevflowError` keeps its
 * message — written to say what to change — scrubbed of secrets; anything else becomes a
 * generic message while the details go to the server log only.
 */
import { DevflowError, type Logger } from "@devflow/events";
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
