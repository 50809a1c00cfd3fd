import { envFlag } from '@mnemolite/common';
import { z } from 'zod';

export const DEFAULT_TEXT_MODEL = 'nomic-ai/nomic-embed-text-v1.5';
export const DEFAULT_CODE_MODEL = 'jinaai/jina-embeddings-v2-base-code';
export const DEFAULT_MODELS_DIR = './.mnemolite/models';

export type EmbeddingModeSetting = 'auto' | 'transformers' | 'hash';
export type EmbeddingDtype = 'q8' | 'fp32';

export interface EmbeddingConfig {
  /** `auto`: real models, falling back to the hash embedder when they cannot be had. */
  mode: EmbeddingModeSetting;
  textModel: string;
  codeModel: string;
  dimension: number;
  dtype: EmbeddingDtype;
  /** Local model folders (`<MODELS_DIR>/<org>/<model>/`), also where downloads are cached. */
  modelsDir: string;
  allowRemote: boolean;
  batchSize: number;
}

/** The embedding environment variables, for an app's config schema to spread into its own. */
export const embeddingEnvShape = {
  EMBEDDING_MODE: z.enum(['auto', 'transformers', 'hash']).default('auto'),
  EMBEDDING_MODEL: z.string().trim().min(1).default(DEFAULT_TEXT_MODEL),
  CODE_EMBEDDING_MODEL: z.string().trim().min(1).default(DEFAULT_CODE_MODEL),
  EMBEDDING_DIMENSION: z.coerce.number().int().min(8).max(16_000).default(768),
  EMBEDDING_DTYPE: z.enum(['q8', 'fp32']).default('q8'),
  MODELS_DIR: z.string().trim().min(1).default(DEFAULT_MODELS_DIR),
  EMBEDDING_ALLOW_REMOTE: envFlag.default(true),
  EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(512).default(16),
};

/**
 * The embedding variables of a process that stores vectors in columns of `storedDimension`
 * dimensions: any other EMBEDDING_DIMENSION could never be written, so it stops the start.
 */
export function storedEmbeddingEnvShape(storedDimension: number) {
  return {
    ...embeddingEnvShape,
    EMBEDDING_DIMENSION: embeddingEnvShape.EMBEDDING_DIMENSION.refine((value) => value === storedDimension, {
      error: (issue) => `is ${String(issue.input)}, but the database stores ${storedDimension}-dimensional vectors`,
    }),
  };
}

const embeddingEnvSchema = z.object(embeddingEnvShape);
type EmbeddingEnv = z.infer<typeof embeddingEnvSchema>;

export function toEmbeddingConfig(env: EmbeddingEnv): EmbeddingConfig {
  return {
    mode: env.EMBEDDING_MODE,
    textModel: env.EMBEDDING_MODEL,
    codeModel: env.CODE_EMBEDDING_MODEL,
    dimension: env.EMBEDDING_DIMENSION,
    dtype: env.EMBEDDING_DTYPE,
    modelsDir: env.MODELS_DIR,
    allowRemote: env.EMBEDDING_ALLOW_REMOTE,
    batchSize: env.EMBEDDING_BATCH_SIZE,
  };
}

/** Parses only the embedding variables (scripts and tools); apps fold the shape into their own schema. */
export function loadEmbeddingConfig(env: NodeJS.ProcessEnv = process.env): EmbeddingConfig {
  return toEmbeddingConfig(embeddingEnvSchema.parse(env));
}
