import { Router } from 'express';
import {
  createEdgeSchema,
  createNodeSchema,
  cytoscapeSchema,
  edgeSchema,
  graphExportQuerySchema,
  neighborsQuerySchema,
  neighborsSchema,
  nodeIdParamsSchema,
  nodeSchema,
  nodeWithEdgesSchema,
  pathQuerySchema,
  pathSchema,
  type GraphService,
} from '@mnemolite/memory';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';
import { requireRole } from '../../http/auth';

/** `/graph`: the memory graph (nodes, typed edges, traversals, Cytoscape export). */
export function graphRoutes(deps: { graph: GraphService }): Router {
  const router = Router();
  const { graph } = deps;

  router.post('/graph/nodes', requireRole('write'), async (req, res) => {
    res.status(201).json(await graph.createNode(requestNamespace(res), createNodeSchema.parse(req.body)));
  });
  router.post('/graph/edges', requireRole('write'), async (req, res) => {
    res.status(201).json(await graph.createEdge(requestNamespace(res), createEdgeSchema.parse(req.body)));
  });
  router.get('/graph/nodes/:id', requireRole('read'), async (req, res) => {
    res.json(await graph.getNode(requestNamespace(res), nodeIdParamsSchema.parse(req.params).id));
  });
  router.get('/graph/nodes/:id/neighbors', requireRole('read'), async (req, res) => {
    const { id } = nodeIdParamsSchema.parse(req.params);
    res.json(await graph.neighbors(requestNamespace(res), id, neighborsQuerySchema.parse(req.query)));
  });
  router.delete('/graph/nodes/:id', requireRole('write'), async (req, res) => {
    await graph.deleteNode(requestNamespace(res), nodeIdParamsSchema.parse(req.params).id);
    res.status(204).end();
  });
  router.get('/graph/path', requireRole('read'), async (req, res) => {
    res.json(await graph.path(requestNamespace(res), pathQuerySchema.parse(req.query)));
  });
  router.get('/graph', requireRole('read'), async (req, res) => {
    const query = graphExportQuerySchema.parse(req.query);
    const namespace = requestNamespace(res);
    const [elements, total] = await Promise.all([graph.exportCytoscape(namespace, query), graph.countNodes(namespace, query.type)]);
    // The body is the contract's Cytoscape JSON; how many nodes there are in all travels beside it.
    res.setHeader('X-Total-Count', String(total));
    res.json(elements);
  });
  return router;
}

export function registerGraphDocs(registry: OpenAPIRegistry): void {
  const tags = ['memory: graph'];
  registry.registerPath({
    method: 'post',
    path: '/v1/graph/nodes',
    ...requiredRole('write'),
    tags,
    summary: 'Create a node',
    request: { body: { required: true, ...jsonContent(createNodeSchema) } },
    responses: { 201: { description: 'Created', ...jsonContent(nodeSchema) }, ...errorResponses(400, 401, 409, 415) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/graph/edges',
    ...requiredRole('write'),
    tags,
    summary: 'Create a directed, typed edge between two existing nodes of the namespace',
    description:
      "Both ends must be memory-graph nodes of the request's namespace: an unknown id, or one of another namespace, is a " +
      '404 whose `details.fields` names `source` and/or `target`.',
    request: { body: { required: true, ...jsonContent(createEdgeSchema) } },
    responses: { 201: { description: 'Created', ...jsonContent(edgeSchema) }, ...errorResponses(400, 401, 404, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/graph/nodes/{id}',
    ...requiredRole('read'),
    tags,
    summary: 'A node with its edges (both directions)',
    request: { params: nodeIdParamsSchema },
    responses: { 200: { description: 'The node', ...jsonContent(nodeWithEdgesSchema) }, ...errorResponses(400, 401, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/graph/nodes/{id}/neighbors',
    ...requiredRole('read'),
    tags,
    summary: 'Nodes within 1..5 steps, each at its smallest depth',
    request: { params: nodeIdParamsSchema, query: neighborsQuerySchema },
    responses: {
      200: { description: 'Neighbors and the edges between them', ...jsonContent(neighborsSchema) },
      ...errorResponses(400, 401, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/graph/path',
    ...requiredRole('read'),
    tags,
    summary: 'A shortest path (fewest edges), following edge direction unless direction=both',
    request: { query: pathQuerySchema },
    responses: {
      200: { description: '`found` false when no path within max_depth', ...jsonContent(pathSchema) },
      ...errorResponses(400, 401, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/graph',
    ...requiredRole('read'),
    tags,
    summary: 'The newest nodes (of a type) and the edges between them, as Cytoscape.js JSON',
    request: { query: graphExportQuerySchema },
    responses: {
      200: {
        description:
          'Cytoscape elements; the header `X-Total-Count` says how many nodes there are in all (more than listed when `limit` cut them)',
        headers: { 'X-Total-Count': { description: 'Nodes there are (of the type, if given)', schema: { type: 'integer' } } },
        ...jsonContent(cytoscapeSchema),
      },
      ...errorResponses(400, 401),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/graph/nodes/{id}',
    ...requiredRole('write'),
    tags,
    summary: 'Delete a node and its edges',
    request: { params: nodeIdParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
  });
}
