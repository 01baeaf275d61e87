/**
 * @module @devflow/mcp-tools
 * DevFlow's MCP tools, resources and prompts as transport-agnostic factories: each tool has zod
 * input and output schemas, a description written for a model, annotations, a permission,
 * structured results with a short text rendering, pagination and `isError` failures.
 * `createDevflowMcpServer` mounts them on an `McpServer` for any transport.
 */
export {
  column,
  DEFAULT_TOOLSETS,
  defineOperation,
  DESTRUCTIVE,
  READ_ONLY,
  tableColumns,
  tableRows,
  TOOLSETS,
  WRITES,
} from "./tool.js";
export type {
  Cell,
  Operation,
  OperationCli,
  OperationColumn,
  OperationTable,
  ToolAnnotations,
  ToolsetName,
} from "./tool.js";
export {
  inputSchemaOf,
  invokeOperation,
  outputSchemaOf,
  pageFooter,
  parseOperationInput,
} from "./invoke.js";
export type { OperationAnswer } from "./invoke.js";
export { allowedProjects, projectFor, requireAccess } from "./context.js";
export type {
  LocalCaller,
  MonitorHealth,
  RuntimeStatusSnapshot,
  ToolAnalysis,
  ToolContext,
  ToolControl,
  ToolSecurity,
} from "./context.js";
export { canonicalPath, ProjectRoots } from "./roots.js";
export { parsePeriod, previousRange, PeriodSchema } from "./time-range.js";
export type { TimeRange } from "./time-range.js";
export {
  decodeCursor,
  encodeCursor,
  pagedRows,
  pageOf,
  PageInput,
  PageOutput,
} from "./pagination.js";
export { TOOLS_ERRORS, toolError } from "./errors.js";
export type { ToolsErrorCode } from "./errors.js";
export { createDevflowMcpServer, parseToolsets, selectTools } from "./server.js";
export type { DevflowMcpServerOptions } from "./server.js";
export {
  projectStatus,
  renderProjectStatus,
  ProjectStatusShape,
} from "./toolsets/project-status.js";
export type { ProjectStatus } from "./toolsets/project-status.js";
export { OPERATIONS } from "./toolsets/all.js";
