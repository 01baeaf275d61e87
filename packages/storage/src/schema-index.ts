/**
 * @module @devflow/storage/schema
 * The drizzle table definitions of DevFlow's SQLite database, for typed queries of your own
 * through drizzle (the committed migrations in `drizzle/` create them; `openStorage()` applies
 * them). The root entry `@devflow/storage` is the supported way to read and write: these tables
 * are the storage layout and change with the migrations.
 */
export {
  aiReaderDirsTable,
  aiReaderFilesTable,
  aiReaderSessionsTable,
  aiReadersTable,
  aiReaderUsageKeysTable,
} from "./schema-ai.js";
export {
  apiKeysTable,
  loginThrottleTable,
  refreshTokensTable,
  roleBindingsTable,
  sessionsTable,
  usersTable,
  vaultSecretsTable,
} from "./schema-auth.js";
export {
  activitiesTable,
  auditAnchorsTable,
  commitFilesTable,
  commitsTable,
  eventsTable,
  metricsTable,
  projectsTable,
  rollupsTable,
  securityEventsTable,
  settingsTable,
  stageTransitionsTable,
} from "./schema.js";
