import request from 'supertest';
import { Router, type Express } from 'express';
import { isCitusDatabase } from '@mnemolite/db';
import { testEngineName } from '@mnemolite/db/testing';
import { createTestApp, type TestApp } from './testing/test-app';

const engine = testEngineName();

function expectErrorBody(body: unknown, code: string): void {
  expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe(`API skeleton (${engine})`, () => {
  let t: TestApp;
  let app: Express;

  beforeAll(async () => {
    t = await createTestApp();
    app = t.app;
  });
  afterAll(async () => {
    await t.close();
  });
  /** What /health calls the engine: a test server that is a Citus coordinator is "citus". */
  const reportedEngine = () => (isCitusDatabase(t.database.db) ? 'citus' : engine);

  describe('health and readiness', () => {
    it('GET /health reports the database with its engine and extensions', async () => {
      const res = await request(app).get('/health').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        uptime_s: expect.any(Number),
        database: {
          ok: true,
          engine: reportedEngine(),
          server_version: expect.any(String),
          latency_ms: expect.any(Number),
          extensions: { vector: expect.stringMatching(/^0\.\d+/), pg_trgm: expect.any(String) },
        },
      });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      if (engine === 'postgres') expect(res.body.database.extensions.pg_partman).toEqual(expect.any(String));
      else expect(res.body.database.extensions.pg_partman).toBeNull();
    });

    it('GET /v1/health answers the same', async () => {
      const res = await request(app).get('/v1/health').expect(200);
      expect(res.body.database.engine).toBe(reportedEngine());
    });

    it('GET /readiness is 200 when ready and 503 with a reason otherwise', async () => {
      expect((await request(app).get('/readiness').expect(200)).body).toEqual({ ready: true });
      t.state.markNotReady('running database migrations');
      try {
        const res = await request(app).get('/readiness').expect(503);
        expect(res.body).toEqual({ ready: false, reason: 'running database migrations' });
        const v1 = await request(app).get('/v1/anything').expect(503);
        expectErrorBody(v1.body, 'unavailable');
      } finally {
        t.state.markReady();
      }
    });
  });

  describe('errors follow the contract', () => {
    it('unknown route -> 404 error body with X-Request-Id', async () => {
      const res = await request(app).get('/v1/does-not-exist').expect(404);
      expectErrorBody(res.body, 'not_found');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('echoes a given X-Request-Id, and replaces an unsafe one', async () => {
      const echoed = await request(app).get('/health').set('X-Request-Id', 'trace-42.abc').expect(200);
      expect(echoed.headers['x-request-id']).toBe('trace-42.abc');
      const replaced = await request(app).get('/health').set('X-Request-Id', 'bad id\twith spaces').expect(200);
      expect(replaced.headers['x-request-id']).not.toContain(' ');
    });
  });

  describe('metrics and docs', () => {
    it('GET /metrics is Prometheus text with request counts by route template', async () => {
      await request(app).get('/health');
      const res = await request(app).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/mnemolite_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
      expect(res.text).toContain('mnemolite_http_request_duration_seconds_bucket');
      expect(res.text).toContain('mnemolite_process_resident_memory_bytes');
    });

    it('serves the OpenAPI document and the docs page', async () => {
      const doc = await request(app).get('/openapi.json').expect(200);
      expect(doc.body.openapi).toBe('3.1.0');
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/health', '/v1/health', '/readiness', '/metrics']));
      const page = await request(app).get('/docs/').expect(200);
      expect(page.text).toContain('swagger-ui');
    });

    it('redirects / to /ui', async () => {
      const res = await request(app).get('/').expect(302);
      expect(res.headers['location']).toBe('/ui');
    });
  });
});

describe('request bodies on /v1 JSON routes', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A probe router standing in for the feature routes: it echoes the parsed body.
    const probe = Router();
    probe.post('/echo', (req, res) => res.status(201).json({ received: req.body }));
    t = await createTestApp({
      config: { maxBodyBytes: 2048 },
      features: () => [{ name: 'probe', router: probe, registerDocs: () => undefined }],
    });
  });

  it('a valid JSON body reaches the route', async () => {
    const res = await request(t.app).post('/v1/echo').send({ text: 'héllo ✓' }).expect(201);
    expect(res.body).toEqual({ received: { text: 'héllo ✓' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('malformed JSON -> 400 validation_error', async () => {
    const res = await request(t.app)
      .post('/v1/echo')
      .set('Content-Type', 'application/json')
      .send('{"content": {"text": "unterminated"')
      .expect(400);
    expectErrorBody(res.body, 'validation_error');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('body over MAX_BODY_BYTES -> 413 payload_too_large', async () => {
    const res = await request(t.app)
      .post('/v1/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(4096) }))
      .expect(413);
    expectErrorBody(res.body, 'payload_too_large');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('wrong content type on a JSON route -> 415 unsupported_media_type', async () => {
    const res = await request(t.app).post('/v1/echo').set('Content-Type', 'text/plain').send('hello').expect(415);
    expectErrorBody(res.body, 'unsupported_media_type');
    expect(res.headers['x-request-id']).toBeDefined();
  });
});

describe('API key', () => {
  const key = 'test-key-0123456789abcdef';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ config: { apiKey: key } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('missing key on /v1 and /metrics -> 401 with the error body and X-Request-Id', async () => {
    for (const path of ['/v1/health', '/metrics']) {
      const res = await request(t.app).get(path).expect(401);
      expectErrorBody(res.body, 'unauthorized');
      expect(res.headers['x-request-id']).toBeDefined();
    }
  });

  it('wrong key -> 401', async () => {
    const res = await request(t.app).get('/v1/health').set('Authorization', 'Bearer wrong-key-0123456789').expect(401);
    expectErrorBody(res.body, 'unauthorized');
    await request(t.app).get('/metrics').set('X-API-Key', `${key}x`).expect(401);
  });

  it('the right key as bearer or X-API-Key is let through', async () => {
    await request(t.app).get('/v1/health').set('Authorization', `Bearer ${key}`).expect(200);
    await request(t.app).get('/metrics').set('X-API-Key', key).expect(200);
  });

  it('/health and /readiness stay open', async () => {
    await request(t.app).get('/health').expect(200);
    await request(t.app).get('/readiness').expect(200);
  });
});

describe('a database that does not answer', () => {
  it('GET /health is 503 degraded and /readiness 503', async () => {
    const t = await createTestApp();
    await t.database.close();
    const health = await request(t.app).get('/health').expect(503);
    expect(health.body).toMatchObject({ status: 'degraded', database: { ok: false, error: expect.any(String) } });
    const ready = await request(t.app).get('/readiness').expect(503);
    expect(ready.body.ready).toBe(false);
  });
});
