import { DEFAULT_DATA_DIR, DEFAULT_PREMAKE_MONTHS, EMBEDDING_DIMENSION } from '@mnemolite/db';
import { embeddingEnvShape, toEmbeddingConfig, type EmbeddingConfig } from '@mnemolite/embeddings';
import {
  ConfigError,
  DEFAULT_NAMESPACE,
  envOptionalPositiveInt,
  envOptionalString,
  envPostgresUrl,
  namespaceSchema,
  parseEnv,
} from '@mnemolite/common';
import { z } from 'zod';

export { ConfigError };

/** Every environment variable the stdio MCP server reads. README lists the same table. */
export const mcpEnvSchema = z.object({
  MNEMOLITE_URL: envOptionalString
    .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://127.0.0.1:8000' }).optional())
    .optional(),
  MNEMOLITE_API_KEY: envOptionalString.optional(),
  MNEMOLITE_NAMESPACE: envOptionalString
    .pipe(namespaceSchema.optional())
    .optional()
    .transform((value) => value ?? DEFAULT_NAMESPACE),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  DATABASE_URL: envPostgresUrl,
  MNEMO_DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(5),
  EVENTS_RETENTION_MONTHS: envOptionalPositiveInt,
  EVENTS_PREMAKE_MONTHS: z.coerce.number().int().min(1).max(36).default(DEFAULT_PREMAKE_MONTHS),
  CODE_INDEX_ROOTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((root) => root.trim()).filter(Boolean))
    .pipe(z.array(z.string().startsWith('/', 'each root must be an absolute path'))),
  ...embeddingEnvShape,
  EMBEDDING_DIMENSION: embeddingEnvShape.EMBEDDING_DIMENSION.refine((value) => value === EMBEDDING_DIMENSION, {
    error: (issue) => `is ${String(issue.input)}, but the database stores ${EMBEDDING_DIMENSION}-dimensional vectors`,
  }),
});

/**
 * Where the tools' data comes from:
 * - `api`: a running MnemoLite API (MNEMOLITE_URL), which owns its database; the only way to share
 *   the embedded engine, which one process at a time may open;
 * - `database`: the database itself, opened by this process (a PostgreSQL server with DATABASE_URL,
 *   or the embedded engine in MNEMO_DATA_DIR when no other process holds it).
 */
export type McpConfig =
  | { mode: 'api'; logLevel: string; namespace: string; url: string; apiKey?: string }
  | {
      mode: 'database';
      logLevel: string;
      /** The namespace every tool works in (MNEMOLITE_NAMESPACE, default "default"). */
      namespace: string;
      databaseUrl?: string;
      dataDir: string;
      poolMax: number;
      retentionMonths: number | null;
      premakeMonths: number;
      codeIndexRoots: string[];
      embeddings: EmbeddingConfig;
    };

/** Parses the environment once at start; lists every problem at once. */
export function loadMcpConfig(env: NodeJS.ProcessEnv = process.env): McpConfig {
  const e = parseEnv(mcpEnvSchema, env);
  if (e.MNEMOLITE_URL) {
    return { mode: 'api', logLevel: e.LOG_LEVEL, namespace: e.MNEMOLITE_NAMESPACE, url: e.MNEMOLITE_URL, apiKey: e.MNEMOLITE_API_KEY };
  }
  if (e.MNEMOLITE_API_KEY) {
    throw new ConfigError(['MNEMOLITE_API_KEY: set, but MNEMOLITE_URL is not; the key is only used to reach a running API']);
  }
  return {
    mode: 'database',
    logLevel: e.LOG_LEVEL,
    namespace: e.MNEMOLITE_NAMESPACE,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.MNEMO_DATA_DIR,
    poolMax: e.DB_POOL_MAX,
    retentionMonths: e.EVENTS_RETENTION_MONTHS ?? null,
    premakeMonths: e.EVENTS_PREMAKE_MONTHS,
    codeIndexRoots: e.CODE_INDEX_ROOTS,
    embeddings: toEmbeddingConfig(e),
  };
}
