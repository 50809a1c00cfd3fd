import { Router, type RequestHandler } from 'express';
import { describeDatabase, type DbHandle } from '@mnemolite/db';
import { RETRY_AFTER_SECONDS } from '../../http/error-body';
import type { AppState } from '../../lifecycle/app-state';
import { requiredRole, type OpenAPIRegistry } from '../../openapi/document';
import { healthSchema, readinessSchema, type EmbeddingStatus } from './health.schemas';

export interface HealthDeps {
  database: DbHandle;
  state: AppState;
  version: string;
  embeddingStatus?: () => { text: EmbeddingStatus; code: EmbeddingStatus };
  /** Whether requests need a key (`keys`) or not (`open`); never throws. */
  authMode: () => Promise<'open' | 'keys' | 'unknown'>;
}

/**
 * Liveness with details: 200 while the database answers, 503 `degraded` otherwise. Served at
 * `/health` (open) and `/v1/health` (behind the API key, like every `/v1` route). `auth` says whether
 * requests need a key.
 */
export function healthHandler(deps: HealthDeps): RequestHandler {
  return async (_req, res) => {
    const [database, auth] = await Promise.all([describeDatabase(deps.database), deps.authMode()]);
    const body = {
      status: database.ok ? 'ok' : 'degraded',
      version: deps.version,
      uptime_s: deps.state.uptimeSeconds(),
      auth,
      database,
      ...(deps.embeddingStatus ? { embeddings: deps.embeddingStatus() } : {}),
    };
    res.status(database.ok ? 200 : 503).json(body);
  };
}

/** `/health` and `/readiness` (can it take work now); both stay open when an API key is set. */
export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/health', healthHandler(deps));

  router.get('/readiness', async (_req, res) => {
    if (!deps.state.ready) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(503).json({ ready: false, reason: deps.state.reason });
      return;
    }
    const database = await describeDatabase(deps.database);
    if (!database.ok) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(503).json({ ready: false, reason: database.error });
      return;
    }
    res.json({ ready: true });
  });

  return router;
}

export function registerHealthDocs(registry: OpenAPIRegistry): void {
  for (const path of ['/health', '/v1/health']) {
    registry.registerPath({
      method: 'get',
      path,
      ...(path === '/v1/health' ? requiredRole('read') : {}),
      tags: ['operations'],
      summary: 'Liveness with database, embedding and auth mode details',
      ...(path === '/health' ? { security: [] } : {}),
      responses: {
        200: { description: 'Healthy', content: { 'application/json': { schema: healthSchema } } },
        503: { description: 'The database does not answer', content: { 'application/json': { schema: healthSchema } } },
      },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/readiness',
    tags: ['operations'],
    summary: 'Ready once migrations ran and the database answers',
    security: [],
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: readinessSchema } } },
      503: { description: 'Not ready, with the reason', content: { 'application/json': { schema: readinessSchema } } },
    },
  });
}
