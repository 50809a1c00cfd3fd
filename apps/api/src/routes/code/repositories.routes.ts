import { Router } from 'express';
import { z } from 'zod';
import { deletedCountsSchema, repositoryParamSchema, repositorySummarySchema, type CodeCatalogService } from '@mnemolite/code-intel';
import { requireRole } from '../../http/auth';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';

/** `/code/repositories`: what is indexed, and deleting a repository. */
export function codeRepositoriesRoutes(deps: { catalog: CodeCatalogService }): Router {
  const router = Router();
  router.get('/code/repositories', requireRole('read'), async (_req, res) => {
    res.json(await deps.catalog.listRepositories(requestNamespace(res)));
  });
  router.delete('/code/repositories/:name', requireRole('write'), async (req, res) => {
    const { name } = repositoryParamSchema.parse(req.params);
    res.json(await deps.catalog.deleteRepository(requestNamespace(res), name));
  });
  return router;
}

export function registerCodeRepositoriesDocs(registry: OpenAPIRegistry): void {
  const tags = ['code'];
  registry.registerPath({
    method: 'get',
    path: '/v1/code/repositories',
    ...requiredRole('read'),
    tags,
    summary: 'Indexed repositories with file and chunk counts',
    description: "The repositories of the request's namespace; a repository name is unique within a namespace.",
    responses: { 200: { description: 'Repositories', ...jsonContent(z.array(repositorySummarySchema)) } },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/code/repositories/{name}',
    ...requiredRole('write'),
    tags,
    summary: 'Delete a repository: files, chunks, graph nodes and edges',
    description: "Only the repository of that name in the request's namespace; one of the same name elsewhere stays.",
    request: { params: repositoryParamSchema },
    responses: { 200: { description: 'Deleted counts', ...jsonContent(deletedCountsSchema) }, ...errorResponses(400, 404) },
  });
}
