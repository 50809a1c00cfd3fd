import { Router } from 'express';
import type { Metrics } from '../../metrics/metrics';
import { requireRole } from '../../http/auth';
import { errorResponses, requiredRole, type OpenAPIRegistry } from '../../openapi/document';

/** `/metrics` in the Prometheus text format; mounted behind `authenticate()`. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', requireRole('read'), async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  router.get('/metrics/window', requireRole('read'), async (_req, res) => {
    await metrics.window.refresh(5_000);
    res.setHeader('Cache-Control', 'no-store');
    res.json(metrics.window.snapshot());
  });
  return router;
}

export function registerMetricsDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    ...requiredRole('read'),
    tags: ['operations'],
    summary: 'Prometheus metrics: requests, latency, process, database pool, embeddings, stored rows',
    responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
      ...errorResponses(401),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics/window',
    ...requiredRole('read'),
    tags: ['operations'],
    summary: 'The last hour per minute, in memory, for the monitoring charts',
    description:
      'Buckets of `bucket_seconds` (60) over `window_seconds` (3600), oldest first, starting at `times` (Unix seconds). ' +
      'Latency families hold, per series, `count`, `errors` (5xx for requests; failed samples otherwise), and `p50_ms`/`p95_ms` ' +
      '(interpolated from fixed histogram bounds; null where the bucket is empty): `requests` by `METHOD route`, ' +
      '`requests_total`, `search` by `kind mode`, `embedding` by `model kind`, `database` (a sampled round trip). ' +
      'The database is sampled every 15 s, and on a read whose samples are older than 5 s. ' +
      '`gauges` hold the last sample per bucket of rows stored (`events`, `chunks`) and, while a worker is connected, `queue_depth`. ' +
      'Kept in the process: it starts empty at each start and holds at most 40 series per family. Needs the API key like `/metrics`.',
    responses: {
      200: { description: 'The window', content: { 'application/json': { schema: { type: 'object' } } } },
      ...errorResponses(401),
    },
  });
}
