import request from 'supertest';
import { Router, type Express } from 'express';
import { AccessService } from '@mnemolite/access';
import { createLogger } from '@mnemolite/common';
import { DatabaseAvailability } from '@mnemolite/db';
import { testEngineName } from '@mnemolite/db/testing';
import { createApp } from '../app';
import { AppState } from '../lifecycle/app-state';
import { createMetrics } from '../metrics/metrics';
import { createTestApp, type TestApp } from '../testing/test-app';

/** node-postgres' error for a server report. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: code.startsWith('57') ? 'FATAL' : 'ERROR', routine: 'ProcessInterrupts' });
}

/** Drizzle's wrapper: the statement and every parameter, in the message and in properties. */
function drizzleError(cause: Error): Error {
  const vector = `[${Array.from({ length: 768 }, () => '0.987654').join(',')}]`;
  return Object.assign(
    new Error(`Failed query: insert into events (content, embedding) values ($1, $2)\nparams: private memory,${vector}`),
    {
      name: 'DrizzleQueryError',
      query: 'insert into events (content, embedding) values ($1, $2)',
      params: ['private memory', vector],
      cause,
    },
  );
}

describe(`database errors in responses and logs (${testEngineName()})`, () => {
  let t: TestApp;
  let thrown: Error;

  beforeAll(async () => {
    const failing = Router();
    failing.post('/failing', () => {
      throw thrown;
    });
    t = await createTestApp({ features: () => [{ name: 'failing', router: failing, registerDocs: () => undefined }] });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.logs.length = 0;
  });

  it.each([
    ['57P01 admin shutdown inside a transaction', drizzleError(pgError('57P01', 'terminating connection due to administrator command'))],
    ['57P03 the server is starting', pgError('57P03', 'the database system is starting up')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection that died mid-query', new Error('Connection terminated unexpectedly')],
  ])('%s is 503 unavailable with Retry-After, no internals', async (_name, error) => {
    thrown = error;
    const res = await request(t.app).post('/v1/failing').send({ content: 'x' }).expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toEqual({ error: { code: 'unavailable', message: 'The database is unavailable; retry shortly.' } });
    const logged = t.logs.join('');
    expect(logged).toContain('database unavailable');
    expect(logged).not.toContain('private memory');
    expect(logged).not.toContain('0.987654');
  });

  it("other database errors are 500 with a generic body; the log has PostgreSQL's code and message, not the parameters", async () => {
    thrown = drizzleError(pgError('22003', 'value out of range: overflow'));
    const res = await request(t.app).post('/v1/failing').send({ content: 'x' }).expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'An internal error occurred.' } });
    expect(JSON.stringify(res.body)).not.toMatch(/insert|events|\/work\/|at /);
    const line = t.logs
      .map((entry) => JSON.parse(entry) as { msg: string; err?: { pg?: { code: string; message: string } } })
      .find((entry) => entry.msg === 'unhandled error');
    expect(line?.err?.pg).toMatchObject({ code: '22003', message: 'value out of range: overflow' });
    const logged = t.logs.join('');
    expect(logged).not.toContain('private memory');
    expect(logged).not.toContain('0.987654');
    expect(logged.length).toBeLessThan(10_000);
  });

  it('request log lines bound the URL and do not repeat the query (vectors travel in GET /v1/search)', async () => {
    const vector = `[${Array.from({ length: 768 }, () => '0.987654').join(',')}]`;
    await request(t.app)
      .get(`/v1/nothing-here?vector=${encodeURIComponent(vector)}`)
      .expect(404);
    const line = t.logs
      .map((entry) => JSON.parse(entry) as { req?: { url: string; method: string; query?: unknown } })
      .find((entry) => entry.req);
    expect(line?.req?.method).toBe('GET');
    expect(line?.req?.url).toMatch(/^\/v1\/nothing-here\?vector=.*more characters\)$/);
    expect(line?.req?.url.length).toBeLessThan(400);
    expect(line?.req?.query).toBeUndefined();
  });

  describe('while the database is unavailable', () => {
    let down: Express;
    let availability: DatabaseAvailability;

    beforeAll(async () => {
      availability = new DatabaseAvailability(() => Promise.reject(pgError('57P03', 'the database system is shutting down')), {
        probeIntervalMs: 60_000,
      });
      availability.report(pgError('57P01', 'terminating connection due to administrator command'));
      for (let i = 0; i < 100 && availability.available; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(availability.available).toBe(false);
      // The same database, seen through a monitor that says it is down.
      down = createApp({
        logger: createLogger({ level: 'silent', name: 'api' }),
        database: { ...t.database, availability },
        state: new AppState(null),
        metrics: createMetrics(),
        config: { maxBodyBytes: 1024 * 1024, apiKey: undefined },
      });
    });
    afterAll(() => {
      availability?.close();
    });

    it('/v1 answers 503 at once, with Retry-After', async () => {
      const res = await request(down).get('/v1/events/1').expect(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body.error.code).toBe('unavailable');
    });

    it('/health says degraded without SQL or driver messages', async () => {
      const res = await request(down).get('/health').expect(503);
      expect(res.body).toMatchObject({ status: 'degraded', database: { ok: false, error: 'the database cannot be reached' } });
      expect(JSON.stringify(res.body)).not.toMatch(/select|current_setting|pg_extension|terminating/i);
    });

    it('an open service stays open during the outage: /metrics answers, keys cannot be checked', async () => {
      const access = new AccessService({ db: t.database.db });
      expect(await access.authRequired()).toBe(false);
      const openDown = createApp({
        logger: createLogger({ level: 'silent', name: 'api' }),
        database: { ...t.database, availability },
        state: new AppState(null),
        metrics: createMetrics(),
        config: { maxBodyBytes: 1024 * 1024, apiKey: undefined },
        access,
      });
      await request(openDown).get('/metrics').expect(200);
      expect((await request(openDown).get('/health').expect(503)).body.auth).toBe('open');
      expect((await request(openDown).get('/v1/events').expect(503)).body.error.code).toBe('unavailable');
      // Not known to be open (never looked): only the bootstrap key could be checked, so 503 at once.
      expect((await request(down).get('/metrics').expect(503)).body.error.message).toMatch(/database is unavailable/);
    });

    it('/readiness is 503 with a short reason', async () => {
      const res = await request(down).get('/readiness').expect(503);
      expect(res.body).toEqual({ ready: false, reason: 'the database cannot be reached' });
      expect(res.headers['retry-after']).toBe('1');
    });
  });
});
