/**
 * @module @devflow/security
 * DevFlow security as pure logic: password hashing, JWT access tokens, API keys, RBAC,
 * AES-256-GCM field encryption and the hash-chained audit log. It owns the store interfaces;
 * `@devflow/storage` implements them on SQLite. Everything exported here is public API.
 */

/** RBAC: roles, permissions, the policy table and project-scoped authorisation. */
export { SECURITY_ERRORS } from "./errors.js";
export type { SecurityErrorCode } from "./errors.js";
export {
  ROLES,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  RoleSchema,
  PermissionSchema,
  RoleBindingSchema,
  roleHasPermission,
  parseRole,
  authorize,
  assertAuthorized,
} from "./rbac.js";
export type { Role, Permission, RoleBinding, Principal, AuthorizationDecision } from "./rbac.js";

/** AES-256-GCM field encryption with versioned keys and AAD bound to the row. */
export {
  KeyRing,
  loadEncryptionKeys,
  canonicalAad,
  encryptField,
  decryptField,
  decryptFieldToBuffer,
  needsReencrypt,
  reencryptField,
} from "./crypto.js";
export type { KeyState, EncryptionKey, FieldAad, KeySource } from "./crypto.js";

/** The hash-chained audit log: pure chain functions, anchors and the store interface. */
export {
  AUDIT_TYPES,
  GENESIS_HASH,
  canonicalJson,
  hashEntry,
  appendEntry,
  makeAnchor,
  verifyChain,
  verifyStore,
} from "./audit.js";
export type {
  AuditType,
  AuditDetailValue,
  AuditInput,
  AuditEntry,
  AuditAnchor,
  ChainProblem,
  ChainVerification,
  AuditStore,
} from "./audit.js";

/** Log redaction: pino redact paths and the free-text secret scrubber. */
export {
  REDACT_CENSOR,
  REDACT_PATHS,
  SECRET_FIELD_NAMES,
  isSecretFieldName,
  redactSecrets,
  pinoRedaction,
} from "./redact.js";
export type { PinoRedactionOptions } from "./redact.js";

/** Password hashing with scrypt (self-describing encoding, rehash detection, dummy verify). */
export {
  DEFAULT_SCRYPT_PARAMS,
  MAX_PASSWORD_LENGTH,
  hashPassword,
  verifyPassword,
  needsRehash,
  dummyVerify,
} from "./password.js";
export type { ScryptParams, PasswordHashOptions } from "./password.js";

/** CSPRNG tokens and the HS256 signing keyring (weak keys refused at load). */
export {
  MIN_KEY_BYTES,
  KEY_GENERATION_HINT,
  randomToken,
  assertStrongKey,
  assertKeyring,
  loadSigningKeys,
} from "./secrets.js";
export type { SigningKey, SigningKeyring } from "./secrets.js";

/** JWT access tokens (HS256, `at+jwt`, kid rotation, distinct failure codes, revocation hook). */
export {
  DEFAULT_ACCESS_TTL_SECONDS,
  MAX_ACCESS_TTL_SECONDS,
  createTokenService,
} from "./tokens.js";
export type {
  SessionChecker,
  TokenServiceOptions,
  TokenService,
  AccessTokenInput,
  SignedAccessToken,
  AccessClaims,
  VerifyAccessOptions,
} from "./tokens.js";

/** API keys: `dfk_<kind>_<body>_<crc32>` format, offline checksum, SHA-256 storage. */
export {
  API_KEY_PREFIX,
  crc32,
  generateApiKey,
  hashApiKey,
  parseApiKey,
  verifyApiKey,
} from "./api-keys.js";
export type { ApiKeyKind, GeneratedApiKey, ParsedApiKey } from "./api-keys.js";

/** Accounts, sessions, refresh-token families, API-key auth, throttling and administration. */
export { AuthService, REFRESH_TOKEN_PREFIX, hashRefreshToken } from "./auth/service.js";
export type { AccessDecision, LoginResult, TokenPair } from "./auth/service.js";
export { AccountAdmin } from "./auth/admin.js";
export type { CreatedUser, NewUser } from "./auth/admin.js";
export { ApiKeyAdmin, DEFAULT_API_KEY_SCOPES } from "./auth/api-key-admin.js";
export type { CreatedApiKey, NewApiKey } from "./auth/api-key-admin.js";
export {
  DEFAULT_API_KEY_TOUCH_MS,
  DEFAULT_MIN_PASSWORD_LENGTH,
  DEFAULT_REFRESH_GRACE_MS,
  DEFAULT_REFRESH_TTL_SECONDS,
  checkPasswordPolicy,
  normaliseUsername,
} from "./auth/context.js";
export type { Actor, AuthOptions, AuthPrincipal, ClientInfo, PublicUser } from "./auth/context.js";
export {
  DEFAULT_THROTTLE_POLICY,
  accountKey,
  addressKey,
  lockRemainingMs,
  recordFailure,
} from "./auth/throttle.js";
export type { ThrottleLimits, ThrottlePolicy } from "./auth/throttle.js";
export type {
  ApiKeyRecord,
  AuthStore,
  RefreshTokenRecord,
  RotateOutcome,
  SessionRecord,
  ThrottleRecord,
  UserPatch,
  UserRecord,
  VaultRecord,
  VaultStore,
} from "./auth/model.js";

/** The secrets vault (AES-256-GCM, row-bound, re-encryptable). */
export { MAX_VAULT_SECRET_BYTES, Vault } from "./vault.js";
export type { ReencryptReport } from "./vault.js";
