import { z } from 'zod';
import { envOptionalPositiveInt, envOptionalString, envPostgresUrl } from './env';

/*
 * The environment variables more than one process reads, each declared once. An app's config schema
 * spreads the shapes it needs into its own (like the embedding shape of @mnemolite/embeddings) and
 * turns the parsed values into its config with the `to*Config` functions below.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL, whose default is the app's own (the stdio MCP server is quieter than the API). */
export function loggingEnvShape(defaultLevel: LogLevel) {
  return { LOG_LEVEL: z.enum(LOG_LEVELS).default(defaultLevel) };
}

export const DEFAULT_DATA_DIR = './.mnemolite/pgdata';

/** The database a process opens: the embedded engine in a data directory, or a PostgreSQL server. */
export type DatabaseConfig = { engine: 'pglite'; dataDir: string } | ServerDatabaseConfig;
export interface ServerDatabaseConfig {
  engine: 'postgres';
  url: string;
  /** Largest number of pooled server connections. */
  poolMax: number;
}

/** The variables of a PostgreSQL server connection (the worker, which only runs against one). */
export function serverDatabaseEnvShape(defaults: { poolMax: number }) {
  return {
    DATABASE_URL: envPostgresUrl,
    DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(defaults.poolMax),
    /** Where the SQL migrations are, when not beside the code (found automatically when unset). */
    MNEMO_MIGRATIONS_DIR: envOptionalString.optional(),
  };
}

/** The variables of a database that is a server when DATABASE_URL is set, else the embedded engine. */
export function databaseEnvShape(defaults: { poolMax: number }) {
  return {
    ...serverDatabaseEnvShape(defaults),
    MNEMO_DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  };
}

/** How long a process retries an unreachable database at start (API and worker). */
export const databaseStartupEnvShape = {
  DB_STARTUP_RETRY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
};

export function toDatabaseConfig(env: { DATABASE_URL?: string; DB_POOL_MAX: number; MNEMO_DATA_DIR: string }): DatabaseConfig {
  return env.DATABASE_URL
    ? { engine: 'postgres', url: env.DATABASE_URL, poolMax: env.DB_POOL_MAX }
    : { engine: 'pglite', dataDir: env.MNEMO_DATA_DIR };
}

export const DEFAULT_PREMAKE_MONTHS = 4;

/** Monthly partitions of `events`: how many are made ahead, how long they are kept. */
export const partitionEnvShape = {
  EVENTS_RETENTION_MONTHS: envOptionalPositiveInt,
  EVENTS_PREMAKE_MONTHS: z.coerce.number().int().min(1).max(36).default(DEFAULT_PREMAKE_MONTHS),
};

/** How often a long-running process (API, worker) runs partition maintenance; 0: only at start. */
export const partitionMaintenanceEnvShape = {
  PARTITION_MAINTENANCE_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
};

export interface PartitionConfig {
  /** Partitions older than this many months are dropped; null keeps all. */
  retentionMonths: number | null;
  premakeMonths: number;
}

export function toPartitionConfig(env: { EVENTS_RETENTION_MONTHS?: number; EVENTS_PREMAKE_MONTHS: number }): PartitionConfig {
  return { retentionMonths: env.EVENTS_RETENTION_MONTHS ?? null, premakeMonths: env.EVENTS_PREMAKE_MONTHS };
}

/** Directories the server may index from on request (API and MCP code tools); none by default. */
export const codeIndexEnvShape = {
  CODE_INDEX_ROOTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((root) => root.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().startsWith('/', 'each root must be an absolute path'))),
};
