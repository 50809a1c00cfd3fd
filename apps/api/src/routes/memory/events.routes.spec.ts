import request from 'supertest';
import { sql } from 'drizzle-orm';
import { getJob, queryRows } from '@mnemolite/db';
import { testEngineName } from '@mnemolite/db/testing';
import { ingestEventJob, INGEST_EVENT_JOB } from '@mnemolite/memory';
import { createMemoryTestApp, type MemoryTestApp } from './memory-test-app';

const engine = testEngineName();

function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe(`memory events routes (${engine})`, () => {
  let t: MemoryTestApp;

  beforeAll(async () => {
    t = await createMemoryTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /v1/events', () => {
    it('201 with the event object', async () => {
      const res = await request(t.app)
        .post('/v1/events')
        .send({
          content: { message: 'héllo ✓ 日本語', nested: { list: [1, 'two'] } },
          metadata: { user: 'u1' },
          timestamp: '2026-11-28T10:00:00.000Z',
        })
        .expect(201);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        timestamp: '2026-11-28T10:00:00.000Z',
        content: { message: 'héllo ✓ 日本語', nested: { list: [1, 'two'] } },
        metadata: { user: 'u1' },
        embedding_model: t.embedder.modelId,
        has_embedding: true,
      });
    });

    it('accepts a given embedding of the model dimension, rejects other lengths', async () => {
      const embedding = Array.from({ length: 768 }, (_, i) => Math.sin(i));
      const ok = await request(t.app)
        .post('/v1/events')
        .send({ content: { text: 'given' }, embedding })
        .expect(201);
      const stored = await request(t.app).get(`/v1/events/${ok.body.id}?include_embedding=true`).expect(200);
      expect(stored.body.embedding).toHaveLength(768);
      expect(stored.body.embedding[1]).toBeCloseTo(Math.sin(1), 5);
      expectError(
        await request(t.app)
          .post('/v1/events')
          .send({ content: { text: 'x' }, embedding: [0.1, 0.2] }),
        400,
        'validation_error',
      );
      expectError(
        await request(t.app)
          .post('/v1/events')
          .send({ content: { text: 'x' }, embedding: Array(769).fill(0.1) }),
        400,
        'validation_error',
      );
      expectError(
        await request(t.app)
          .post('/v1/events')
          .send({ content: { text: 'x' }, embedding: ['a'] }),
        400,
        'validation_error',
      );
      expectError(
        await request(t.app)
          .post('/v1/events')
          .send({ content: { text: 'x' }, embedding: Array(768).fill(0) }),
        400,
        'validation_error',
      );
    });

    it.each([
      ['no body', undefined],
      ['empty content', { content: {} }],
      ['content missing', { metadata: {} }],
      ['content an array', { content: ['a'] }],
      ['content a string', { content: 'text' }],
      ['content null', { content: null }],
      ['metadata an array', { content: { text: 'x' }, metadata: [1] }],
      ['metadata a string', { content: { text: 'x' }, metadata: 'x' }],
      ['timestamp without zone', { content: { text: 'x' }, timestamp: '2026-11-28T10:00:00' }],
      ['timestamp not a date', { content: { text: 'x' }, timestamp: 'yesterday' }],
      ['timestamp impossible', { content: { text: 'x' }, timestamp: '2026-02-30T10:00:00Z' }],
      ['timestamp a number', { content: { text: 'x' }, timestamp: 1764324000 }],
      ['a NUL character', { content: { text: 'a\u0000b' } }],
    ])('400 for %s', async (_name, body) => {
      const req = request(t.app).post('/v1/events');
      const res = body === undefined ? await req : await req.send(body as object);
      expectError(res, 400, 'validation_error');
    });

    it('stores SQL-looking metadata keys and values literally', async () => {
      const metadata = { "'); DROP TABLE events; --": "1' OR '1'='1", 'a"b': { $where: 'sleep(1)' } };
      const res = await request(t.app)
        .post('/v1/events')
        .send({ content: { text: 'literal' }, metadata })
        .expect(201);
      expect(res.body.metadata).toEqual(metadata);
      const listed = await request(t.app)
        .get('/v1/events')
        .query({ metadata: JSON.stringify(metadata) })
        .expect(200);
      expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([res.body.id]);
      const count = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from events`);
      expect(count[0].n).toBeGreaterThan(0);
    });
  });

  describe('POST /v1/events?async=true', () => {
    it('503 without a worker', async () => {
      t.worker.available = false;
      expectError(
        await request(t.app)
          .post('/v1/events?async=true')
          .send({ content: { text: 'later' } }),
        503,
        'unavailable',
      );
    });

    it('202 queued; 404 until the worker stored it; then 200', async () => {
      t.worker.available = true;
      try {
        expectError(await request(t.app).post('/v1/events?async=true').send({ content: {} }), 400, 'validation_error');
        expectError(
          await request(t.app)
            .post('/v1/events?async=true')
            .send({ content: { text: 'x' }, embedding: [1, 2] }),
          400,
          'validation_error',
        );
        const res = await request(t.app)
          .post('/v1/events?async=true')
          .send({ content: { text: 'queued memory' }, metadata: { q: 1 } })
          .expect(202);
        expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
        expectError(await request(t.app).get(`/v1/events/${res.body.id}`), 404, 'not_found');
        const [job] = await queryRows<{ id: number; payload: Record<string, unknown> }>(
          t.database.db,
          sql`select id, payload from jobs where kind = ${INGEST_EVENT_JOB} and payload->>'id' = ${res.body.id}`,
        );
        expect(job.payload).toMatchObject({
          id: res.body.id,
          content: { text: 'queued memory' },
          metadata: { q: 1 },
          timestamp: expect.any(String),
        });
        expect((await getJob(t.database.db, Number(job.id)))?.status).toBe('queued');
        await ingestEventJob({ db: t.database.db, textEmbedder: t.embedder })(job.payload);
        const stored = await request(t.app).get(`/v1/events/${res.body.id}`).expect(200);
        expect(stored.body).toMatchObject({ id: res.body.id, content: { text: 'queued memory' }, has_embedding: true });
      } finally {
        t.worker.available = false;
      }
    });

    it('400 for a bad async flag', async () => {
      expectError(
        await request(t.app)
          .post('/v1/events?async=maybe')
          .send({ content: { text: 'x' } }),
        400,
        'validation_error',
      );
    });
  });

  describe('POST /v1/events/batch', () => {
    it('201 with ids in order', async () => {
      const res = await request(t.app)
        .post('/v1/events/batch')
        .send({ events: [{ content: { text: 'first' } }, { content: { text: 'second' }, metadata: { n: 2 } }] })
        .expect(201);
      expect(res.body.ids).toHaveLength(2);
      expect((await request(t.app).get(`/v1/events/${res.body.ids[1]}`).expect(200)).body.content).toEqual({ text: 'second' });
    });

    it('all or nothing: one bad event rejects the batch', async () => {
      const before = (await request(t.app).get('/v1/events').expect(200)).body.total;
      expectError(
        await request(t.app)
          .post('/v1/events/batch')
          .send({ events: [{ content: { text: 'ok' } }, { content: {} }] }),
        400,
        'validation_error',
      );
      expectError(
        await request(t.app)
          .post('/v1/events/batch')
          .send({ events: [{ content: { text: 'ok' } }, { content: { text: 'v' }, embedding: [1] }] }),
        400,
        'validation_error',
      );
      expect((await request(t.app).get('/v1/events').expect(200)).body.total).toBe(before);
    });

    it('400 for 0 or 1001 events, or events not an array', async () => {
      expectError(await request(t.app).post('/v1/events/batch').send({ events: [] }), 400, 'validation_error');
      const tooMany = Array.from({ length: 1001 }, () => ({ content: { text: 'x' } }));
      expectError(await request(t.app).post('/v1/events/batch').send({ events: tooMany }), 400, 'validation_error');
      expectError(
        await request(t.app)
          .post('/v1/events/batch')
          .send({ events: { content: { text: 'x' } } }),
        400,
        'validation_error',
      );
    });

    it('accepts exactly 1000 events', async () => {
      const events = Array.from({ length: 1000 }, (_, i) => ({ content: { text: `bulk ${i}` }, metadata: { bulk: true } }));
      const res = await request(t.app).post('/v1/events/batch').send({ events }).expect(201);
      expect(new Set(res.body.ids).size).toBe(1000);
      const listed = await request(t.app).get('/v1/events').query({ metadata: '{"bulk":true}', limit: 1 }).expect(200);
      expect(listed.body.total).toBe(1000);
    }, 120_000);
  });

  describe('GET, PATCH, DELETE /v1/events/{id}', () => {
    it('400 for a malformed id, 404 for an unknown one', async () => {
      for (const path of ['/v1/events/not-a-uuid', "/v1/events/1' OR '1'='1", '/v1/events/12345678-1234-1234-1234-12345678901']) {
        expectError(await request(t.app).get(path), 400, 'validation_error');
        expectError(await request(t.app).delete(path), 400, 'validation_error');
        expectError(await request(t.app).patch(`${path}/metadata`).send({ a: 1 }), 400, 'validation_error');
      }
      const unknown = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
      expectError(await request(t.app).get(`/v1/events/${unknown}`), 404, 'not_found');
      expectError(await request(t.app).delete(`/v1/events/${unknown}`), 404, 'not_found');
      expectError(await request(t.app).patch(`/v1/events/${unknown}/metadata`).send({ a: 1 }), 404, 'not_found');
    });

    it('GET hides the embedding unless asked, and accepts upper-case ids', async () => {
      const created = await request(t.app)
        .post('/v1/events')
        .send({ content: { text: 'shown' } })
        .expect(201);
      const plain = await request(t.app).get(`/v1/events/${created.body.id.toUpperCase()}`).expect(200);
      expect(plain.body).toEqual(created.body);
      expect(plain.body.embedding).toBeUndefined();
      expectError(await request(t.app).get(`/v1/events/${created.body.id}?include_embedding=yes`), 400, 'validation_error');
    });

    it('PATCH shallow-merges metadata; non-objects are 400', async () => {
      const created = await request(t.app)
        .post('/v1/events')
        .send({ content: { text: 'p' }, metadata: { a: 1, b: { c: 1 } } })
        .expect(201);
      const res = await request(t.app)
        .patch(`/v1/events/${created.body.id}/metadata`)
        .send({ b: { d: 2 }, e: null })
        .expect(200);
      expect(res.body.metadata).toEqual({ a: 1, b: { d: 2 }, e: null });
      for (const body of [[1, 2], 'text', 42, null]) {
        const bad = await request(t.app)
          .patch(`/v1/events/${created.body.id}/metadata`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expectError(bad, 400, 'validation_error');
      }
    });

    it('DELETE 204 removes the event, its node and its edges', async () => {
      const created = await request(t.app)
        .post('/v1/events')
        .send({ content: { text: 'gone' } })
        .expect(201);
      const node = await request(t.app).get(`/v1/graph/nodes/${created.body.id}`).expect(200);
      expect(node.body).toMatchObject({ id: created.body.id, type: 'event', label: 'gone' });
      const other = await request(t.app).post('/v1/graph/nodes').send({ type: 'topic', label: 't' }).expect(201);
      await request(t.app).post('/v1/graph/edges').send({ source: created.body.id, target: other.body.id, relation: 'about' }).expect(201);
      const res = await request(t.app).delete(`/v1/events/${created.body.id}`).expect(204);
      expect(res.text).toBe('');
      expectError(await request(t.app).get(`/v1/events/${created.body.id}`), 404, 'not_found');
      expectError(await request(t.app).get(`/v1/graph/nodes/${created.body.id}`), 404, 'not_found');
      expect((await request(t.app).get(`/v1/graph/nodes/${other.body.id}`).expect(200)).body.edges).toEqual([]);
    });
  });

  describe('GET /v1/events', () => {
    const tag = `list-${Date.now()}`;
    beforeAll(async () => {
      const events = [1, 2, 3, 4].map((day) => ({
        content: { text: `day ${day}` },
        metadata: { tag, even: day % 2 === 0 },
        timestamp: `2026-10-0${day}T12:00:00.000Z`,
      }));
      await request(t.app).post('/v1/events/batch').send({ events }).expect(201);
    });

    it('lists newest first with filters, limit, offset and total', async () => {
      const res = await request(t.app)
        .get('/v1/events')
        .query({ metadata: JSON.stringify({ tag }) })
        .expect(200);
      expect(res.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
      expect(res.body.items.map((e: { content: { text: string } }) => e.content.text)).toEqual(['day 4', 'day 3', 'day 2', 'day 1']);
      const page = await request(t.app)
        .get('/v1/events')
        .query({ metadata: JSON.stringify({ tag, even: true }), limit: 1, offset: 1 })
        .expect(200);
      expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
      expect(page.body.items[0].content.text).toBe('day 2');
      const window = await request(t.app)
        .get('/v1/events')
        .query({ metadata: JSON.stringify({ tag }), ts_start: '2026-10-02T12:00:00.000Z', ts_end: '2026-10-03T12:00:00+00:00' })
        .expect(200);
      expect(window.body.items.map((e: { content: { text: string } }) => e.content.text)).toEqual(['day 3', 'day 2']);
      const max = await request(t.app).get('/v1/events').query({ limit: 1000 }).expect(200);
      expect(max.body.limit).toBe(1000);
    });

    it.each([
      ['limit 0', { limit: 0 }],
      ['limit 1001', { limit: 1001 }],
      ['limit not a number', { limit: 'ten' }],
      ['limit a fraction', { limit: '1.5' }],
      ['negative offset', { offset: -1 }],
      ['metadata not JSON', { metadata: '{bad' }],
      ['metadata an array', { metadata: '[1]' }],
      ['metadata a string', { metadata: '"x"' }],
      ['bad ts_start', { ts_start: 'not-a-date' }],
      ['ts_end without zone', { ts_end: '2026-10-01T00:00:00' }],
      ['ts_start after ts_end', { ts_start: '2026-10-03T00:00:00Z', ts_end: '2026-10-01T00:00:00Z' }],
    ])('400 for %s', async (_name, query) => {
      expectError(await request(t.app).get('/v1/events').query(query), 400, 'validation_error');
    });
  });
});
