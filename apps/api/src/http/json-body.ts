import express, { type RequestHandler } from 'express';
import { MAX_JSON_DEPTH, jsonDepth } from '@mnemolite/common';
import { sendError } from './error-body';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON routes accept `application/json` bodies only (415 otherwise), up to `maxBodyBytes` (413), valid
 * JSON (400) nested at most MAX_JSON_DEPTH levels (400). Requests without a body pass through.
 */
export function jsonBody(maxBodyBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, res, next) => {
    if (METHODS_WITH_BODY.has(req.method) && hasBody(req.headers) && !req.is('application/json')) {
      sendError(res, 'unsupported_media_type', `Expected Content-Type application/json, got ${req.headers['content-type'] ?? 'none'}.`);
      return;
    }
    next();
  };
  // JSON.parse itself is iterative; what comes after it (validation, serialization, PostgreSQL's
  // jsonb parser) recurses, so depth is checked here, once, without recursion.
  const limitDepth: RequestHandler = (req, res, next) => {
    if (jsonDepth(req.body) > MAX_JSON_DEPTH) {
      sendError(res, 'validation_error', `The request body nests deeper than the limit of ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH).`, [
        { path: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
      ]);
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit: maxBodyBytes, strict: false }), limitDepth];
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
