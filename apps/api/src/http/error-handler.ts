import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ERROR_STATUS, isAppError, type ErrorCode } from '@mnemolite/common';
import { isConnectionError } from '@mnemolite/db';
import { ZodError } from 'zod';
import { sendError } from './error-body';

/** Unknown routes get the contract's 404 body. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 'not_found', `No route for ${req.method} ${req.path}`);
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  /** http-errors sets it on client errors (4xx) whose message is safe to show. */
  expose?: boolean;
}

/**
 * The one place errors become responses. Known errors keep their code; anything else is a 500 with a
 * generic message and a full log line (stack included) — never a stack trace in the body.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) {
    req.log?.error({ err: error }, 'error after the response started');
    res.end();
    return;
  }
  if (isAppError(error)) {
    if (error.status >= 500) req.log?.error({ err: error }, error.message);
    sendError(res, error.code, error.message, error.details, error.status);
    return;
  }
  // The database went away (restart, shutdown, network): the request may be retried, the process lives on.
  if (isConnectionError(error)) {
    req.log?.warn({ err: error }, 'database unavailable');
    sendError(res, 'unavailable', 'The database is unavailable; retry shortly.');
    return;
  }
  if (error instanceof ZodError) {
    sendError(res, 'validation_error', 'The request is invalid.', formatIssues(error));
    return;
  }
  const bodyError = error as BodyParserError;
  switch (bodyError.type) {
    case 'entity.too.large':
      sendError(res, 'payload_too_large', `The request body exceeds the limit of ${bodyError.limit} bytes.`);
      return;
    case 'entity.parse.failed':
      sendError(res, 'validation_error', 'The request body is not valid JSON.');
      return;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      sendError(res, 'unsupported_media_type', bodyError.message);
      return;
    case 'request.aborted':
      return;
  }
  // Other client errors raised by Express and body-parser: a body that is not the gzip/deflate/br its
  // Content-Encoding claims (400 from zlib), a path whose percent-encoding does not decode (URIError,
  // 400 from the router). Both are the caller's fault, so 400 and never 500.
  if (error instanceof URIError && bodyError.status === 400) {
    sendError(res, 'validation_error', `The request path is not valid percent-encoding (${bodyError.message}).`, [
      { path: 'path', message: 'is not valid percent-encoding' },
    ]);
    return;
  }
  if (bodyError.expose && bodyError.status !== undefined && bodyError.status >= 400 && bodyError.status < 500) {
    if (bodyError.type === undefined && req.headers['content-encoding'] !== undefined) {
      sendError(
        res,
        'validation_error',
        `The request body could not be decoded as its Content-Encoding (${req.headers['content-encoding'].slice(0, 40)}) says.`,
        [{ path: 'body', message: 'does not decode' }],
      );
      return;
    }
    const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((candidate) => ERROR_STATUS[candidate] === bodyError.status);
    sendError(res, code ?? 'validation_error', bodyError.message, undefined, code ? bodyError.status : 400);
    return;
  }
  req.log?.error({ err: error }, 'unhandled error');
  sendError(res, 'internal', 'An internal error occurred.');
};

export function formatIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
