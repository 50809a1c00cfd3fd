/**
 * pino-http's request serializer, bounded: the URL (and with it the query string, where
 * `GET /v1/search` takes whole query texts and 768-float vectors) is cut at a few hundred characters,
 * and the parsed query and route parameters are not repeated. Receives what pino's standard request
 * serializer made of the request.
 */
const MAX_URL_CHARS = 300;

export function serializeRequest(req: Record<string, unknown>): Record<string, unknown> {
  const { query: _query, params: _params, ...rest } = req;
  const url = typeof rest['url'] === 'string' ? rest['url'] : '';
  if (url.length > MAX_URL_CHARS) rest['url'] = `${url.slice(0, MAX_URL_CHARS)}… (${url.length - MAX_URL_CHARS} more characters)`;
  return rest;
}
