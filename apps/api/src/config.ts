import { DEFAULT_DATA_DIR, DEFAULT_PREMAKE_MONTHS, DEFAULT_TEXT_SEARCH_CONFIG, EMBEDDING_DIMENSION } from '@mnemolite/db';
import { embeddingEnvShape, toEmbeddingConfig, type EmbeddingConfig } from '@mnemolite/embeddings';
import { envOptionalPositiveInt, envOptionalString, envPostgresUrl, parseEnv } from '@mnemolite/common';
import { z } from 'zod';

export { ConfigError } from '@mnemolite/common';

/**
 * A safety net against a runaway client, not a quota: 10,000 requests per second on average over a
 * minute, well above what `npm run bench:load` sends from one address in open mode.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600_000;

/** Every environment variable the API reads, with its default. README lists the same table. */
export const apiEnvSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: envPostgresUrl,
  MNEMO_DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  DB_STARTUP_RETRY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  API_KEY: envOptionalString.optional().pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  // Access (issue 13): requests per minute per API key (per client address in open mode); 0 disables.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  EVENTS_RETENTION_MONTHS: envOptionalPositiveInt,
  EVENTS_PREMAKE_MONTHS: z.coerce.number().int().min(1).max(36).default(DEFAULT_PREMAKE_MONTHS),
  PARTITION_MAINTENANCE_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  TEXT_SEARCH_CONFIG: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be the name of a PostgreSQL text search configuration, e.g. english or simple')
    .default(DEFAULT_TEXT_SEARCH_CONFIG),
  CODE_INDEX_ROOTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((root) => root.trim()).filter(Boolean))
    .pipe(z.array(z.string().startsWith('/', 'each root must be an absolute path'))),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isOrigin, 'each origin must be scheme://host[:port], without path or trailing slash'))),
  ...embeddingEnvShape,
  // The database stores vector(768) columns: any other dimension could never be written.
  EMBEDDING_DIMENSION: embeddingEnvShape.EMBEDDING_DIMENSION.refine((value) => value === EMBEDDING_DIMENSION, {
    error: (issue) => `is ${String(issue.input)}, but the database stores ${EMBEDDING_DIMENSION}-dimensional vectors`,
  }),
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
  databaseUrl?: string;
  dataDir: string;
  poolMax: number;
  /** How long an unreachable database is retried at start (with backoff) before giving up. */
  startupRetrySeconds: number;
  maxBodyBytes: number;
  /** The bootstrap admin key (all namespaces); keys also live in the database (libs/access). */
  apiKey?: string;
  /** Requests per minute per API key (per client address in open mode); 0: no limit. */
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

/** Parses the environment once at start; lists every problem at once rather than the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const e = parseEnv(apiEnvSchema, env);
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.MNEMO_DATA_DIR,
    poolMax: e.DB_POOL_MAX,
    startupRetrySeconds: e.DB_STARTUP_RETRY_SECONDS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    apiKey: e.API_KEY,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    retentionMonths: e.EVENTS_RETENTION_MONTHS ?? null,
    premakeMonths: e.EVENTS_PREMAKE_MONTHS,
    maintenanceIntervalMinutes: e.PARTITION_MAINTENANCE_INTERVAL_MINUTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    textSearchConfig: e.TEXT_SEARCH_CONFIG,
    codeIndexRoots: e.CODE_INDEX_ROOTS,
    corsOrigins: e.CORS_ORIGINS,
    embeddings: toEmbeddingConfig(e),
  };
}
