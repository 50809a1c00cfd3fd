import request from 'supertest';
import { testEngineName } from '@mnemolite/db/testing';
import { createMemoryTestApp, type MemoryTestApp } from './memory-test-app';

const engine = testEngineName();

function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe(`memory graph routes (${engine})`, () => {
  let t: MemoryTestApp;
  const unknown = '0b5e1f0e-7c1a-4f7e-9d3c-2a1b0c9d8e7f';

  beforeAll(async () => {
    t = await createMemoryTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function node(label: string, type = 'concept'): Promise<{ id: string; label: string }> {
    return (await request(t.app).post('/v1/graph/nodes').send({ type, label }).expect(201)).body;
  }
  async function edge(source: string, target: string, relation = 'next'): Promise<{ id: string }> {
    return (await request(t.app).post('/v1/graph/edges').send({ source, target, relation }).expect(201)).body;
  }

  it('POST /v1/graph/nodes: 201 node; given id; 409 on a duplicate; 400 on bad input', async () => {
    const res = await request(t.app)
      .post('/v1/graph/nodes')
      .send({ type: 'person', label: 'Ada', properties: { tags: ['x'] } })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'person',
      label: 'Ada',
      properties: { tags: ['x'] },
      created_at: expect.stringMatching(/Z$/),
    });
    const id = '9d7a0c1e-2b3f-4a5d-8e6f-7a8b9c0d1e2f';
    expect((await request(t.app).post('/v1/graph/nodes').send({ id, type: 't', label: 'l' }).expect(201)).body.id).toBe(id);
    expectError(await request(t.app).post('/v1/graph/nodes').send({ id, type: 't', label: 'l' }), 409, 'conflict');
    for (const body of [
      { label: 'no type' },
      { type: 't' },
      { type: '', label: 'l' },
      { type: 't', label: 3 },
      { type: 't', label: 'l', properties: [1] },
      { id: 'nope', type: 't', label: 'l' },
    ]) {
      expectError(await request(t.app).post('/v1/graph/nodes').send(body), 400, 'validation_error');
    }
  });

  it('POST /v1/graph/edges: 201 edge; 404 on an unknown node; 400 on bad input', async () => {
    const a = await node('a');
    const b = await node('b');
    const res = await request(t.app)
      .post('/v1/graph/edges')
      .send({ source: a.id, target: b.id, relation: 'likes', properties: { w: 0.5 } })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: a.id,
      target: b.id,
      relation: 'likes',
      properties: { w: 0.5 },
      created_at: expect.any(String),
    });
    expectError(await request(t.app).post('/v1/graph/edges').send({ source: a.id, target: unknown, relation: 'x' }), 404, 'not_found');
    expectError(await request(t.app).post('/v1/graph/edges').send({ source: unknown, target: b.id, relation: 'x' }), 404, 'not_found');
    for (const body of [
      { source: a.id, target: b.id },
      { source: 'x', target: b.id, relation: 'r' },
      { source: a.id, target: b.id, relation: 7 },
    ]) {
      expectError(await request(t.app).post('/v1/graph/edges').send(body), 400, 'validation_error');
    }
  });

  it('GET /v1/graph/nodes/{id}: node with edges both ways; 400 / 404', async () => {
    const a = await node('a');
    const b = await node('b');
    const c = await node('c');
    await edge(a.id, b.id);
    await edge(b.id, c.id);
    const res = await request(t.app).get(`/v1/graph/nodes/${b.id}`).expect(200);
    expect(res.body).toMatchObject({ id: b.id, label: 'b', type: 'concept', properties: {} });
    expect(res.body.edges.map((e: { source: string; target: string }) => `${e.source}>${e.target}`)).toEqual([
      `${a.id}>${b.id}`,
      `${b.id}>${c.id}`,
    ]);
    expectError(await request(t.app).get('/v1/graph/nodes/123'), 400, 'validation_error');
    expectError(await request(t.app).get(`/v1/graph/nodes/${unknown}`), 404, 'not_found');
  });

  it('GET neighbors: depth 1..5, both directions, relation filter, cycles; bad input', async () => {
    const chain = [];
    for (let i = 0; i < 7; i++) chain.push(await node(`c${i}`));
    for (let i = 0; i < 6; i++) await edge(chain[i].id, chain[i + 1].id);
    await edge(chain[6].id, chain[0].id, 'loop');
    for (let depth = 1; depth <= 5; depth++) {
      const out = await request(t.app)
        .get(`/v1/graph/nodes/${chain[0].id}/neighbors`)
        .query({ depth, direction: 'out', relation: 'next' })
        .expect(200);
      expect(out.body.nodes.map((n: { label: string; depth: number }) => `${n.label}@${n.depth}`)).toEqual(
        chain.slice(1, depth + 1).map((n, i) => `${n.label}@${i + 1}`),
      );
      expect(out.body.nodes.map((n: { id: string }) => n.id)).not.toContain(chain[0].id);
      const into = await request(t.app)
        .get(`/v1/graph/nodes/${chain[6].id}/neighbors`)
        .query({ depth, direction: 'in', relation: 'next' })
        .expect(200);
      expect(into.body.nodes).toHaveLength(depth);
    }
    const cyc = await request(t.app).get(`/v1/graph/nodes/${chain[0].id}/neighbors`).query({ depth: 5, direction: 'both' }).expect(200);
    expect(cyc.body.nodes.map((n: { label: string; depth: number }) => `${n.label}@${n.depth}`).sort()).toEqual([
      'c1@1',
      'c2@2',
      'c3@3',
      'c4@3',
      'c5@2',
      'c6@1',
    ]);
    expect(cyc.body.edges).toHaveLength(7);
    const path = `/v1/graph/nodes/${chain[0].id}/neighbors`;
    for (const query of [{ depth: 0 }, { depth: 6 }, { depth: 'x' }, { direction: 'sideways' }, { relation: '' }]) {
      expectError(await request(t.app).get(path).query(query), 400, 'validation_error');
    }
    expectError(await request(t.app).get('/v1/graph/nodes/zzz/neighbors'), 400, 'validation_error');
    expectError(await request(t.app).get(`/v1/graph/nodes/${unknown}/neighbors`), 404, 'not_found');
  });

  it('GET /v1/graph/path: found, not found, max_depth, bad input', async () => {
    const n = [];
    for (let i = 0; i < 4; i++) n.push(await node(`p${i}`));
    for (let i = 0; i < 3; i++) await edge(n[i].id, n[i + 1].id);
    await edge(n[3].id, n[0].id);
    const island = await node('island');
    const res = await request(t.app).get('/v1/graph/path').query({ from: n[0].id, to: n[3].id }).expect(200);
    expect(res.body.found).toBe(true);
    expect(res.body.nodes.map((x: { label: string }) => x.label)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(res.body.edges).toHaveLength(3);
    expect((await request(t.app).get('/v1/graph/path').query({ from: n[0].id, to: n[3].id, max_depth: 2 }).expect(200)).body).toEqual({
      found: false,
      nodes: [],
      edges: [],
    });
    expect((await request(t.app).get('/v1/graph/path').query({ from: n[0].id, to: island.id }).expect(200)).body.found).toBe(false);
    for (const query of [
      { from: n[0].id },
      { from: 'x', to: n[1].id },
      { from: n[0].id, to: n[1].id, max_depth: 0 },
      { from: n[0].id, to: n[1].id, max_depth: 21 },
    ]) {
      expectError(await request(t.app).get('/v1/graph/path').query(query), 400, 'validation_error');
    }
    expectError(await request(t.app).get('/v1/graph/path').query({ from: n[0].id, to: unknown }), 404, 'not_found');
  });

  it('GET /v1/graph: Cytoscape JSON, by type, limit 1..2000', async () => {
    const a = await node('ca', 'cyto');
    const b = await node('cb', 'cyto');
    const e = await edge(a.id, b.id, 'links');
    const res = await request(t.app).get('/v1/graph').query({ type: 'cyto' }).expect(200);
    expect(Object.keys(res.body)).toEqual(['elements']);
    expect(res.body.elements.nodes).toHaveLength(2);
    for (const item of res.body.elements.nodes) {
      expect(item).toEqual({
        data: { id: expect.any(String), type: 'cyto', label: expect.any(String), properties: {}, created_at: expect.any(String) },
      });
    }
    expect(res.body.elements.edges).toEqual([
      { data: expect.objectContaining({ id: e.id, source: a.id, target: b.id, relation: 'links', label: 'links' }) },
    ]);
    const one = await request(t.app).get('/v1/graph').query({ limit: 1 }).expect(200);
    expect(one.body.elements.nodes).toHaveLength(1);
    expect(Number(one.headers['x-total-count'])).toBeGreaterThanOrEqual(2);
    await request(t.app).get('/v1/graph').query({ limit: 2000 }).expect(200);
    for (const limit of [0, 2001, 'many']) expectError(await request(t.app).get('/v1/graph').query({ limit }), 400, 'validation_error');
  });

  it('DELETE /v1/graph/nodes/{id}: 204 with its edges; 404 after; 400 malformed', async () => {
    const a = await node('da');
    const b = await node('db');
    await edge(a.id, b.id);
    await request(t.app).delete(`/v1/graph/nodes/${a.id}`).expect(204);
    expectError(await request(t.app).get(`/v1/graph/nodes/${a.id}`), 404, 'not_found');
    expect((await request(t.app).get(`/v1/graph/nodes/${b.id}`).expect(200)).body.edges).toEqual([]);
    expectError(await request(t.app).delete(`/v1/graph/nodes/${a.id}`), 404, 'not_found');
    expectError(await request(t.app).delete('/v1/graph/nodes/not-a-uuid'), 400, 'validation_error');
  });

  it('the OpenAPI document lists every memory route with its schemas', async () => {
    const doc = (await request(t.app).get('/openapi.json').expect(200)).body;
    const expected: Record<string, string[]> = {
      '/v1/events': ['post', 'get'],
      '/v1/events/batch': ['post'],
      '/v1/events/{id}': ['get', 'delete'],
      '/v1/events/{id}/metadata': ['patch'],
      '/v1/search': ['post', 'get'],
      '/v1/graph/nodes': ['post'],
      '/v1/graph/edges': ['post'],
      '/v1/graph/nodes/{id}': ['get', 'delete'],
      '/v1/graph/nodes/{id}/neighbors': ['get'],
      '/v1/graph/path': ['get'],
      '/v1/graph': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) expect(doc.paths[path]?.[method]).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Event', 'EventCreate', 'SearchRequest', 'SearchResponse', 'Node', 'Edge', 'CytoscapeGraph', 'Error']),
    );
    const limit = doc.components.schemas.SearchRequest.properties.limit;
    expect(limit).toMatchObject({ minimum: 1, maximum: 100, default: 10 });
  });
});
