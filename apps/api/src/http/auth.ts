import type { RequestHandler, Response } from 'express';
import { OPEN_PRINCIPAL, roleAllows, type AccessService, type Principal, type Role } from '@mnemolite/access';
import { sendError } from './error-body';

/**
 * Decides who is calling, on every `/v1`, `/mcp` and `/metrics` request. In open mode (no `API_KEY`,
 * no key ever created) everyone is an admin for every namespace, as before keys existed. Otherwise
 * the request needs `Authorization: Bearer <key>` or `X-API-Key: <key>`: none, unknown or revoked is
 * a 401. Nothing here is cached: the key is looked up on each request, so a revocation is immediate.
 * While `unavailable()` names a reason (not ready: migrations pending; the database is down) only the
 * bootstrap key can be checked (or the service was last seen open), and other requests get a 503 at
 * once instead of waiting on the pool.
 */
export function authenticate(access: AccessService, unavailable: () => string | null): RequestHandler {
  return async (req, res, next) => {
    const presented = presentedKey(req.headers.authorization, req.headers['x-api-key']);
    const reason = unavailable();
    if (reason !== null) {
      if (access.lastKnownMode() === 'open') {
        setPrincipal(res, OPEN_PRINCIPAL);
        return next();
      }
      const bootstrap = await access.authenticate(presented, { bootstrapOnly: true });
      if (!bootstrap.ok) return sendError(res, 'unavailable', reason);
      setPrincipal(res, bootstrap.principal);
      return next();
    }
    if (!(await access.authRequired())) {
      setPrincipal(res, OPEN_PRINCIPAL);
      return next();
    }
    const result = await access.authenticate(presented);
    if (!result.ok) {
      res.setHeader('WWW-Authenticate', result.reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"');
      return sendError(res, 'unauthorized', result.message);
    }
    setPrincipal(res, result.principal);
    next();
  };
}

/**
 * The role an operation needs, placed in each route's middleware list beside its handler:
 * `router.post('/events', requireRole('write'), handler)`. A weaker key gets a 403 naming both roles.
 * The OpenAPI document states the same role (`x-required-role`), and a test checks the two agree.
 */
export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const principal = requestPrincipal(res);
    if (roleAllows(principal.role, role)) return next();
    sendError(res, 'forbidden', `The API key "${principal.name}" has role ${principal.role}; this operation needs role ${role}.`, {
      role: principal.role,
      required_role: role,
    });
  };
}

function setPrincipal(res: Response, principal: Principal): void {
  res.locals['principal'] = principal;
}

/** Who is calling; a route mounted outside `authenticate()` is a bug. */
export function requestPrincipal(res: Response): Principal {
  const principal = res.locals['principal'] as Principal | undefined;
  if (!principal) throw new Error('requestPrincipal() called on a route mounted outside authenticate()');
  return principal;
}

function presentedKey(authorization: string | undefined, apiKeyHeader: string | string[] | undefined): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (bearer) return bearer[1].trim();
  const header = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
  return header?.trim() || undefined;
}
