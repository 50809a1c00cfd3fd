import type { RequestHandler, Response } from 'express';
import { DEFAULT_NAMESPACE, NAMESPACE_HEADER, isNamespace } from '@mnemolite/common';
import { sendError } from './error-body';

/** What a request may touch: the one namespace every read and write of it is confined to. */
export interface RequestScope {
  namespace: string;
}

/**
 * Names each request's namespace from the `X-Namespace` header, `"default"` when it names none;
 * a malformed name is a 400 naming the header. Routes read it with `requestNamespace(res)`.
 */
export function scopeRequests(): RequestHandler {
  return (req, res, next) => {
    const header = req.headers[NAMESPACE_HEADER.toLowerCase()];
    const named = Array.isArray(header) ? header[0] : header;
    if (named !== undefined && !isNamespace(named)) {
      sendError(res, 'validation_error', `${NAMESPACE_HEADER} must be 1-64 characters of letters, digits, ".", "_" or "-".`, {
        field: NAMESPACE_HEADER,
      });
      return;
    }
    setRequestScope(res, { namespace: named ?? DEFAULT_NAMESPACE });
    next();
  };
}

export function setRequestScope(res: Response, scope: RequestScope): void {
  res.locals['scope'] = scope;
}

/** The namespace the request was scoped to; a route mounted outside `scopeRequests()` is a bug. */
export function requestNamespace(res: Response): string {
  const scope = res.locals['scope'] as RequestScope | undefined;
  if (!scope) throw new Error('requestNamespace() called on a route mounted outside scopeRequests()');
  return scope.namespace;
}
