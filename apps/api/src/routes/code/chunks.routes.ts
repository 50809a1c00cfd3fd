import { Router } from 'express';
import {
  chunkIdSchema,
  chunkPageSchema,
  chunkSchema,
  chunksQuerySchema,
  chunkViewQuerySchema,
  type CodeCatalogService,
} from '@mnemolite/code-intel';
import { requireRole } from '../../http/auth';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';
import { highlightSource } from '../../ui/highlight';

/** `/code/chunks`: listing chunks, and one chunk with its source (highlighted on request). */
export function codeChunksRoutes(deps: { catalog: CodeCatalogService }): Router {
  const router = Router();
  router.get('/code/chunks', requireRole('read'), async (req, res) => {
    const { limit, offset, ...filters } = chunksQuerySchema.parse(req.query);
    res.json(await deps.catalog.listChunks(requestNamespace(res), filters, limit, offset));
  });
  router.get('/code/chunks/:id', requireRole('read'), async (req, res) => {
    const { id } = chunkIdSchema.parse(req.params);
    const { highlight } = chunkViewQuerySchema.parse(req.query);
    const chunk = await deps.catalog.getChunk(requestNamespace(res), id);
    res.json(highlight ? { ...chunk, source_html: highlightSource(chunk.source ?? '', chunk.language) } : chunk);
  });
  return router;
}

export function registerCodeChunksDocs(registry: OpenAPIRegistry): void {
  const tags = ['code'];
  registry.registerPath({
    method: 'get',
    path: '/v1/code/chunks',
    ...requiredRole('read'),
    tags,
    summary: 'List chunks (without source), ordered by path then start line',
    request: { query: chunksQuerySchema },
    responses: { 200: { description: 'A page of chunks', ...jsonContent(chunkPageSchema) }, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/code/chunks/{id}',
    ...requiredRole('read'),
    tags,
    summary: 'One chunk with its source',
    request: { params: chunkIdSchema, query: chunkViewQuerySchema },
    responses: { 200: { description: 'The chunk', ...jsonContent(chunkSchema) }, ...errorResponses(400, 404) },
  });
}
