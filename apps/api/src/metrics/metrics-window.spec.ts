import express from 'express';
import request from 'supertest';
import { enqueueJob } from '@mnemolite/db';
import { createTestApp, type TestApp } from '../testing/test-app';
import { createMetrics, httpMetrics } from './metrics';
import { sampleDatabase } from './metrics-sampler';
import { MetricsWindow, quantile } from './metrics-window';

/** Requests counted over the whole window: a test can cross a minute boundary, so the last bucket alone may miss some. */
const inWindow = (counts: number[]): number => counts.reduce((sum, n) => sum + n, 0);

describe('MetricsWindow', () => {
  it('keeps one bucket per minute for the last hour, oldest first, and forgets older ones', () => {
    let now = Date.UTC(2026, 11, 1, 10, 0, 30);
    const window = new MetricsWindow({ now: () => now });
    window.observe('requests', 'GET /v1/events', 0.004);
    window.observe('requests', 'GET /v1/events', 0.3, true);
    now += 5 * 60_000;
    window.observe('requests', 'POST /v1/search', 0.02);
    const snap = window.snapshot();
    expect(snap).toMatchObject({ bucket_seconds: 60, window_seconds: 3600 });
    expect(snap.times).toHaveLength(60);
    expect(snap.times[59]).toBe(Date.UTC(2026, 11, 1, 10, 5) / 1000);
    expect(snap.requests['GET /v1/events'].count[54]).toBe(2);
    expect(snap.requests['GET /v1/events'].errors[54]).toBe(1);
    expect(snap.requests['GET /v1/events'].count[59]).toBe(0);
    expect(snap.requests['GET /v1/events'].p50_ms[59]).toBeNull();
    expect(snap.requests_total.count.slice(54)).toEqual([2, 0, 0, 0, 0, 1]);
    now += 60 * 60_000;
    window.observe('requests', 'GET /health', 0.001);
    const later = window.snapshot();
    expect(Object.keys(later.requests)).toEqual(['GET /health']);
    expect(inWindow(later.requests_total.count)).toBe(1);
  });

  it('interpolates quantiles inside the histogram bounds', () => {
    const window = new MetricsWindow();
    for (let i = 0; i < 95; i++) window.observe('search', 'memory hybrid', 0.003);
    for (let i = 0; i < 5; i++) window.observe('search', 'memory hybrid', 0.4);
    const series = window.snapshot().search['memory hybrid'];
    const p50 = series.p50_ms.at(-1) ?? 0;
    const p95 = series.p95_ms.at(-1) ?? 0;
    expect(p50).toBeGreaterThan(2);
    expect(p50).toBeLessThanOrEqual(5);
    expect(p95).toBeLessThanOrEqual(5);
    expect(quantile({ count: 0, counts: [] }, 0.5)).toBeNull();
  });

  it('folds series past the bound into "other"', () => {
    const window = new MetricsWindow();
    for (let i = 0; i < 100; i++) window.observe('requests', `GET /r${i}`, 0.001);
    const names = Object.keys(window.snapshot().requests);
    expect(names).toHaveLength(41);
    expect(names).toContain('other');
  });
});

describe('GET /metrics/window', () => {
  let t: TestApp;
  const metrics = createMetrics();

  beforeAll(async () => {
    t = await createTestApp({ metrics, config: { apiKey: 'window-test-key-0123456789' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs the key, and answers requests by route and the database samples, empty database included', async () => {
    await request(t.app).get('/metrics/window').expect(401);
    await request(t.app).get('/health').expect(200);
    await request(t.app).get('/v1/nowhere').set('X-API-Key', 'window-test-key-0123456789').expect(404);
    await sampleDatabase(metrics.window, t.database);
    const res = await request(t.app).get('/metrics/window').set('X-API-Key', 'window-test-key-0123456789').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(inWindow(res.body.requests['GET /health'].count)).toBe(1);
    // The refused /metrics/window and the unknown path: neither reached a route.
    expect(inWindow(res.body.requests['GET unmatched'].count)).toBe(2);
    expect(inWindow(res.body.database['round trip'].count)).toBe(1);
    expect(inWindow(res.body.database['round trip'].errors)).toBe(0);
    expect(res.body.gauges.events.at(-1)).toBe(0);
    expect(res.body.gauges.chunks.at(-1)).toBe(0);
    expect(res.body.gauges.queue_depth.at(-1)).toBeNull();
    expect(res.body.worker_connected).toBe(false);
    expect(res.body.search).toEqual({});
  });

  it('samples the queue depth only while a worker is connected', async () => {
    const window = new MetricsWindow();
    await enqueueJob(t.database.db, 'ingest-event', { n: 1 });
    await enqueueJob(t.database.db, 'ingest-event', { n: 2 });
    await sampleDatabase(window, t.database, async () => false);
    expect(window.snapshot()).toMatchObject({ worker_connected: false });
    expect(window.snapshot().gauges.queue_depth.at(-1)).toBeNull();
    await sampleDatabase(window, t.database, async () => true);
    expect(window.snapshot().worker_connected).toBe(true);
    expect(window.snapshot().gauges.queue_depth.at(-1)).toBe(2);
  });

  it('takes fresh database samples on a read when the last ones are older than 5 s', async () => {
    let now = Date.now();
    const window = new MetricsWindow({ now: () => now });
    let samples = 0;
    window.setSampler(async () => {
      samples++;
      window.gauge('events', samples);
    });
    await window.refresh(5_000);
    await window.refresh(5_000);
    expect(samples).toBe(1);
    now += 6_000;
    await window.refresh(5_000);
    expect(samples).toBe(2);
    expect(window.snapshot().gauges.events.at(-1)).toBe(2);
  });
});

describe('search latency by mode', () => {
  it('times memory and code searches by the mode asked (hybrid by default), and not failed ones', async () => {
    const metrics = createMetrics();
    const app = express();
    app.use(httpMetrics(metrics));
    app.use(express.json());
    app.post('/v1/search', (req, res) => res.status(req.body.query ? 200 : 400).json({}));
    app.post('/v1/code/search', (_req, res) => res.json({}));
    app.get('/v1/search', (_req, res) => res.json({}));
    await request(app).post('/v1/search').send({ query: 'a', mode: 'lexical' }).expect(200);
    await request(app).post('/v1/search').send({ query: 'a' }).expect(200);
    await request(app).post('/v1/search').send({ mode: 'vector' }).expect(400);
    await request(app).get('/v1/search').query({ mode: 'vector' }).expect(200);
    await request(app).post('/v1/code/search').send({ query: 'a', mode: 'DROP TABLE' }).expect(200);
    const search = metrics.window.snapshot().search;
    expect(Object.fromEntries(Object.entries(search).map(([name, series]) => [name, inWindow(series.count)]))).toEqual({
      'code hybrid': 1,
      'memory hybrid': 1,
      'memory lexical': 1,
      'memory vector': 1,
    });
  });
});
