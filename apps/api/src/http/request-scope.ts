import type { RequestHandler, Response } from 'express';
import { chooseNamespace } from '@mnemolite/access';
import { NAMESPACE_HEADER, isNamespace } from '@mnemolite/common';
import { requestPrincipal } from './auth';
import { sendError } from './error-body';

/** What a request may touch: the one namespace every read and write of it is confined to. */
export interface RequestScope {
  namespace: string;
}

/**
 * Names each request's namespace, after `authenticate()`: the `X-Namespace` header (a malformed
 * name is a 400 naming the header; one the key may not use a 403 naming the namespace), else the
 * key's only namespace, else `"default"` when the key may use it. A key with several namespaces
 * that names none can still call routes that need no namespace (who am I, key management); a route
 * that reads it gets the 400 asking for `X-Namespace`. Routes read it with `requestNamespace(res)`.
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
    try {
      setRequestScope(res, { namespace: chooseNamespace(requestPrincipal(res), named) });
    } catch (error) {
      if (named !== undefined) throw error;
      res.locals['scopeProblem'] = error;
    }
    next();
  };
}

export function setRequestScope(res: Response, scope: RequestScope): void {
  res.locals['scope'] = scope;
}

/** The namespace the request was scoped to; a route mounted outside `scopeRequests()` is a bug. */
export function requestNamespace(res: Response): string {
  const scope = res.locals['scope'] as RequestScope | undefined;
  if (scope) return scope.namespace;
  if (res.locals['scopeProblem']) throw res.locals['scopeProblem'];
  throw new Error('requestNamespace() called on a route mounted outside scopeRequests()');
}

/** The request's namespace, or null when its key must name one and did not. */
export function requestNamespaceIfChosen(res: Response): string | null {
  const scope = res.locals['scope'] as RequestScope | undefined;
  return scope?.namespace ?? null;
}
