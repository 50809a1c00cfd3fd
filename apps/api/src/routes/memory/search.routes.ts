import { Router } from 'express';
import { RRF_K } from '@mnemolite/db';
import { searchQueryParamsSchema, searchRequestSchema, searchResponseSchema, type SearchService } from '@mnemolite/memory';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';
import { requireRole } from '../../http/auth';

/** `/search`: the same search by POST body or by query parameters. */
export function searchRoutes(deps: { search: SearchService }): Router {
  const router = Router();
  router.post('/search', requireRole('read'), async (req, res) => {
    res.json(await deps.search.search(requestNamespace(res), searchRequestSchema.parse(req.body)));
  });
  router.get('/search', requireRole('read'), async (req, res) => {
    res.json(await deps.search.search(requestNamespace(res), searchQueryParamsSchema.parse(req.query)));
  });
  return router;
}

const description =
  'Vector (cosine over HNSW, iterative scans under filters, only vectors of the current text model; score 1 - distance/2), ' +
  'lexical (BM25 over the stored lexemes of the configured text search configuration, `english` by default: any ' +
  'meaningful word of the query matches, stop words are ignored, word forms are stemmed, rare words weigh more; ' +
  '"quoted phrases" must match and `-word` excludes; `scores.lexical` = BM25 divided by the best score the query can ' +
  'reach), hybrid (with the hash embedder, whose vectors are hashed words and character n-grams: the lexical ' +
  'candidates, each also scored by cosine, fused as a weighted sum of min-max normalised scores, vector weight 0.1; ' +
  'when fewer than 50 events (or than offset + limit) hold a query word, the lexical and the nearest-vector candidate ' +
  'lists fused that way; with learned models always both lists, fused by Reciprocal Rank Fusion, ' +
  `k = ${RRF_K}, divided by its best possible value), or, ` +
  'with neither `query` nor `vector`, a filter-only listing, newest first, score 1. Lexical and hybrid then apply ' +
  'conversation context: a result gains 0.8 times the best relative lexical score among the two events just before ' +
  'and after it (same filters, within an hour), and `score` = (own + 0.8 x context) / 1.8, 0..1. Metadata and time ' +
  'filters apply before ranking. A lexical search needs `query`; a hybrid search given only `vector` runs as vector. ' +
  'A vector of no feature (the hash embedding of stop words only) has no cosine and is never a vector match. ' +
  'See libs/memory/SEARCH.md.';

export function registerSearchDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/search',
    ...requiredRole('read'),
    tags: ['memory: search'],
    summary: 'Search events',
    description,
    request: { body: { required: true, ...jsonContent(searchRequestSchema) } },
    responses: { 200: { description: 'Results, best first', ...jsonContent(searchResponseSchema) }, ...errorResponses(400, 401, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/search',
    ...requiredRole('read'),
    tags: ['memory: search'],
    summary: 'Search events (query parameters)',
    description: `${description} \`metadata\` and \`vector\` are JSON text.`,
    request: { query: searchQueryParamsSchema },
    responses: { 200: { description: 'Results, best first', ...jsonContent(searchResponseSchema) }, ...errorResponses(400, 401) },
  });
}
