import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { Express } from 'express';
import { queryRows } from '@mnemolite/db';
import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { testEngineName } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { createTestApp, type TestApp } from '../testing/test-app';
import { createCodeFeature, type CodeFeature } from './code/code.feature';
import { createMemoryFeature } from './memory/memory.feature';

const engine = testEngineName();
/** The project's own libraries: a real graph of a few thousand nodes and edges. */
const LIBS = resolve(__dirname, '../../../../libs');

interface Node {
  id: string;
  label: string;
  depth?: number;
}
interface Edge {
  id: string;
  source: string;
  target: string;
}
interface Walk {
  roots: Node[];
  nodes: Node[];
  edges: Edge[];
  total: number;
  truncated: boolean;
}

/** Every edge's two ends are listed: the answer draws without a dangling edge. */
function expectClosed(answer: { roots?: Node[]; nodes: Node[]; edges: Edge[] }, what: string): void {
  const listed = new Set([...(answer.roots ?? []), ...answer.nodes].map((node) => node.id));
  const dangling = answer.edges.filter((edge) => !listed.has(edge.source) || !listed.has(edge.target));
  expect({ what, dangling }).toEqual({ what, dangling: [] });
  expect(new Set(answer.nodes.map((node) => node.id)).size).toBe(answer.nodes.length);
}

