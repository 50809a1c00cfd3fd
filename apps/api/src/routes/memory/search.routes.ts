import { Router } from 'express';
import { z } from 'zod';
import { searchQueryParamsSchema, searchRequestSchema, searchResponseSchema, type SearchService } from '@mnemolite/memory';
import { errorResponses, type OpenAPIRegistry } from '../../openapi/document';

/** `/search`: the same search by POST body or by query parameters. */
export function searchRoutes(deps: { search: SearchService }): Router {
  const router = Router();
  router.post('/search', async (req, res) => {
    res.json(await deps.search.search(searchRequestSchema.parse(req.body)));
  });
  router.get('/search', async (req, res) => {
    res.json(await deps.search.search(searchQueryParamsSchema.parse(req.query)));
  });
  return router;
}

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const description =
  'Vector (cosine over HNSW, iterative scans under filters, only vectors of the current text model), lexical ' +
  '(`websearch_to_tsquery` over the stored tsvector, `ts_rank_cd` mapped to 0..1 as rank/(rank+1)), hybrid ' +
  '(Reciprocal Rank Fusion, k = 60, of both candidate lists, divided by its best possible value so 1 means first on ' +
  'both sides), or, with neither `query` nor `vector`, a filter-only listing, newest first, score 1. Metadata and ' +
  'time filters apply before ranking. A lexical search needs `query`; a hybrid search given only `vector` runs as vector.';

export function registerSearchDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/search',
    tags: ['memory: search'],
    summary: 'Search events',
    description,
    request: { body: { required: true, ...json(searchRequestSchema) } },
    responses: { 200: { description: 'Results, best first', ...json(searchResponseSchema) }, ...errorResponses(400, 401, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/search',
    tags: ['memory: search'],
    summary: 'Search events (query parameters)',
    description: `${description} \`metadata\` and \`vector\` are JSON text.`,
    request: { query: searchQueryParamsSchema },
    responses: { 200: { description: 'Results, best first', ...json(searchResponseSchema) }, ...errorResponses(400, 401) },
  });
}
