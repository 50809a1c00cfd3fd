import { z } from 'zod';

const embeddingStatusSchema = z.object({
  model: z.string(),
  mode: z.enum(['transformers', 'hash']),
  dimension: z.number().int(),
  loaded: z.boolean(),
  reason: z.string().optional().describe('Why the hash embedder serves instead of the configured model.'),
});

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    uptime_s: z.number().int(),
    auth: z
      .enum(['open', 'keys', 'unknown'])
      .describe(
        '`keys`: /v1, /mcp and /metrics need an API key (API_KEY is set, or a key was created); `open`: no key is configured, ' +
          'so no request needs one (local use); `unknown`: the database cannot be asked now.',
      ),
    database: z.object({
      ok: z.boolean(),
      engine: z
        .enum(['postgres', 'pglite', 'citus'])
        .describe('"citus" when the PostgreSQL server is a Citus coordinator (the citus extension is created).'),
      citus: z
        .object({
          version: z.string().describe('Version of the citus extension, e.g. "13.2-1".'),
          workers: z.number().int().describe('Active primary workers (the coordinator not counted).'),
        })
        .optional()
        .describe('Only when engine is "citus".'),
      server_version: z.string().nullable(),
      latency_ms: z.number().nullable(),
      extensions: z.object({
        vector: z.string().nullable(),
        pg_trgm: z.string().nullable(),
        pg_partman: z.string().nullable(),
      }),
      error: z.string().optional(),
    }),
    embeddings: z.object({ text: embeddingStatusSchema, code: embeddingStatusSchema }).optional(),
  })
  .meta({ id: 'Health' });

export const readinessSchema = z.object({ ready: z.boolean(), reason: z.string().optional() }).meta({ id: 'Readiness' });

export type EmbeddingStatus = z.infer<typeof embeddingStatusSchema>;