describe(`graph answers are closed on the project's own libs/ (${engine})`, () => {
  let t: TestApp;
  let code: CodeFeature | undefined;
  let app: Express;
  /** The best-connected functions: most callers, and most callees. */
  let busiest: string[];

  beforeAll(async () => {
    const embedder = new HashEmbedder(768);
    t = await createTestApp({
      features: (db) => {
        code = createCodeFeature({ database: db, indexRoots: [LIBS], textEmbedder: embedder, codeEmbedder: embedder });
        return [createMemoryFeature({ db: db.db, textEmbedder: embedder, workerAvailable: async () => false }), code];
      },
    });
    app = t.app;
    const indexed = await request(app).post('/v1/code/index').send({ repository: 'libs', path: LIBS, embeddings: false }).expect(201);
    expect(indexed.body.files_indexed).toBeGreaterThan(80);
    const rows = await queryRows<{ label: string }>(
      t.database.db,
      sql`(select n.label from nodes n join edges e on e.namespace = n.namespace and e.target = n.id and e.relation = 'calls'
            where n.namespace = ${DEFAULT_NAMESPACE} and n.repository = 'libs' and n.type <> 'file'
            group by n.label order by count(*) desc, n.label limit 12)
          union
          (select n.label from nodes n join edges e on e.namespace = n.namespace and e.source = n.id and e.relation = 'calls'
            where n.namespace = ${DEFAULT_NAMESPACE} and n.repository = 'libs' and n.type <> 'file'
            group by n.label order by count(*) desc, n.label limit 12)`,
    );
    busiest = rows.map((row) => row.label);
    // The copy the memory graph walks: the same nodes and call edges, with the repository unset.
    await t.database.db.execute(sql`
      insert into nodes (namespace, id, type, label, properties)
      select namespace, md5(id::text || 'memory')::uuid, type, label, '{}'::jsonb from nodes
       where namespace = ${DEFAULT_NAMESPACE} and repository = 'libs'`);
    await t.database.db.execute(sql`
      insert into edges (namespace, source, target, relation)
      select namespace, md5(source::text || 'memory')::uuid, md5(target::text || 'memory')::uuid, relation
        from edges where namespace = ${DEFAULT_NAMESPACE} and repository = 'libs' and relation = 'calls'`);
  }, 300_000);

  afterAll(async () => {
    await code?.close();
    await t?.close();
  });

  it('is a large graph', async () => {
    const stats = await request(app).get('/v1/code/graph/stats').query({ repository: 'libs' }).expect(200);
    expect(stats.body.edges.calls).toBeGreaterThan(300);
    expect(Object.values(stats.body.nodes as Record<string, number>).reduce((a, b) => a + b, 0)).toBeGreaterThan(500);
    expect(busiest.length).toBeGreaterThanOrEqual(12);
  });

  it('callers of createDb at depth 2 list every edge end (the case that drew nothing)', async () => {
    const res = await request(app).get('/v1/code/graph/callers').query({ repository: 'libs', symbol: 'createDb', depth: 2 }).expect(200);
    const walk = res.body as Walk;
    expect(walk.roots.map((node) => node.label)).toContain('createDb');
    expect(walk.nodes.length).toBeGreaterThan(3);
    expect(walk.edges.length).toBeGreaterThanOrEqual(walk.nodes.length);
    expectClosed(walk, 'callers createDb 2');
  });

  it('callers and callees of the busiest functions are closed at every depth', async () => {
    let edges = 0;
    for (const symbol of busiest) {
      for (const direction of ['callers', 'callees']) {
        for (const depth of [1, 2, 3, 5, 10]) {
          const res = await request(app).get(`/v1/code/graph/${direction}`).query({ repository: 'libs', symbol, depth }).expect(200);
          const walk = res.body as Walk;
          expectClosed(walk, `${direction} ${symbol} ${depth}`);
          expect(walk.nodes.every((node) => (node.depth ?? 0) >= 1 && (node.depth ?? 0) <= depth)).toBe(true);
          edges += walk.edges.length;
        }
      }
    }
    expect(edges).toBeGreaterThan(500);
  });

  it('caps a large answer with total and truncated, still closed', async () => {
    let symbol = busiest[0];
    let full = { total: -1 } as Walk;
    for (const candidate of busiest) {
      const walk = (
        await request(app).get('/v1/code/graph/callers').query({ repository: 'libs', symbol: candidate, depth: 10 }).expect(200)
      ).body as Walk;
      if (walk.total > full.total) [symbol, full] = [candidate, walk];
    }
    expect(full.total).toBeGreaterThan(10);
    expect(full.total).toBe(full.nodes.length);
    const capped = (await request(app).get('/v1/code/graph/callers').query({ repository: 'libs', symbol, depth: 10, limit: 3 }).expect(200))
      .body as Walk;
    expect(capped.nodes).toHaveLength(3);
    expect(capped).toMatchObject({ total: full.total, truncated: full.total > 3 });
    expectClosed(capped, 'capped callers');
    const neighbors = await request(app)
      .get(`/v1/graph/nodes/${await memoryId(symbol)}/neighbors`)
      .query({ depth: 5, limit: 4 })
      .expect(200);
    expect(neighbors.body.nodes).toHaveLength(4);
    expect(neighbors.body.truncated).toBe(true);
    expectClosed(neighbors.body, 'capped neighbors');
    await request(app).get('/v1/code/graph/callers').query({ repository: 'libs', symbol, limit: 2001 }).expect(400);
  });

  it('shortest paths list every edge end, in order', async () => {
    let found = 0;
    for (const symbol of busiest) {
      const callees = (await request(app).get('/v1/code/graph/callees').query({ repository: 'libs', symbol, depth: 10 }).expect(200))
        .body as Walk;
      const farthest = callees.nodes.at(-1);
      if (!farthest) continue;
      const res = await request(app).get('/v1/code/graph/path').query({ repository: 'libs', from: symbol, to: farthest.label }).expect(200);
      if (!res.body.found) continue; // a plain name can stand for several definitions
      found++;
      expectClosed(res.body, `path ${symbol} -> ${farthest.label}`);
      expect(res.body.edges).toHaveLength(res.body.nodes.length - 1);
      res.body.edges.forEach((edge: Edge, i: number) => {
        expect([edge.source, edge.target]).toEqual([res.body.nodes[i].id, res.body.nodes[i + 1].id]);
      });
      const memory = await request(app)
        .get('/v1/graph/path')
        .query({ from: await memoryId(symbol), to: await memoryIdOf(farthest.id), max_depth: 20 })
        .expect(200);
      // The memory copy starts from the best-connected `symbol`, which may not be the one the code path took.
      if (memory.body.found) expectClosed(memory.body, `memory path ${symbol}`);
    }
    expect(found).toBeGreaterThan(3);
  });

  it('memory-graph neighbors of the same graph are closed at depth 1..5 in every direction', async () => {
    let edges = 0;
    for (const symbol of busiest.slice(0, 8)) {
      const id = await memoryId(symbol);
      for (const direction of ['out', 'in', 'both']) {
        for (let depth = 1; depth <= 5; depth++) {
          const res = await request(app).get(`/v1/graph/nodes/${id}/neighbors`).query({ depth, direction, limit: 2000 }).expect(200);
          expect(res.body.roots).toEqual([expect.objectContaining({ id, depth: 0 })]);
          expect(res.body.nodes.map((node: Node) => node.id)).not.toContain(id);
          expectClosed(res.body, `neighbors ${symbol} ${direction} ${depth}`);
          edges += res.body.edges.length;
        }
      }
    }
    expect(edges).toBeGreaterThan(1000);
  });

  /** The memory-graph copy of a code node: the same mapping as the copy made above. */
  async function memoryIdOf(codeId: string): Promise<string> {
    const [row] = await queryRows<{ memory: string }>(t.database.db, sql`select md5(${codeId}::text || 'memory')::uuid as memory`);
    return row.memory;
  }

  /** The memory-graph copy of the best-connected definition with this label. */
  async function memoryId(label: string): Promise<string> {
    const [row] = await queryRows<{ memory: string }>(
      t.database.db,
      sql`select md5(n.id::text || 'memory')::uuid as memory from nodes n
           where n.namespace = ${DEFAULT_NAMESPACE} and n.repository = 'libs' and n.label = ${label}
           order by (select count(*) from edges e where e.namespace = n.namespace and (e.source = n.id or e.target = n.id)) desc, n.id
           limit 1`,
    );
    return row.memory;
  }
});
