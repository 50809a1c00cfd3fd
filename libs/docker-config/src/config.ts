import { z } from 'zod';

const port = z.number().int().min(1).max(65_535);
const imageRef = z.string().regex(/^[a-z0-9][a-z0-9._/:@-]*$/, 'must be an image reference like name:tag');
/** Compose memory units (bytes with b/k/m/g suffix), e.g. 512m, 2g. */
const memory = z.string().regex(/^\d+(\.\d+)?[bkmg]$/i, 'must be a size like 512m or 2g');
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name');

const resourcesSchema = z.object({
  /** CPU limit, in cores (fractions allowed). */
  cpus: z.number().positive().max(256),
  memory,
});

/** A PostgreSQL `-c name=value` setting: names and values that cannot break the command line. */
const pgSettingName = z.string().regex(/^[a-z_][a-z0-9_.]*$/, 'must be a PostgreSQL setting name');
const pgSettingValue = z.string().regex(/^[A-Za-z0-9_.:,-]+$/, 'must be a plain setting value');

/**
 * Everything the compose file and `.env.example` are made from. Values a deployment changes per
 * machine (ports, passwords, embedding mode) become `${VAR:-default}` references whose defaults
 * come from here; structure (networks, volumes, healthchecks) is fixed by the generator.
 */
export const deploymentConfigSchema = z.object({
  projectName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
    .default('mnemolite'),
  /** Host interface the published ports bind to. Loopback only, unless a proxy is in front. */
  bindAddress: z.ipv4().default('127.0.0.1'),
  ports: z
    .object({
      api: port.default(8001),
      postgres: port.default(5432),
    })
    .prefault({}),
  images: z
    .object({
      api: imageRef.default('mnemolite-api:latest'),
      worker: imageRef.default('mnemolite-worker:latest'),
      db: imageRef.default('mnemolite-db:latest'),
    })
    .prefault({}),
  resources: z
    .object({
      api: resourcesSchema.default({ cpus: 2, memory: '2g' }),
      worker: resourcesSchema.default({ cpus: 1, memory: '1g' }),
      db: resourcesSchema.default({ cpus: 2, memory: '4g' }),
    })
    .prefault({}),
  postgres: z
    .object({
      user: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('mnemo'),
      /** Only the placeholder written to `.env.example`; the real one lives in `.env`. */
      passwordPlaceholder: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default('change-me'),
      database: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('mnemolite'),
      testDatabase: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('mnemolite_test'),
      /** Shared memory for parallel query and parallel index builds (Docker's default is 64 MB). */
      shmSize: memory.default('1g'),
      /** Server settings passed as `-c name=value` (sized for the 4 GB db limit above). */
      settings: z.record(pgSettingName, pgSettingValue).default({
        shared_buffers: '1GB',
        effective_cache_size: '3GB',
        maintenance_work_mem: '512MB',
        work_mem: '32MB',
        max_worker_processes: '8',
        max_parallel_workers: '4',
        max_parallel_workers_per_gather: '2',
        max_parallel_maintenance_workers: '2',
        random_page_cost: '1.1',
        max_connections: '100',
      }),
      /** initdb options: data checksums, as the seed deployment. */
      initdbArgs: z.string().default('--data-checksums'),
    })
    .prefault({}),
  embeddings: z
    .object({
      mode: z.enum(['auto', 'transformers', 'hash']).default('auto'),
      dtype: z.enum(['q8', 'fp32']).default('q8'),
      textModel: z.string().min(1).default('nomic-ai/nomic-embed-text-v1.5'),
      codeModel: z.string().min(1).default('jinaai/jina-embeddings-v2-base-code'),
      allowRemote: z.boolean().default(true),
      /** Build arg of docker/api.Dockerfile: download the models into the image (needs network). */
      bakeModels: z.boolean().default(false),
      /** Where the model cache volume is mounted in the api and worker containers. */
      modelsDir: z.string().startsWith('/').default('/models'),
    })
    .prefault({}),
  worker: z
    .object({
      /** false: the service exists behind the `worker` profile (`--profile worker` starts it). */
      enabled: z.boolean().default(false),
      concurrency: z.number().int().min(1).max(64).default(2),
    })
    .prefault({}),
  logging: z
    .object({
      maxSize: memory.default('10m'),
      maxFile: z.number().int().min(1).max(100).default(3),
    })
    .prefault({}),
  /** Extra environment variables passed through from `.env` to the api and worker. */
  passThroughEnv: z.array(envName).default(['API_KEY']),
});

export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;
export type DeploymentConfigInput = z.input<typeof deploymentConfigSchema>;

export class DeploymentConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid deployment configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'DeploymentConfigError';
  }
}

/** Validates a (partial) deployment config and fills in the defaults; lists every problem. */
export function parseDeploymentConfig(input: unknown = {}): DeploymentConfig {
  const parsed = deploymentConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new DeploymentConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}

/** The configuration the committed docker-compose.yml and .env.example are generated from. */
export const defaultDeploymentConfig: DeploymentConfig = parseDeploymentConfig({});
