import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './error-body';

/**
 * Requires `Authorization: Bearer <key>` or `X-API-Key: <key>`. Keys are compared as SHA-256 digests
 * in constant time, so neither their content nor their length leaks through timing.
 */
export function requireApiKey(apiKey: string): RequestHandler {
  const expected = digest(apiKey);
  return (req, res, next) => {
    const given = presentedKey(req.headers.authorization, req.headers['x-api-key']);
    if (given === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendError(res, 'unauthorized', 'An API key is required: send "Authorization: Bearer <key>" or "X-API-Key".');
      return;
    }
    if (!timingSafeEqual(digest(given), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendError(res, 'unauthorized', 'The API key is not valid.');
      return;
    }
    next();
  };
}

function presentedKey(authorization: string | undefined, apiKeyHeader: string | string[] | undefined): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (bearer) return bearer[1].trim();
  const header = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
  return header?.trim() || undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
