import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MetricsWindow } from './metrics-window';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Requests refused with 429, by key name (`API_KEY` for the bootstrap key, `open` in open mode). */
  rateLimited: Counter<'key'>;
  /** Registers a gauge whose value is computed at scrape time. */
  gauge(name: string, help: string, labelNames: string[], collect: (gauge: Gauge) => Promise<void> | void): void;
  /** Registers a histogram other modules observe (e.g. embedding latency). */
  histogram(name: string, help: string, labelNames: string[], buckets?: number[]): Histogram;
  /** The last hour, per minute, for the monitoring charts (`GET /metrics/window`). */
  window: MetricsWindow;
}

/** Routes whose requests are also timed by search mode. */
const SEARCH_ROUTES: Record<string, string> = { '/v1/search': 'memory', '/v1/code/search': 'code' };
const SEARCH_MODES = new Set(['hybrid', 'vector', 'lexical']);

/** One registry per app instance (never the global default), so tests can build many apps. */
export function createMetrics(window: MetricsWindow = new MetricsWindow()): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mnemolite_' });
  const httpRequests = new Counter({
    name: 'mnemolite_http_requests_total',
    help: 'HTTP requests by route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'mnemolite_http_request_duration_seconds',
    help: 'HTTP request latency by route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'mnemolite_rate_limited_total',
    help: 'Requests refused with 429 (too many requests), by API key name.',
    labelNames: ['key'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    httpDuration,
    rateLimited,
    window,
    gauge(name, help, labelNames, collect) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          await collect(this);
        },
      });
    },
    histogram(name, help, labelNames, buckets) {
      return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
    },
  };
}

/** Counts and times every request under its route template (`/v1/events/:id`), not its raw path. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      const seconds = Number(process.hrtime.bigint() - stop) / 1e9;
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      metrics.window.observe('requests', `${req.method} ${route}`, seconds, res.statusCode >= 500);
      const kind = SEARCH_ROUTES[route];
      if (kind && res.statusCode < 400) {
        const asked: unknown = (req.body as { mode?: unknown } | undefined)?.mode ?? req.query['mode'];
        const mode = typeof asked === 'string' && SEARCH_MODES.has(asked) ? asked : 'hybrid';
        metrics.window.observe('search', `${kind} ${mode}`, seconds);
      }
    });
    next();
  };
}
