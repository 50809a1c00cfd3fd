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
export type DatabaseConfig = EmbeddedDatabaseConfig | ServerDatabaseConfig;
export interface EmbeddedDatabaseConfig {
  engine: 'pglite';
  dataDir: string;
  /** The engine's page cache (`shared_buffers`) in MB, or `auto` (the default): sized to the store at start. */
  sharedBuffersMb?: number | 'auto';
}
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

/**
 * Bounds of the embedded engine's `shared_buffers` in MB (why, and the measurements: @mnemolite/db,
 * pglite-memory.ts). `auto` gives the store's size at start, between `min` and `autoMax`.
 */
export const PGLITE_SHARED_BUFFERS_MB = {
  /** PGlite's own default, and the least `auto` gives. */
  min: 128,
  /** The most `auto` gives: the hot pages of a 100,000-event store fit. */
  autoMax: 1024,
  /** The most that can be set: PGlite is 32-bit WebAssembly, and 2 GB did not start here. */
  max: 1536,
  /** The least that can be set. */
  floor: 16,
} as const;

/** MNEMO_PGLITE_SHARED_BUFFERS_MB: `auto` (also when empty) or a whole number of MB. */
const envSharedBuffersMb = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => (value === '' ? 'auto' : value))
  .pipe(
    z.union([
      z.literal('auto'),
      z
        .string()
        .regex(/^\d+$/, 'must be "auto" or a whole number of MB')
        .transform(Number)
        .pipe(z.number().int().min(PGLITE_SHARED_BUFFERS_MB.floor).max(PGLITE_SHARED_BUFFERS_MB.max)),
    ]),
  )
  .default('auto');

/** The variables of a database that is a server when DATABASE_URL is set, else the embedded engine. */
export function databaseEnvShape(defaults: { poolMax: number }) {
  return {
    ...serverDatabaseEnvShape(defaults),
    MNEMO_DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
    MNEMO_PGLITE_SHARED_BUFFERS_MB: envSharedBuffersMb,
  };
}

/** How long a process retries an unreachable database at start (API and worker). */
export const databaseStartupEnvShape = {
  DB_STARTUP_RETRY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
};

export function toDatabaseConfig(env: {
  DATABASE_URL?: string;
  DB_POOL_MAX: number;
  MNEMO_DATA_DIR: string;
  MNEMO_PGLITE_SHARED_BUFFERS_MB?: number | 'auto';
}): DatabaseConfig {
  return env.DATABASE_URL
    ? { engine: 'postgres', url: env.DATABASE_URL, poolMax: env.DB_POOL_MAX }
    : { engine: 'pglite', dataDir: env.MNEMO_DATA_DIR, sharedBuffersMb: env.MNEMO_PGLITE_SHARED_BUFFERS_MB ?? 'auto' };
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
