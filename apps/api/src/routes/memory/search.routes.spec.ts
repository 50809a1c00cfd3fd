import request from 'supertest';
import { testEngineName } from '@mnemolite/db/testing';
import { createMemoryTestApp, type MemoryTestApp } from './memory-test-app';

const engine = testEngineName();

function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe(`memory search routes (${engine})`, () => {
  let t: MemoryTestApp;
  const tag = 'search-routes';

  beforeAll(async () => {
    t = await createMemoryTestApp();
    const events = [
      { content: { text: 'the black cat sat on the warm mat' }, metadata: { tag, kind: 'cat' }, timestamp: '2026-09-01T00:00:00.000Z' },
      {
        content: { text: 'quarterly revenue exceeded projections' },
        metadata: { tag, kind: 'finance' },
        timestamp: '2026-09-02T00:00:00.000Z',
      },
      { content: { text: 'a xylophone solo in the orchestra' }, metadata: { tag, kind: 'rare' }, timestamp: '2026-09-03T00:00:00.000Z' },
      { content: { text: 'the orchestra played a violin solo' }, metadata: { tag, kind: 'music' }, timestamp: '2026-09-04T00:00:00.000Z' },
      {
        content: { text: "robert'); DROP TABLE events;--" },
        metadata: { tag, "k' OR 1=1 --": "v'; --" },
        timestamp: '2026-09-05T00:00:00.000Z',
      },
    ];
    await request(t.app).post('/v1/events/batch').send({ events }).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('POST hybrid (default) ranks the rare exact word first, with both side scores', async () => {
    // Both music events hold "orchestra"; only one holds the rare "xylophone".
    const res = await request(t.app).post('/v1/search').send({ query: 'xylophone orchestra', metadata: { tag } }).expect(200);
    expect(res.body).toMatchObject({ mode: 'hybrid', total: res.body.results.length, took_ms: expect.any(Number) });
    expect(res.body.results[0]).toEqual({
      event: expect.objectContaining({ metadata: { tag, kind: 'rare' }, has_embedding: true }),
      score: expect.any(Number),
      scores: { vector: expect.any(Number), lexical: expect.any(Number) },
    });
    expect(res.body.results[0].score).toBeGreaterThan(res.body.results[1].score);
    for (const result of res.body.results) {
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    }
  });

  it('POST vector ranks a paraphrase above unrelated text', async () => {
    const res = await request(t.app)
      .post('/v1/search')
      .send({ query: 'a black cat on a mat', mode: 'vector', metadata: { tag } })
      .expect(200);
    expect(res.body.mode).toBe('vector');
    expect(res.body.results[0].event.metadata.kind).toBe('cat');
    const finance = res.body.results.find((r: { event: { metadata: { kind: string } } }) => r.event.metadata.kind === 'finance');
    expect(res.body.results[0].score).toBeGreaterThan(finance.score);
  });

  it('POST lexical, min_score and limit', async () => {
    const res = await request(t.app)
      .post('/v1/search')
      .send({ query: 'orchestra solo', mode: 'lexical', metadata: { tag }, limit: 1 })
      .expect(200);
    expect(res.body.results).toHaveLength(1);
    expect(['rare', 'music']).toContain(res.body.results[0].event.metadata.kind);
    const none = await request(t.app).post('/v1/search').send({ query: 'orchestra', mode: 'lexical', min_score: 1 }).expect(200);
    expect(none.body.results).toEqual([]);
  });

  it('a vector of the model dimension is accepted; others are 400', async () => {
    const vector = Array.from(t.embedder.embedOne('quarterly revenue exceeded projections'));
    const res = await request(t.app).post('/v1/search').send({ vector, metadata: { tag }, limit: 1 }).expect(200);
    expect(res.body.results[0].event.metadata.kind).toBe('finance');
    expectError(
      await request(t.app)
        .post('/v1/search')
        .send({ vector: [0.1, 0.2, 0.3] }),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app)
        .post('/v1/search')
        .send({ vector: Array(1000).fill(0.1) }),
      400,
      'validation_error',
    );
    expectError(await request(t.app).post('/v1/search').send({ vector: 'abc' }), 400, 'validation_error');
  });

  it('filter-only: newest first, score 1, total, time bounds inclusive', async () => {
    const res = await request(t.app)
      .post('/v1/search')
      .send({ metadata: { tag }, ts_start: '2026-09-02T00:00:00.000Z', ts_end: '2026-09-04T00:00:00Z' })
      .expect(200);
    expect(res.body).toMatchObject({ mode: 'filter', total: 3 });
    expect(res.body.results.map((r: { event: { metadata: { kind: string } } }) => r.event.metadata.kind)).toEqual([
      'music',
      'rare',
      'finance',
    ]);
    expect(res.body.results.every((r: { score: number }) => r.score === 1)).toBe(true);
  });

  it('SQL-looking strings are matched literally', async () => {
    const res = await request(t.app)
      .post('/v1/search')
      .send({ query: "robert'); DROP TABLE events;--", metadata: { "k' OR 1=1 --": "v'; --" } })
      .expect(200);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0].event.content.text).toBe("robert'); DROP TABLE events;--");
    const none = await request(t.app)
      .post('/v1/search')
      .send({ metadata: { "k' OR 1=1 --": 'other' } })
      .expect(200);
    expect(none.body.total).toBe(0);
  });

  it('GET takes the same fields as query parameters', async () => {
    const res = await request(t.app)
      .get('/v1/search')
      .query({
        query: 'xylophone orchestra',
        metadata: JSON.stringify({ tag }),
        limit: 2,
        mode: 'hybrid',
        ts_start: '2026-09-01T00:00:00Z',
      })
      .expect(200);
    expect(res.body.mode).toBe('hybrid');
    expect(res.body.results).toHaveLength(2);
    expect(res.body.results[0].event.metadata.kind).toBe('rare');
    const vector = JSON.stringify(Array.from(t.embedder.embedOne('quarterly revenue')));
    const byVector = await request(t.app)
      .get('/v1/search')
      .query({ vector, metadata: JSON.stringify({ tag }), limit: 1, min_score: '0.1' })
      .expect(200);
    expect(byVector.body.results[0].event.metadata.kind).toBe('finance');
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 101', { limit: 101 }],
    ['limit a string', { limit: '10' }],
    ['offset 10001', { offset: 10001 }],
    ['offset -1', { offset: -1 }],
    ['min_score 1.5', { min_score: 1.5 }],
    ['unknown mode', { mode: 'semantic' }],
    ['empty query', { query: '   ' }],
    ['query a number', { query: 42 }],
    ['metadata an array', { metadata: ['a'] }],
    ['metadata a string', { metadata: 'tag' }],
    ['bad ts_start', { ts_start: '2026-13-01T00:00:00Z' }],
    ['ts_start after ts_end', { ts_start: '2026-09-05T00:00:00Z', ts_end: '2026-09-01T00:00:00Z' }],
    ['lexical with only a vector', { mode: 'lexical', vector: Array(768).fill(0.01) }],
  ])('POST 400 for %s', async (_name, body) => {
    expectError(await request(t.app).post('/v1/search').send(body), 400, 'validation_error');
  });

  it.each([
    ['limit 0', { limit: '0' }],
    ['limit 101', { limit: '101' }],
    ['limit not a number', { limit: 'x' }],
    ['metadata not JSON', { metadata: '{oops' }],
    ['metadata an array', { metadata: '[1,2]' }],
    ['vector not JSON', { vector: '1,2,3' }],
    ['bad date', { ts_end: 'tomorrow' }],
    ['ts_start after ts_end', { ts_start: '2026-09-05T00:00:00Z', ts_end: '2026-09-01T00:00:00Z' }],
  ])('GET 400 for %s', async (_name, query) => {
    expectError(await request(t.app).get('/v1/search').query(query), 400, 'validation_error');
  });
});
