import type { RequestHandler } from 'express';

const ALLOW_METHODS = 'GET, POST, PATCH, DELETE';
const ALLOW_HEADERS = 'Authorization, X-API-Key, Content-Type, Content-Encoding, X-Request-Id, X-Namespace';
const EXPOSE_HEADERS = 'X-Request-Id, Retry-After';

/**
 * CORS, closed by default: only origins listed in CORS_ORIGINS (exact `scheme://host[:port]`) get
 * `Access-Control-Allow-Origin`, and their preflights are answered here, before authentication (a
 * browser sends no credentials in a preflight). Any other origin gets no CORS header, so browsers keep
 * its pages from reading responses. No cookies are used, so no `Allow-Credentials`.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.vary('Access-Control-Request-Headers');
      res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    next();
  };
}
