import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Role } from '@mnemolite/access';
import { DEFAULT_NAMESPACE, ERROR_STATUS, MAX_JSON_DEPTH, NAMESPACE_HEADER, NAMESPACE_PATTERN } from '@mnemolite/common';

export { OpenAPIRegistry };

/** The contract's error body, shared by every operation. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** A request or response body of JSON described by `schema`, for `registerPath`. */
export function jsonContent<T extends z.ZodType>(schema: T): { content: { 'application/json': { schema: T } } } {
  return { content: { 'application/json': { schema } } };
}

/** A response entry for the given statuses, all with the error body. */
export function errorResponses(...statuses: number[]): Record<number, { description: string; content: object }> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: describeStatus(status), content: { 'application/json': { schema: errorBodySchema } } },
    ]),
  );
}

function describeStatus(status: number): string {
  const code = Object.entries(ERROR_STATUS).find(([, value]) => value === status)?.[0];
  return code ? `Error \`${code}\`` : `Error ${status}`;
}

/** `/v1` operations served outside the request scope (no stored data): they ignore `X-Namespace`. */
const UNSCOPED_PATHS = new Set(['/v1/health']);

/** The one `X-Namespace` parameter every scoped `/v1` operation refers to. */
const namespaceParameter = {
  name: NAMESPACE_HEADER,
  in: 'header',
  required: false,
  description:
    `The namespace this request reads and writes, \`${DEFAULT_NAMESPACE}\` when absent. Nothing of another namespace is ` +
    'visible: ids of other namespaces answer 404, lists, counts and searches never include their rows. A malformed ' +
    `name is a 400 naming \`${NAMESPACE_HEADER}\`.`,
  schema: { type: 'string', pattern: NAMESPACE_PATTERN.source, default: DEFAULT_NAMESPACE, minLength: 1, maxLength: 64 },
};

/** Adds the shared `X-Namespace` parameter to every scoped `/v1` operation (and to none other). */
function withNamespaceParameter(document: ReturnType<OpenApiGeneratorV31['generateDocument']>): object {
  const ref = { $ref: '#/components/parameters/Namespace' };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith('/v1/') || UNSCOPED_PATHS.has(path)) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) operation.parameters = [ref, ...(operation.parameters ?? [])];
    }
  }
  document.components = {
    ...document.components,
    parameters: { ...document.components?.parameters, Namespace: namespaceParameter as never },
  };
  return document;
}

/**
 * The role an operation needs, for its `registerPath`: the same role as the `requireRole()` beside
 * its route (a test walks the document and checks every operation's role against the running app).
 */
export function requiredRole(role: Role): { 'x-required-role': Role } {
  return { 'x-required-role': role };
}

const ROLE_NOTE: Record<Role, string> = {
  read: 'Needs a key with role `read` or above.',
  write: 'Needs a key with role `write` or `admin` (a `read` key gets a 403).',
  admin: 'Needs a key with role `admin`.',
};

/**
 * Every operation that needs a key also answers 401, 403 (role or namespace not allowed) and 429
 * (rate limit), and those under the request scope 400 (malformed X-Namespace); its description says
 * which role it needs.
 */
function describeAccess(document: { paths?: Record<string, Record<string, Record<string, unknown>>> }): void {
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const role = operation['x-required-role'] as Role | undefined;
      if (!role) continue;
      operation['description'] = [operation['description'], ROLE_NOTE[role]].filter(Boolean).join(' ');
      // The document is already generated here: responses refer to the Error component by $ref.
      const responses = (operation['responses'] ?? {}) as Record<string, unknown>;
      // Under the request scope, a malformed X-Namespace is a 400 too.
      const scoped = path.startsWith('/v1/') && path !== '/v1/health';
      for (const status of scoped ? [400, 401, 403, 429] : [401, 403, 429]) {
        responses[status] ??= {
          description: describeStatus(status),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      operation['responses'] = responses;
    }
  }
}

export function buildOpenApiDocument(registry: OpenAPIRegistry, version: string): object {
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'MnemoLite API',
      version,
      description:
        'PostgreSQL-native memory for AI agents and code intelligence. JSON in and out; every error has the body ' +
        '`{"error": {"code", "message", "details"?}}`. When keys are in use, `/v1/*`, `/mcp` and `/metrics` ' +
        'need `Authorization: Bearer <key>` or `X-API-Key` (see Access below). Every response carries `X-Request-Id`. Limits are validated, ' +
        'never clamped: out-of-range values are a 400. Hostile input is a 400 naming the field, never a 5xx: JSON nested ' +
        `deeper than ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH; the body counts as one), U+0000 or an unpaired surrogate in ` +
        'any text field or JSON key, vector values outside float4 (|x| <= 3.4028234663852886e38), a body that is not the ' +
        'gzip/deflate/br its `Content-Encoding` says, a path that is not valid percent-encoding. Every response carries ' +
        "`nosniff`, `X-Frame-Options: DENY` and a CSP with `frame-ancestors 'none'`; CORS headers only for CORS_ORIGINS.\n\n" +
        `Namespaces: every stored thing (events, graph nodes and edges, code repositories with their files, chunks and ` +
        `graph) belongs to one namespace, \`${DEFAULT_NAMESPACE}\` unless the request names another with the header ` +
        `\`${NAMESPACE_HEADER}\` (1-64 characters of letters, digits, ".", "_" or "-"; else 400). Every read, search, graph ` +
        "walk, list, count and delete is confined to the request's namespace: an id of another namespace answers 404, " +
        'an edge cannot link two namespaces, a repository name is unique per namespace, and lexical scores use the ' +
        'statistics of the namespace only. `/mcp` applies the same rule to its tools.\n\n' +
        'Access: API keys live in the database (only their SHA-256) and have a role (`read`: GET and searches; `write`: also ' +
        'every other write; `admin`: also `/v1/admin/*`) and namespaces (a list, or `["*"]`); `API_KEY` from the environment ' +
        'is an admin key for every namespace. With neither, the service is open (`/health` says `"auth": "open"`). No key, ' +
        'or an unknown or revoked one: 401; a weaker role, or an `X-Namespace` the key may not use: 403; a key with several ' +
        'namespaces and no `default` that names none: 400 on routes that need a namespace. Each operation states its role ' +
        '(`x-required-role`). Too many requests for one key in a minute (RATE_LIMIT_PER_MINUTE): 429 with `Retry-After`.',
    },
    security: [{ bearer: [] }, { apiKey: [] }],
  });
  describeAccess(document as unknown as Parameters<typeof describeAccess>[0]);
  return withNamespaceParameter(document);
}
