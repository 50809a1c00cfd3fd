import { DEFAULT_TEXT_SEARCH_CONFIG, EMBEDDING_DIMENSION } from '@mnemolite/db';
import { storedEmbeddingEnvShape, toEmbeddingConfig, type EmbeddingConfig } from '@mnemolite/embeddings';
import {
  codeIndexEnvShape,
  databaseEnvShape,
  databaseStartupEnvShape,
  envOptionalString,
  loggingEnvShape,
  parseEnv,
  partitionEnvShape,
  partitionMaintenanceEnvShape,
  toDatabaseConfig,
  toPartitionConfig,
  type DatabaseConfig,
} from '@mnemolite/common';
import { z } from 'zod';

export { ConfigError } from '@mnemolite/common';

/**
 * A safety net against a runaway client, not a quota: 10,000 requests per second on average over a
 * minute, well above what `npm run bench:load` sends from one address in open mode.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600_000;

/** Every environment variable the API reads, with its default. README lists the same table (readme-config.spec.ts). */
export const apiEnvSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
  ...loggingEnvShape('info'),
  ...databaseEnvShape({ poolMax: 10 }),
  ...databaseStartupEnvShape,
  // 10 MiB
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10_485_760),
  API_KEY: envOptionalString.optional().pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  // Access (issue 13): requests per minute per API key (per client address in open mode); 0 disables.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  ...partitionEnvShape,
  ...partitionMaintenanceEnvShape,
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  TEXT_SEARCH_CONFIG: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be the name of a PostgreSQL text search configuration, e.g. english or simple')
    .default(DEFAULT_TEXT_SEARCH_CONFIG),
  ...codeIndexEnvShape,
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().refine(isOrigin, 'each origin must be scheme://host[:port], without path or trailing slash'))),
  ...storedEmbeddingEnvShape(EMBEDDING_DIMENSION),
});

/** An exact origin as browsers send it in `Origin`: `https://app.example.com`, `http://localhost:3000`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export interface ApiConfig {
  host: string;
  port: number;
  logLevel: string;
  database: DatabaseConfig;
  /** MNEMO_MIGRATIONS_DIR: where the SQL migrations are; unset: found beside the code. */
  migrationsDir?: string;
  /** How long an unreachable database is retried at start (with backoff) before giving up. */
  startupRetrySeconds: number;
  maxBodyBytes: number;
  apiKey?: string;
  /** Requests per minute per API key (per client address in open mode); 0 disables. */
  rateLimitPerMinute: number;
  retentionMonths: number | null;
  premakeMonths: number;
  maintenanceIntervalMinutes: number;
  shutdownTimeoutMs: number;
  /** PostgreSQL text search configuration of memory lexical search (stemming and stop words). */
  textSearchConfig: string;
  /** Directories the server may index from (`POST /v1/code/index {"path"}`); none by default. */
  codeIndexRoots: string[];
  /** Origins whose browser pages may call the API (CORS); none by default. */
  corsOrigins: string[];
  embeddings: EmbeddingConfig;
}

/** The environment, parsed and shaped into the API's config (for `loadConfigOrExit` at start). */
export const apiConfigSchema = apiEnvSchema.transform((e): ApiConfig => ({
  host: e.HOST,
  port: e.PORT,
  logLevel: e.LOG_LEVEL,
  database: toDatabaseConfig(e),
  migrationsDir: e.MNEMO_MIGRATIONS_DIR,
  startupRetrySeconds: e.DB_STARTUP_RETRY_SECONDS,
  maxBodyBytes: e.MAX_BODY_BYTES,
  apiKey: e.API_KEY,
  rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
  ...toPartitionConfig(e),
  maintenanceIntervalMinutes: e.PARTITION_MAINTENANCE_INTERVAL_MINUTES,
  shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  textSearchConfig: e.TEXT_SEARCH_CONFIG,
  codeIndexRoots: e.CODE_INDEX_ROOTS,
  corsOrigins: e.CORS_ORIGINS,
  embeddings: toEmbeddingConfig(e),
}));

/** Parses the environment; lists every problem at once rather than the first (throws ConfigError). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiConfigSchema, env);
}
