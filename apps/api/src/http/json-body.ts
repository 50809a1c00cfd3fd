import express, { type RequestHandler } from 'express';
import { sendError } from './error-body';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON routes accept `application/json` bodies only (415 otherwise), up to `maxBodyBytes` (413), and
 * valid JSON (400). Requests without a body pass through.
 */
export function jsonBody(maxBodyBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, res, next) => {
    if (METHODS_WITH_BODY.has(req.method) && hasBody(req.headers) && !req.is('application/json')) {
      sendError(
        res,
        'unsupported_media_type',
        `Expected Content-Type application/json, got ${req.headers['content-type'] ?? 'none'}.`,
      );
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit: maxBodyBytes, strict: false })];
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
