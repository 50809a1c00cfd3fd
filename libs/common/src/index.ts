export * from './app-error';
export { createLogger, type Logger, type LoggerConfig } from './logger';
export { ConfigError, envFlag, envOptionalPositiveInt, envOptionalString, envPostgresUrl, parseEnv } from './env';
export { serializeError, summarizeError, type ErrorSummary, type PgErrorFields } from './error-summary';
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
