import { EMBEDDING_DIMENSION } from '@mnemolite/db';
import { storedEmbeddingEnvShape, toEmbeddingConfig, type EmbeddingConfig } from '@mnemolite/embeddings';
import {
  databaseStartupEnvShape,
  envFlag,
  loggingEnvShape,
  parseEnv,
  partitionEnvShape,
  partitionMaintenanceEnvShape,
  serverDatabaseEnvShape,
  toPartitionConfig,
  type ServerDatabaseConfig,
} from '@mnemolite/common';
import { z } from 'zod';

export { ConfigError } from '@mnemolite/common';

/** Every environment variable the worker reads. README lists the same table (readme-config.spec.ts). */
export const workerEnvSchema = z.object({
  WORKER_ENABLED: envFlag.default(false),
  ...loggingEnvShape('info'),
  ...serverDatabaseEnvShape({ poolMax: 5 }),
  ...databaseStartupEnvShape,
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  // 15 minutes
  WORKER_STALE_JOB_MS: z.coerce.number().int().min(1000).default(900_000),
  ...partitionEnvShape,
  ...partitionMaintenanceEnvShape,
  ...storedEmbeddingEnvShape(EMBEDDING_DIMENSION),
});

export type WorkerConfig =
  | { enabled: false; logLevel: string }
  | {
      enabled: true;
      logLevel: string;
      /** Always a server: the embedded engine belongs to the API process alone. */
      database: ServerDatabaseConfig;
      migrationsDir?: string;
      startupRetrySeconds: number;
      concurrency: number;
      pollIntervalMs: number;
      staleJobMs: number;
      retentionMonths: number | null;
      premakeMonths: number;
      maintenanceIntervalMinutes: number;
      embeddings: EmbeddingConfig;
    };

/** The environment, parsed and shaped into the worker's config. A disabled worker needs nothing else. */
export const workerConfigSchema = workerEnvSchema.transform((e, ctx): WorkerConfig => {
  if (!e.WORKER_ENABLED) return { enabled: false, logLevel: e.LOG_LEVEL };
  if (!e.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message: 'required when WORKER_ENABLED=true (the embedded engine belongs to the API process alone)',
    });
    return z.NEVER;
  }
  return {
    enabled: true,
    logLevel: e.LOG_LEVEL,
    database: { engine: 'postgres', url: e.DATABASE_URL, poolMax: e.DB_POOL_MAX },
    migrationsDir: e.MNEMO_MIGRATIONS_DIR,
    startupRetrySeconds: e.DB_STARTUP_RETRY_SECONDS,
    concurrency: e.WORKER_CONCURRENCY,
    pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
    staleJobMs: e.WORKER_STALE_JOB_MS,
    ...toPartitionConfig(e),
    maintenanceIntervalMinutes: e.PARTITION_MAINTENANCE_INTERVAL_MINUTES,
    embeddings: toEmbeddingConfig(e),
  };
});

/** Parses the environment; lists every problem (throws ConfigError). */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerConfigSchema, env);
}
