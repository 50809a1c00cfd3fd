import { DEFAULT_PREMAKE_MONTHS } from '@mnemolite/db';
import { embeddingEnvShape, toEmbeddingConfig, type EmbeddingConfig } from '@mnemolite/embeddings';
import { ConfigError, envFlag, envOptionalPositiveInt, envPostgresUrl, parseEnv } from '@mnemolite/common';
import { z } from 'zod';

export { ConfigError };

export const workerEnvSchema = z.object({
  WORKER_ENABLED: envFlag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: envPostgresUrl,
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(5),
  DB_STARTUP_RETRY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  WORKER_STALE_JOB_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  EVENTS_RETENTION_MONTHS: envOptionalPositiveInt,
  EVENTS_PREMAKE_MONTHS: z.coerce.number().int().min(1).max(36).default(DEFAULT_PREMAKE_MONTHS),
  PARTITION_MAINTENANCE_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
  ...embeddingEnvShape,
});

export type WorkerConfig =
  | { enabled: false; logLevel: string }
  | {
      enabled: true;
      logLevel: string;
      databaseUrl: string;
      poolMax: number;
      startupRetrySeconds: number;
      concurrency: number;
      pollIntervalMs: number;
      staleJobMs: number;
      retentionMonths: number | null;
      premakeMonths: number;
      maintenanceIntervalMinutes: number;
      embeddings: EmbeddingConfig;
    };

/** Parses the environment once; lists every problem. A disabled worker needs nothing else. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseEnv(workerEnvSchema, env);
  if (!e.WORKER_ENABLED) return { enabled: false, logLevel: e.LOG_LEVEL };
  if (!e.DATABASE_URL) {
    throw new ConfigError([
      'DATABASE_URL: required when WORKER_ENABLED=true (the embedded engine belongs to the API process alone)',
    ]);
  }
  return {
    enabled: true,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    poolMax: e.DB_POOL_MAX,
    startupRetrySeconds: e.DB_STARTUP_RETRY_SECONDS,
    concurrency: e.WORKER_CONCURRENCY,
    pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
    staleJobMs: e.WORKER_STALE_JOB_MS,
    retentionMonths: e.EVENTS_RETENTION_MONTHS ?? null,
    premakeMonths: e.EVENTS_PREMAKE_MONTHS,
    maintenanceIntervalMinutes: e.PARTITION_MAINTENANCE_INTERVAL_MINUTES,
    embeddings: toEmbeddingConfig(e),
  };
}
