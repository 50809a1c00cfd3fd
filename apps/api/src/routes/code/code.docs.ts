import { z } from 'zod';
import { errorResponses, requiredRole, type OpenAPIRegistry } from '../../openapi/document';
import {
  chunkIdSchema,
  chunkViewQuerySchema,
  chunkPageSchema,
  chunkSchema,
  chunksQuerySchema,
  deletedCountsSchema,
  indexReportSchema,
  indexRequestSchema,
  neighboursQuerySchema,
  neighboursSchema,
  pathQuerySchema,
  pathSchema,
  repositoryParamSchema,
  repositorySummarySchema,
  searchRequestSchema,
  searchResponseSchema,
  statsQuerySchema,
  statsSchema,
} from './code.schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

export function registerCodeDocs(registry: OpenAPIRegistry): void {
  const tags = ['code'];
  registry.registerPath({
    method: 'post',
    path: '/v1/code/index',
    ...requiredRole('write'),
    tags,
    summary: 'Index files (1..500, each <= 1 MiB) or a server directory inside CODE_INDEX_ROOTS',
    description:
      'Incremental: a file whose content hash did not change is counted in `files_unchanged` and not parsed or embedded; ' +
      'a changed file replaces its chunks, nodes and edges in one transaction. A directory honours `.gitignore`, skips ' +
      '`node_modules`, `.git`, binaries and files over 1 MiB (listed in `errors`), and files gone since the last run are ' +
      'removed. Syntax errors index what parses and are listed in `errors`. Paths with `..`, outside the roots or ' +
      'escaping them through a symbolic link are a 403.',
    request: { body: { required: true, ...json(indexRequestSchema) } },
    responses: { 201: { description: 'Indexed', ...json(indexReportSchema) }, ...errorResponses(400, 403, 404, 413, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/code/repositories',
    ...requiredRole('read'),
    tags,
    summary: 'Indexed repositories with file and chunk counts',
    description: "The repositories of the request's namespace; a repository name is unique within a namespace.",
    responses: { 200: { description: 'Repositories', ...json(z.array(repositorySummarySchema)) } },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/code/repositories/{name}',
    ...requiredRole('write'),
    tags,
    summary: 'Delete a repository: files, chunks, graph nodes and edges',
    description: "Only the repository of that name in the request's namespace; one of the same name elsewhere stays.",
    request: { params: repositoryParamSchema },
    responses: { 200: { description: 'Deleted counts', ...json(deletedCountsSchema) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/code/search',
    ...requiredRole('read'),
    tags,
    summary: 'Search chunks: lexical, vector (CODE embedding) or hybrid (RRF, k = 60)',
    description:
      'Lexical: full-text over identifier-split names (as written), signature, docstring and body (English: stop words ' +
      'dropped, words stemmed, so a plain question such as "where are failed jobs retried" meets `failJob`); any word of ' +
      'the query matches, its stop words are ignored; plus trigram similarity on names; an exact ' +
      'name or qualified-name match ranks first (lexical and hybrid). Vector: only vectors of the current CODE model. ' +
      'Filters apply before ranking.',
    request: { body: { required: true, ...json(searchRequestSchema) } },
    responses: { 200: { description: 'Results', ...json(searchResponseSchema) }, ...errorResponses(400, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/code/chunks',
    ...requiredRole('read'),
    tags,
    summary: 'List chunks (without source), ordered by path then start line',
    request: { query: chunksQuerySchema },
    responses: { 200: { description: 'A page of chunks', ...json(chunkPageSchema) }, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/code/chunks/{id}',
    ...requiredRole('read'),
    tags,
    summary: 'One chunk with its source',
    request: { params: chunkIdSchema, query: chunkViewQuerySchema },
    responses: { 200: { description: 'The chunk', ...json(chunkSchema) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/code/graph/stats',
    ...requiredRole('read'),
    tags,
    summary: 'Code graph counts and the share of calls resolved to a definition',
    request: { query: statsQuerySchema },
    responses: { 200: { description: 'Stats', ...json(statsSchema) }, ...errorResponses(400, 404) },
  });
  for (const which of ['callers', 'callees'] as const) {
    registry.registerPath({
      method: 'get',
      path: `/v1/code/graph/${which}`,
      ...requiredRole('read'),
      tags,
      summary: which === 'callers' ? 'Who calls a symbol, up to `depth` hops' : 'What a symbol calls, up to `depth` hops',
      description: 'Nodes carry their hop count in `depth`; the symbol itself is not listed. Unknown symbol: 404.',
      request: { query: neighboursQuerySchema },
      responses: { 200: { description: 'Nodes and edges', ...json(neighboursSchema) }, ...errorResponses(400, 404) },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/v1/code/graph/path',
    ...requiredRole('read'),
    tags,
    summary: 'Shortest directed path between two symbols (default along `calls`)',
    request: { query: pathQuerySchema },
    responses: {
      200: { description: 'The path, `nodes` from `from` to `to` inclusive', ...json(pathSchema) },
      ...errorResponses(400, 404),
    },
  });
}
