import { z } from 'zod';
import { textSchema } from '@mnemolite/common';
import { CHUNK_TYPES } from '../parsing/definition';
import { chunkSchema } from './catalog.schemas';
import { languageName, nameText, repositoryName } from './common.schemas';

export const CODE_SEARCH_MODES = ['hybrid', 'lexical', 'vector'] as const;
export type CodeSearchMode = (typeof CODE_SEARCH_MODES)[number];

export const codeSearchRequestSchema = z
  .object({
    query: textSchema().trim().min(1).max(2000),
    mode: z.enum(CODE_SEARCH_MODES).optional().default('hybrid'),
    repository: repositoryName.optional(),
    language: languageName.optional(),
    chunk_type: z.enum(CHUNK_TYPES).optional(),
    path_prefix: nameText(1024).optional(),
    limit: z.number().int().min(1).max(100).optional().default(10),
  })
  .meta({ id: 'CodeSearchRequest' });

const codeSearchResultSchema = z.object({
  chunk: chunkSchema,
  score: z.number().min(0).max(1),
  scores: z.object({ lexical: z.number().optional(), vector: z.number().optional() }),
});

export const codeSearchResponseSchema = z
  .object({
    results: z.array(codeSearchResultSchema),
    mode: z.enum(CODE_SEARCH_MODES),
    took_ms: z.number().int(),
  })
  .meta({ id: 'CodeSearchResponse' });

/** A search as callers give it (defaults not yet applied). */
export type CodeSearchQuery = z.input<typeof codeSearchRequestSchema>;
export type CodeSearchResult = z.infer<typeof codeSearchResultSchema>;
