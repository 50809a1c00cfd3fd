import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Metrics } from '../metrics/metrics';
import { requestPrincipal } from './auth';
import { sendError } from './error-body';

/**
 * At most `perMinute` requests per key and minute (per client address in open mode), counted in
 * this process (express-rate-limit's memory store: with several API processes each counts its own).
 * Mounted after `authenticate()`, so it counts by key. Over the limit: 429 with `Retry-After`, the
 * contract's error body, and `mnemolite_rate_limited_total{key}` counts the refusal. 0 disables it.
 */
export function rateLimitPerKey(options: { perMinute: number; metrics: Metrics }): RequestHandler[] {
  if (options.perMinute <= 0) return [];
  return [
    rateLimit({
      windowMs: 60_000,
      limit: options.perMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: 'per-key',
      keyGenerator: (req, res) => {
        const principal = requestPrincipal(res);
        return principal.kind === 'open' ? `ip:${ipKeyGenerator(req.ip ?? 'unknown')}` : `key:${principal.id}`;
      },
      handler: (_req, res) => {
        const principal = requestPrincipal(res);
        options.metrics.rateLimited.inc({ key: principal.name ?? 'open' });
        const retryAfter = res.getHeader('Retry-After');
        sendError(
          res,
          'rate_limited',
          `Too many requests: at most ${options.perMinute} per minute per API key (RATE_LIMIT_PER_MINUTE); retry after ${String(retryAfter)} s.`,
          { limit_per_minute: options.perMinute, retry_after_s: Number(retryAfter) },
        );
      },
    }),
  ];
}
