import { Router } from 'express';
import {
  codeGraphNeighborsQuerySchema,
  codeGraphNeighborsSchema,
  codeGraphPathQuerySchema,
  codeGraphPathSchema,
  codeGraphStatsQuerySchema,
  codeGraphStatsSchema,
  type CodeGraphService,
} from '@mnemolite/code-intel';
import { requireRole } from '../../http/auth';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';

/** `/code/graph/*`: counts, callers, callees and shortest paths over a repository's code graph. */
export function codeGraphRoutes(deps: { graph: CodeGraphService }): Router {
  const router = Router();
  const { graph } = deps;
  router.get('/code/graph/stats', requireRole('read'), async (req, res) => {
    const { repository } = codeGraphStatsQuerySchema.parse(req.query);
    res.json(await graph.stats(requestNamespace(res), repository));
  });
  router.get('/code/graph/callers', requireRole('read'), async (req, res) => {
    const q = codeGraphNeighborsQuerySchema.parse(req.query);
    res.json(await graph.callers(requestNamespace(res), q.repository, q.symbol, q.depth, q.limit));
  });
  router.get('/code/graph/callees', requireRole('read'), async (req, res) => {
    const q = codeGraphNeighborsQuerySchema.parse(req.query);
    res.json(await graph.callees(requestNamespace(res), q.repository, q.symbol, q.depth, q.limit));
  });
  router.get('/code/graph/path', requireRole('read'), async (req, res) => {
    const q = codeGraphPathQuerySchema.parse(req.query);
    res.json(await graph.path(requestNamespace(res), q.repository, q.from, q.to, q.max_depth, q.relation));
  });
  return router;
}

export function registerCodeGraphDocs(registry: OpenAPIRegistry): void {
  const tags = ['code'];
  registry.registerPath({
    method: 'get',
    path: '/v1/code/graph/stats',
    ...requiredRole('read'),
    tags,
    summary: 'Code graph counts and the share of calls resolved to a definition',
    request: { query: codeGraphStatsQuerySchema },
    responses: { 200: { description: 'Stats', ...jsonContent(codeGraphStatsSchema) }, ...errorResponses(400, 404) },
  });
  for (const which of ['callers', 'callees'] as const) {
    registry.registerPath({
      method: 'get',
      path: `/v1/code/graph/${which}`,
      ...requiredRole('read'),
      tags,
      summary: which === 'callers' ? 'Who calls a symbol, up to `depth` hops' : 'What a symbol calls, up to `depth` hops',
      description: 'Nodes carry their hop count in `depth`; the symbol itself is not listed. Unknown symbol: 404.',
      request: { query: codeGraphNeighborsQuerySchema },
      responses: { 200: { description: 'Nodes and edges', ...jsonContent(codeGraphNeighborsSchema) }, ...errorResponses(400, 404) },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/v1/code/graph/path',
    ...requiredRole('read'),
    tags,
    summary: 'Shortest directed path between two symbols (default along `calls`)',
    request: { query: codeGraphPathQuerySchema },
    responses: {
      200: { description: 'The path, `nodes` from `from` to `to` inclusive', ...jsonContent(codeGraphPathSchema) },
      ...errorResponses(400, 404),
    },
  });
}
