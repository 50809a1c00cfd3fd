import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * One policy for every response (JSON, `/docs`, `/ui`): scripts, styles and data from this origin only
 * (Swagger UI and the web UI inline no script, only styles), never framed (`frame-ancestors 'none'`
 * and `X-Frame-Options: DENY` for older browsers), `nosniff`. No `upgrade-insecure-requests`: the API
 * serves plain HTTP on loopback, where upgrading would break the pages.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * helmet's headers, with HSTS only on requests that arrived over HTTPS (`req.secure`: TLS here, or
 * `X-Forwarded-Proto: https` from a loopback proxy, as `trust proxy` says). Over plain HTTP the header
 * would be ignored at best, and pin a name to HTTPS that has none at worst.
 */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
    }),
    (req, res, next) => {
      if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
      next();
    },
  ];
}
