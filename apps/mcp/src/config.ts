import { EMBEDDING_DIMENSION } from '@mnemolite/db';
import { storedEmbeddingEnvShape, toEmbeddingConfig, type EmbeddingConfig } from '@mnemolite/embeddings';
import {
  codeIndexEnvShape,
  databaseEnvShape,
  DEFAULT_NAMESPACE,
  envOptionalString,
  loggingEnvShape,
  namespaceSchema,
  parseEnv,
  partitionEnvShape,
  toDatabaseConfig,
  toPartitionConfig,
  type DatabaseConfig,
} from '@mnemolite/common';
import { z } from 'zod';

export { ConfigError } from '@mnemolite/common';

/** Every environment variable the stdio MCP server reads. README lists the same table (readme-config.spec.ts). */
export const mcpEnvSchema = z.object({
  MNEMOLITE_URL: envOptionalString
    .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://127.0.0.1:8000' }).optional())
    .optional(),
  MNEMOLITE_API_KEY: envOptionalString.optional(),
  MNEMOLITE_NAMESPACE: envOptionalString
    .pipe(namespaceSchema.optional())
    .optional()
    .transform((value) => value ?? DEFAULT_NAMESPACE),
  ...loggingEnvShape('warn'),
  ...databaseEnvShape({ poolMax: 5 }),
  ...partitionEnvShape,
  ...codeIndexEnvShape,
  ...storedEmbeddingEnvShape(EMBEDDING_DIMENSION),
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
      database: DatabaseConfig;
      migrationsDir?: string;
      retentionMonths: number | null;
      premakeMonths: number;
      codeIndexRoots: string[];
      embeddings: EmbeddingConfig;
    };

/** The environment, parsed and shaped into the server's config (for `loadConfigOrExit` at start). */
export const mcpConfigSchema = mcpEnvSchema.transform((e, ctx): McpConfig => {
  if (e.MNEMOLITE_URL) {
    return { mode: 'api', logLevel: e.LOG_LEVEL, namespace: e.MNEMOLITE_NAMESPACE, url: e.MNEMOLITE_URL, apiKey: e.MNEMOLITE_API_KEY };
  }
  if (e.MNEMOLITE_API_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['MNEMOLITE_API_KEY'],
      message: 'set, but MNEMOLITE_URL is not; the key is only used to reach a running API',
    });
    return z.NEVER;
  }
  return {
    mode: 'database',
    logLevel: e.LOG_LEVEL,
    namespace: e.MNEMOLITE_NAMESPACE,
    database: toDatabaseConfig(e),
    migrationsDir: e.MNEMO_MIGRATIONS_DIR,
    ...toPartitionConfig(e),
    codeIndexRoots: e.CODE_INDEX_ROOTS,
    embeddings: toEmbeddingConfig(e),
  };
});

/** Parses the environment; lists every problem at once (throws ConfigError). */
export function loadMcpConfig(env: NodeJS.ProcessEnv = process.env): McpConfig {
  return parseEnv(mcpConfigSchema, env);
}
