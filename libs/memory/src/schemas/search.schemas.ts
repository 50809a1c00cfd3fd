import { z } from 'zod';
import { textSchema } from '@mnemolite/common';
import {
  isoDateTimeSchema,
  jsonObjectSchema,
  jsonText,
  queryInteger,
  startsAfterEnd,
  timeRangeIssue,
  vectorSchema,
} from './common.schemas';
import { eventSchema } from './events.schemas';

export const SEARCH_MODES = ['hybrid', 'vector', 'lexical'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export const SEARCH_LIMIT = { min: 1, max: 100, default: 10 } as const;
export const SEARCH_MAX_OFFSET = 10_000;

const queryText = textSchema().trim().min(1, 'query must not be empty.').max(10_000);

const searchFields = {
  query: queryText.optional().describe('Text to search for (lexical side, and embedded for the vector side).'),
  mode: z.enum(SEARCH_MODES).default('hybrid'),
  ts_start: isoDateTimeSchema.optional().describe('Inclusive lower bound on timestamp.'),
  ts_end: isoDateTimeSchema.optional().describe('Inclusive upper bound on timestamp.'),
};

export const searchRequestSchema = z
  .object({
    ...searchFields,
    vector: vectorSchema.optional().describe("A query vector of the text model's dimension (instead of embedding `query`)."),
    metadata: jsonObjectSchema.optional().describe('JSONB containment filter, applied before ranking.'),
    limit: z.number().int().min(SEARCH_LIMIT.min).max(SEARCH_LIMIT.max).default(SEARCH_LIMIT.default),
    offset: z.number().int().min(0).max(SEARCH_MAX_OFFSET).default(0),
    min_score: z.number().min(0).max(1).optional().describe('Drop results scoring below this.'),
  })
  .refine((body) => !startsAfterEnd(body), timeRangeIssue)
  .meta({ id: 'SearchRequest' });

/** `GET /v1/search`: the same fields as query parameters; `metadata` and `vector` as JSON text. */
export const searchQueryParamsSchema = z
  .object({
    ...searchFields,
    vector: jsonText(vectorSchema, 'vector').optional().describe('A JSON array of numbers.'),
    metadata: jsonText(jsonObjectSchema, 'metadata').optional().describe('A JSON object (containment filter).'),
    limit: queryInteger(SEARCH_LIMIT.min, SEARCH_LIMIT.max).default(SEARCH_LIMIT.default),
    offset: queryInteger(0, SEARCH_MAX_OFFSET).default(0),
    min_score: z.coerce.number().min(0).max(1).optional(),
  })
  .refine((query) => !startsAfterEnd(query), timeRangeIssue);

export const searchResultSchema = z
  .object({
    event: eventSchema,
    score: z.number().min(0).max(1),
    scores: z.object({ vector: z.number().min(0).max(1).optional(), lexical: z.number().min(0).max(1).optional() }),
  })
  .meta({ id: 'SearchResult' });

export const searchResponseSchema = z
  .object({
    results: z.array(searchResultSchema),
    mode: z
      .enum([...SEARCH_MODES, 'filter'])
      .describe(
        'The mode that ran: `filter` when neither `query` nor `vector` was given; `vector` for a hybrid search given only a vector.',
      ),
    total: z.number().int().describe('Filter-only: every event matching the filters. Ranked modes: the number of results returned.'),
    took_ms: z.number(),
  })
  .meta({ id: 'SearchResponse' });

export type SearchRequest = z.infer<typeof searchRequestSchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;
export type SearchResult = z.infer<typeof searchResultSchema>;
