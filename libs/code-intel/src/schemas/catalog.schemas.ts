import { z } from 'zod';
import { CHUNK_TYPES } from '../parsing/definition';
import { intParam, languageName, nameText, repositoryName } from './common.schemas';

export const chunkSchema = z
  .object({
    id: z.uuid(),
    repository: z.string(),
    file_path: z.string(),
    language: z.string(),
    chunk_type: z.enum(CHUNK_TYPES),
    name: z.string(),
    qualified_name: z.string(),
    signature: z.string().nullable(),
    docstring: z.string().nullable(),
    start_line: z.number().int().describe('1-based, inclusive.'),
    end_line: z.number().int().describe('1-based, inclusive.'),
    source: z.string().optional().describe('Omitted in listings.'),
    metadata: z
      .record(z.string(), z.unknown())
      .describe('complexity, parameters, return_type, calls, imports, kind, and part/parts for split units.'),
    indexed_at: z.string(),
  })
  .meta({ id: 'CodeChunk' });

export const chunksQuerySchema = z.object({
  repository: repositoryName,
  path: nameText(1024).optional(),
  language: languageName.optional(),
  chunk_type: z.enum(CHUNK_TYPES).optional(),
  limit: intParam(1, 1000, 100),
  offset: intParam(0, 1_000_000, 0),
});

export const chunkPageSchema = z
  .object({ items: z.array(chunkSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'CodeChunkPage' });

export const chunkIdSchema = z.object({ id: z.uuid('must be a UUID') });

export const chunkViewQuerySchema = z.object({
  highlight: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('`true` adds `source_html`: the source highlighted on the server (highlight.js `hljs-*` spans, escaped).'),
});

export const repositoryParamSchema = z.object({ name: repositoryName });

export const repositorySummarySchema = z
  .object({
    repository: z.string(),
    files: z.number().int(),
    chunks: z.number().int(),
    languages: z.record(z.string(), z.number().int()).describe('Files per language.'),
    last_indexed_at: z.string().nullable(),
  })
  .meta({ id: 'CodeRepository' });

export const deletedCountsSchema = z
  .object({ files: z.number().int(), chunks: z.number().int(), nodes: z.number().int(), edges: z.number().int() })
  .meta({ id: 'CodeRepositoryDeleted' });

/** A chunk as the API returns it (`source` only where asked for). */
export type ChunkView = z.infer<typeof chunkSchema>;
export type ChunkPage = z.infer<typeof chunkPageSchema>;
export type RepositorySummary = z.infer<typeof repositorySummarySchema>;
export type DeletedCounts = z.infer<typeof deletedCountsSchema>;
