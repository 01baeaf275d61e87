/**
 * @module @devflow/runtime
 * Composition of DevFlow: the root config schema and loader, and `createDevflow()` which
 * wires the event engine to storage and owns start/stop. Everything exported here is public API.
 */
export { knownErrorCode, RUNTIME_ERRORS } from "./errors.js";
export type { RuntimeErrorCode } from "./errors.js";
export {
  AnalysisConfigSchema,
  CONFIG_ENV,
  configFilePath,
  DevflowConfigSchema,
  LOG_LEVELS,
  loadConfig,
} from "./config.js";
export type {
  AnalysisConfig,
  DevflowConfig,
  DevflowConfigInput,
  LoadConfigOptions,
} from "./config.js";
export { AnalysisJobs, enginePublisher, standalonePublisher } from "./analysis-jobs.js";
export { syncAiRecords } from "./ai-sync.js";
export type { SyncAiRecordsOptions } from "./ai-sync.js";
export type { AnalysisJobsOptions, EventPublisher, StageRefresh } from "./analysis-jobs.js";
export { AnalysisLoop } from "./analysis-loop.js";
export type {
  AnalysisLoopOptions,
  AnalysisLoopStatus,
  AnalysisRun,
  ProjectAnalysis,
} from "./analysis-loop.js";
export { createDevflow } from "./devflow.js";
export type {
  ComponentStatus,
  CreateDevflowOptions,
  Devflow,
  DevflowStatus,
  StartOptions,
} from "./devflow.js";
export { ensureProject, findRepositoryRoot, resolveProject } from "./projects.js";
export { readRuntimeState, stateFilePath } from "./state-file.js";
export type { RuntimeState } from "./state-file.js";
export { HomeLock, readLockOwner, runDirectory } from "./home-lock.js";
export type { LockOwner } from "./home-lock.js";
export {
  AddProjectRequestSchema,
  CONTROL_MAX_LINE_BYTES,
  CONTROL_METHODS,
  ControlRequestSchema,
  controlSocketPath,
  RemoveProjectRequestSchema,
  StatusRequestSchema,
  SubscribeRequestSchema,
} from "./control-protocol.js";
export type {
  ControlErrorBody,
  ControlMethod,
  ControlReply,
  ControlRequest,
} from "./control-protocol.js";
export { startControlServer } from "./control-server.js";
export type { ControlHandlers, ControlServer, ControlServerOptions } from "./control-server.js";
export { ControlClient } from "./control-client.js";
export type { AddProjectReply, ControlClientOptions } from "./control-client.js";
export {
  attachDevflow,
  homeControl,
  openConfiguredStorage,
  readStatus,
  registerProjectInHome,
  unregisterProjectInHome,
  watchDevflow,
} from "./attach.js";
export type {
  AttachedDevflow,
  RegisterProjectResult,
  StatusReport,
  Via,
  Watch,
  WatchOptions,
} from "./attach.js";
export {
  ENCRYPTION_KEYS_ENV,
  JWT_KEYS_ENV,
  KEY_FILE_NAME,
  keyFilePath,
  loadKeyMaterial,
  readKeyFile,
  retireEncryptionKey,
  rotateEncryptionKey,
  rotateSigningKey,
} from "./key-file.js";
export type { KeyFile, KeyMaterial, SigningRotation } from "./key-file.js";
export { keyStatus, MIN_SIGNING_GRACE_SECONDS, retireKey, rotateKeys } from "./key-admin.js";
export type { KeyRotation, KeyStatus, RotateKeysOptions } from "./key-admin.js";
export { diagnose, inotifyChecks } from "./doctor.js";
export type { DoctorCheck } from "./doctor.js";
export {
  ADMIN_PASSWORD_FILE,
  DEFAULT_TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  bootstrapAdmin,
  openSecurity,
} from "./security.js";
export type { OpenSecurityOptions, Security } from "./security.js";
export { claudeDesktopConfigPath, installClaudeDesktop } from "./claude-desktop.js";
export type {
  ClaudeServerEntry,
  InstallClaudeDesktopOptions,
  InstallResult,
} from "./claude-desktop.js";
export { MCP_AUDIENCE, openMcpRuntime } from "./mcp-runtime.js";
export type { McpRuntime, OpenMcpRuntimeOptions } from "./mcp-runtime.js";
