export * from './app-error';
export { createLogger, type Logger, type LoggerConfig } from './logger';
export {
  ConfigError,
  envFlag,
  envOptionalPositiveInt,
  envOptionalString,
  envPostgresUrl,
  loadConfigOrExit,
  parseEnv,
  type ConfigExit,
} from './env';
export { exitOnFatalErrors, type FatalErrorTarget, type FatalLogger } from './fatal-errors';
export {
  DEFAULT_DATA_DIR,
  DEFAULT_PREMAKE_MONTHS,
  LOG_LEVELS,
  codeIndexEnvShape,
  databaseEnvShape,
  databaseStartupEnvShape,
  loggingEnvShape,
  partitionEnvShape,
  partitionMaintenanceEnvShape,
  PGLITE_SHARED_BUFFERS_MB,
  serverDatabaseEnvShape,
  toDatabaseConfig,
  toPartitionConfig,
  type DatabaseConfig,
  type EmbeddedDatabaseConfig,
  type LogLevel,
  type PartitionConfig,
  type ServerDatabaseConfig,
} from './settings';
export { postgresErrorCode, serializeError, summarizeError, type ErrorSummary, type PgErrorFields } from './error-summary';
export {
  FLOAT4_MAX,
  MAX_JSON_DEPTH,
  UNSTORABLE_TEXT_MESSAGE,
  findUnstorableText,
  fitsFloat4,
  isStorableText,
  jsonDepth,
  textSchema,
} from './text';
export { DEFAULT_NAMESPACE, NAMESPACE_HEADER, NAMESPACE_PATTERN, isNamespace, namespaceSchema } from './namespace';
