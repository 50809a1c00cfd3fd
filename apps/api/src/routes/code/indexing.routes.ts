import { Router } from 'express';
import { indexReportSchema, indexRequestSchema, type CodeIndexingService } from '@mnemolite/code-intel';
import { requireRole } from '../../http/auth';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';

/** `/code/index`: files from the request, or a directory of the server. */
export function codeIndexingRoutes(deps: { indexing: CodeIndexingService }): Router {
  const router = Router();
  router.post('/code/index', requireRole('write'), async (req, res) => {
    const body = indexRequestSchema.parse(req.body);
    const options = { repository: body.repository, commit: body.commit ?? null, embeddings: body.embeddings, graph: body.graph };
    const namespace = requestNamespace(res);
    const report = body.files
      ? await deps.indexing.indexFiles(namespace, options, body.files)
      : await deps.indexing.indexDirectory(namespace, options, body.path as string);
    res.status(201).json(report);
  });
  return router;
}

export function registerCodeIndexingDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/code/index',
    ...requiredRole('write'),
    tags: ['code'],
    summary: 'Index files (1..500, each <= 1 MiB) or a server directory inside CODE_INDEX_ROOTS',
    description:
      'Incremental: a file whose content hash did not change is counted in `files_unchanged` and not parsed or embedded; ' +
      'a changed file replaces its chunks, nodes and edges in one transaction. A directory honours `.gitignore`, skips ' +
      '`node_modules`, `.git`, binaries and files over 1 MiB (listed in `errors`), and files gone since the last run are ' +
      'removed. Syntax errors index what parses and are listed in `errors`. Paths with `..`, outside the roots or ' +
      'escaping them through a symbolic link are a 403.',
    request: { body: { required: true, ...jsonContent(indexRequestSchema) } },
    responses: { 201: { description: 'Indexed', ...jsonContent(indexReportSchema) }, ...errorResponses(400, 403, 404, 413, 415) },
  });
}
