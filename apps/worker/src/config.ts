import { DEFAULT_PREMAKE_MONTHS } from '@mnemolite/db';
import { embeddingEnvShape, toEmbeddingConfig, type EmbeddingConfig } from '@mnemolite/embeddings';
import { z } from 'zod';

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => value === '' ? 'false' : value)
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((value) => ['true', '1', 'yes'].includes(value));

const optionalPositiveInt = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : Number(value)))
  .pipe(z.number().int().positive().optional())
  .optional();

export const workerEnvSchema = z.object({
  WORKER_ENABLED: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional())
    .optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(5),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  WORKER_STALE_JOB_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  EVENTS_RETENTION_MONTHS: optionalPositiveInt,
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
      concurrency: number;
      pollIntervalMs: number;
      staleJobMs: number;
      retentionMonths: number | null;
      premakeMonths: number;
      maintenanceIntervalMinutes: number;
      embeddings: EmbeddingConfig;
    };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; lists every problem. A disabled worker needs nothing else. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
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
    concurrency: e.WORKER_CONCURRENCY,
    pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
    staleJobMs: e.WORKER_STALE_JOB_MS,
    retentionMonths: e.EVENTS_RETENTION_MONTHS ?? null,
    premakeMonths: e.EVENTS_PREMAKE_MONTHS,
    maintenanceIntervalMinutes: e.PARTITION_MAINTENANCE_INTERVAL_MINUTES,
    embeddings: toEmbeddingConfig(e),
  };
}
