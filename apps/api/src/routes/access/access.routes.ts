import { Router } from 'express';
import { z } from 'zod';
import { ROLES, apiKeySchema, createKeySchema, createdApiKeySchema, keyIdParamsSchema, type AccessService } from '@mnemolite/access';
import { requestPrincipal, requireRole } from '../../http/auth';
import { requestNamespaceIfChosen } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';

/**
 * `/admin/keys` (key management, admin role) and `/access/whoami` (any key: what it may do, for
 * clients such as the web UI's namespace switcher). Mounted under `/v1` after the request scope.
 */
export function accessRoutes(deps: { access: AccessService }): Router {
  const router = Router();

  router.post('/admin/keys', requireRole('admin'), async (req, res) => {
    res.status(201).json(await deps.access.create(req.body, requestPrincipal(res)));
  });

  router.get('/admin/keys', requireRole('admin'), async (_req, res) => {
    res.json(await deps.access.list(requestPrincipal(res)));
  });

  router.delete('/admin/keys/:id', requireRole('admin'), async (req, res) => {
    await deps.access.revoke(String(req.params['id']), requestPrincipal(res));
    res.status(204).end();
  });

  router.get('/access/whoami', requireRole('read'), (_req, res) => {
    const principal = requestPrincipal(res);
    res.json({
      auth: principal.kind === 'open' ? 'open' : 'keys',
      name: principal.name,
      role: principal.role,
      namespaces: principal.namespaces,
      namespace: requestNamespaceIfChosen(res),
    });
  });

  return router;
}

export const whoamiSchema = z
  .object({
    auth: z.enum(['open', 'keys']).describe('`open`: no key is configured, every request is an admin for every namespace.'),
    name: z.string().nullable().describe("The key's name (`API_KEY` for the bootstrap key); null in open mode."),
    role: z.enum(ROLES),
    namespaces: z.array(z.string()).describe('The namespaces the key may use, or ["*"] for all.'),
    namespace: z
      .string()
      .nullable()
      .describe('The namespace this request works in (X-Namespace, else the default); null when the key must name one.'),
  })
  .meta({ id: 'WhoAmI' });

export function registerAccessDocs(registry: OpenAPIRegistry): void {
  const tags = ['access'];
  registry.registerPath({
    method: 'post',
    path: '/v1/admin/keys',
    ...requiredRole('admin'),
    tags,
    summary: 'Create an API key (the secret is in this answer only)',
    description:
      'Only the SHA-256 of the key is stored. An admin key limited to some namespaces may only create keys within them (403 ' +
      'naming the others). `namespaces` is a list of names or `["*"]` for all.',
    request: { body: { required: true, ...jsonContent(createKeySchema) } },
    responses: { 201: { description: 'Created', ...jsonContent(createdApiKeySchema) }, ...errorResponses(400, 401, 403, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/admin/keys',
    ...requiredRole('admin'),
    tags,
    summary: 'List API keys, oldest first, never their secrets',
    description: 'Revoked keys are listed with `revoked_at`. An admin key limited to some namespaces sees the keys within them.',
    responses: { 200: { description: 'The keys', ...jsonContent(z.array(apiKeySchema)) }, ...errorResponses(401, 403) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/admin/keys/{id}',
    ...requiredRole('admin'),
    tags,
    summary: 'Revoke an API key: its next request is a 401, in every API process',
    description: "Revoking a revoked key keeps its first `revoked_at`. A key outside the caller's namespaces is a 404.",
    request: { params: keyIdParamsSchema },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/access/whoami',
    ...requiredRole('read'),
    tags,
    summary: "What the presented key may do: its name, role and namespaces, and this request's namespace",
    responses: { 200: { description: 'The caller', ...jsonContent(whoamiSchema) }, ...errorResponses(401, 403) },
  });
}
