import { Router } from 'express';
import { codeSearchRequestSchema, codeSearchResponseSchema, type CodeSearchService } from '@mnemolite/code-intel';
import { RRF_K } from '@mnemolite/db';
import { requireRole } from '../../http/auth';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';

/** `/code/search`: lexical, vector or hybrid search over chunks. */
export function codeSearchRoutes(deps: { search: CodeSearchService }): Router {
  const router = Router();
  router.post('/code/search', requireRole('read'), async (req, res) => {
    const started = performance.now();
    const body = codeSearchRequestSchema.parse(req.body);
    const { results, mode } = await deps.search.search(requestNamespace(res), body);
    res.json({ results, mode, took_ms: Math.round(performance.now() - started) });
  });
  return router;
}

export function registerCodeSearchDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/code/search',
    ...requiredRole('read'),
    tags: ['code'],
    summary: `Search chunks: lexical, vector (CODE embedding) or hybrid (RRF, k = ${RRF_K})`,
    description:
      'Lexical: full-text over identifier-split names (as written), signature, docstring and body (English: stop words ' +
      'dropped, words stemmed, so a plain question such as "where are failed jobs retried" meets `failJob`); any word of ' +
      'the query matches, its stop words are ignored; plus trigram similarity on names; an exact ' +
      'name or qualified-name match ranks first (lexical and hybrid). Vector: only vectors of the current CODE model. ' +
      'Filters apply before ranking.',
    request: { body: { required: true, ...jsonContent(codeSearchRequestSchema) } },
    responses: { 200: { description: 'Results', ...jsonContent(codeSearchResponseSchema) }, ...errorResponses(400, 415) },
  });
}
