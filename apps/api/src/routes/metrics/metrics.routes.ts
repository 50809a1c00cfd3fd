import { Router } from 'express';
import type { Metrics } from '../../metrics/metrics';
import type { OpenAPIRegistry } from '../../openapi/document';
import { errorResponses } from '../../openapi/document';

/** `/metrics` in the Prometheus text format. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}

export function registerMetricsDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['operations'],
    summary: 'Prometheus metrics: requests, latency, process, database pool, embeddings, stored rows',
    responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
      ...errorResponses(401),
    },
  });
}
