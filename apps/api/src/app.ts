import express, { Router, type Express, type RequestHandler } from 'express';
import pinoHttp from 'pino-http';
import { AccessService } from '@mnemolite/access';
import { serializeError, type Logger } from '@mnemolite/common';
import type { DbHandle } from '@mnemolite/db';
import type { ApiConfig } from './config';
import type { ApiFeature } from './feature';
import { authenticate, requireRole } from './http/auth';
import { cors } from './http/cors';
import { sendError } from './http/error-body';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { jsonBody } from './http/json-body';
import { rateLimitPerKey } from './http/rate-limit';
import { serializeRequest } from './http/request-log';
import { scopeRequests } from './http/request-scope';
import { requestIdOf } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import type { AppState } from './lifecycle/app-state';
import { httpMetrics, type Metrics } from './metrics/metrics';
import { OpenAPIRegistry, buildOpenApiDocument } from './openapi/document';
import { accessRoutes, registerAccessDocs } from './routes/access/access.routes';
import { docsRoutes } from './routes/docs/docs.routes';
import { healthHandler, healthRoutes, registerHealthDocs, type HealthDeps } from './routes/health/health.routes';
import { metricsRoutes, registerMetricsDocs } from './routes/metrics/metrics.routes';
import { uiRoutes } from './ui/ui.routes';
import { APP_VERSION } from './version';

export interface AppDeps {
  config: Pick<ApiConfig, 'apiKey' | 'maxBodyBytes'> & Partial<Pick<ApiConfig, 'corsOrigins' | 'rateLimitPerMinute'>>;
  logger: Logger;
  database: DbHandle;
  state: AppState;
  metrics: Metrics;
  embeddingStatus?: HealthDeps['embeddingStatus'];
  /** Feature modules (memory, code, ...), mounted under `/v1`. */
  features?: ApiFeature[];
  /** The MCP endpoint (Streamable HTTP), mounted at `/mcp` under the same key and readiness rules as `/v1`. */
  mcp?: RequestHandler;
  /** API keys (default: a service on `database` with `config.apiKey` as the bootstrap key). */
  access?: AccessService;
}

/**
 * Builds the Express app from its dependencies; it opens no port and owns no resource, so tests
 * drive it with supertest and `main.ts` decides the process lifecycle.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders());
  app.use(cors(deps.config.corsOrigins ?? []));

  app.use(
    pinoHttp({
      logger: deps.logger,
      serializers: { err: serializeError, req: serializeRequest },
      genReqId: (req, res) => {
        const id = requestIdOf(req);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/readiness' },
    }),
  );
  app.use(httpMetrics(deps.metrics));

  const registry = new OpenAPIRegistry();
  registerHealthDocs(registry);
  registerMetricsDocs(registry);
  registerAccessDocs(registry);

  // Access (issue 13): who is calling (401), then the per-key rate limit (429); each route then
  // checks its role (403) and, under /v1 and /mcp, the request scope picks the namespace (403/400).
  const access =
    deps.access ??
    new AccessService({
      db: deps.database.db,
      bootstrapKey: deps.config.apiKey,
      // No other process can open an embedded store while the API holds it (its data-directory lock),
      // so no key can appear there but through this service. Rechecking would also cost every request
      // of that second a wait behind the whole statement queue under load (all of them await it).
      ...(deps.database.engine === 'pglite' ? { openRecheckMs: Number.POSITIVE_INFINITY } : {}),
    });
  const authMode = async (): Promise<'open' | 'keys' | 'unknown'> => {
    if (!deps.database.availability.available) return access.lastKnownMode();
    try {
      return (await access.authRequired()) ? 'keys' : 'open';
    } catch {
      return deps.config.apiKey ? 'keys' : 'unknown';
    }
  };
  const unavailable = (): string | null =>
    !deps.state.ready
      ? `The service is not ready: ${deps.state.reason}.`
      : deps.database.availability.available
        ? null
        : 'The database is unavailable; retry shortly.';
  const guard = [
    authenticate(access, unavailable),
    ...rateLimitPerKey({ perMinute: deps.config.rateLimitPerMinute ?? 0, metrics: deps.metrics }),
  ];

  app.get('/', (_req, res) => res.redirect(302, '/ui'));
  const health: HealthDeps = {
    database: deps.database,
    state: deps.state,
    version: APP_VERSION,
    embeddingStatus: deps.embeddingStatus,
    authMode,
  };
  app.use(healthRoutes(health));

  app.use('/metrics', ...guard);
  app.use(metricsRoutes(deps.metrics));

  const v1 = Router();
  v1.use(...guard);
  v1.get('/health', requireRole('read'), healthHandler(health));
  v1.use((_req, res, next) => {
    if (!deps.state.ready) return sendError(res, 'unavailable', `The service is not ready: ${deps.state.reason}.`);
    // Fail fast while the database is down rather than queue requests on a dead pool.
    if (!deps.database.availability.available) return sendError(res, 'unavailable', 'The database is unavailable; retry shortly.');
    next();
  });
  v1.use(scopeRequests());
  v1.use(jsonBody(deps.config.maxBodyBytes));
  v1.use(accessRoutes({ access }));
  for (const feature of deps.features ?? []) {
    v1.use(feature.router);
    feature.registerDocs(registry);
  }
  app.use('/v1', v1);

  // MCP (issue 12): same keys, rate limit, readiness gate and JSON body rules as /v1. Any role may
  // list tools and call read-only ones; the MCP routes refuse write tools to a read key.
  if (deps.mcp) {
    const mcpReady: RequestHandler = (_req, res, next) =>
      deps.state.ready ? next() : sendError(res, 'unavailable', `The service is not ready: ${deps.state.reason}.`);
    app.use('/mcp', ...guard, mcpReady, scopeRequests(), jsonBody(deps.config.maxBodyBytes), deps.mcp);
  }

  app.use(docsRoutes(buildOpenApiDocument(registry, APP_VERSION)));
  app.use(uiRoutes());
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
