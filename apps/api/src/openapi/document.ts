import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_STATUS, MAX_JSON_DEPTH } from '@mnemolite/common';

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

export function buildOpenApiDocument(registry: OpenAPIRegistry, version: string): object {
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'MnemoLite API',
      version,
      description:
        'PostgreSQL-native memory for AI agents and code intelligence. JSON in and out; every error has the body ' +
        '`{"error": {"code", "message", "details"?}}`. When `API_KEY` is set, `/v1/*` and `/metrics` need ' +
        '`Authorization: Bearer <key>` or `X-API-Key`. Every response carries `X-Request-Id`. Limits are validated, ' +
        'never clamped: out-of-range values are a 400. Hostile input is a 400 naming the field, never a 5xx: JSON nested ' +
        `deeper than ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH; the body counts as one), U+0000 or an unpaired surrogate in ` +
        'any text field or JSON key, vector values outside float4 (|x| <= 3.4028234663852886e38), a body that is not the ' +
        'gzip/deflate/br its `Content-Encoding` says, a path that is not valid percent-encoding. Every response carries ' +
        "`nosniff`, `X-Frame-Options: DENY` and a CSP with `frame-ancestors 'none'`; CORS headers only for CORS_ORIGINS.",
    },
    security: [{ bearer: [] }, { apiKey: [] }],
  });
}
