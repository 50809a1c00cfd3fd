import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { sql } from 'drizzle-orm';
import { testEngineName, type TestDb } from '@mnemolite/db/testing';
import { createMemoryTestDb } from '../testing';
import { neighborsQuerySchema, pathQuerySchema, type GraphNode } from '../schemas/graph.schemas';
import { GraphService } from './graph.service';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

const engine = testEngineName();

describe(`GraphService (${engine})`, () => {
  let database: TestDb;
  let graph: GraphService;

  beforeAll(async () => {
    database = await createMemoryTestDb();
    graph = new GraphService({ db: database.db });
  });
  afterAll(async () => {
    await database.close();
  });

  async function chain(length: number, relation = 'next'): Promise<GraphNode[]> {
    const nodes: GraphNode[] = [];
    for (let i = 0; i < length; i++) nodes.push(await graph.createNode(NS, { type: 'step', label: `n${i}` }));
    for (let i = 0; i + 1 < length; i++) await graph.createEdge(NS, { source: nodes[i].id, target: nodes[i + 1].id, relation });
    return nodes;
  }

  const neighborsOf = (id: string, query: Record<string, string>) => graph.neighbors(NS, id, neighborsQuerySchema.parse(query));
  const pathOf = (query: Record<string, string>) => graph.path(NS, pathQuerySchema.parse(query));

  it('creates nodes (given or generated id) and rejects a duplicate id', async () => {
    const id = crypto.randomUUID();
    const node = await graph.createNode(NS, { id, type: 'person', label: 'Ada', properties: { born: 1815, tags: ['math'] } });
    expect(node).toEqual({
      id,
      type: 'person',
      label: 'Ada',
      properties: { born: 1815, tags: ['math'] },
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    await expect(graph.createNode(NS, { id, type: 'x', label: 'y' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('creates edges between known nodes only, and returns a node with its edges both ways', async () => {
    const [a, b, c] = await chain(3, 'knows');
    const unknown = crypto.randomUUID();
    await expect(graph.createEdge(NS, { source: a.id, target: unknown, relation: 'x' })).rejects.toMatchObject({
      code: 'not_found',
      details: { missing: [unknown] },
    });
    const self = await graph.createEdge(NS, { source: c.id, target: c.id, relation: 'self', properties: { w: 1 } });
    expect(self).toMatchObject({ source: c.id, target: c.id, relation: 'self', properties: { w: 1 } });
    const withEdges = await graph.getNode(NS, b.id);
    expect(withEdges.edges.map((e) => [e.source, e.target])).toEqual([
      [a.id, b.id],
      [b.id, c.id],
    ]);
  });

  it('walks neighbors at depth 1..5 in each direction, never listing the start node', async () => {
    const nodes = await chain(7);
    for (let depth = 1; depth <= 5; depth++) {
      const out = await neighborsOf(nodes[0].id, { depth: String(depth), direction: 'out' });
      expect(out.nodes.map((n) => n.label)).toEqual(nodes.slice(1, depth + 1).map((n) => n.label));
      expect(out.nodes.map((n) => n.depth)).toEqual(Array.from({ length: depth }, (_, i) => i + 1));
      expect(out.edges).toHaveLength(depth);
      expect(out.roots).toEqual([expect.objectContaining({ id: nodes[0].id, depth: 0 })]);
      expect(out).toMatchObject({ total: depth, truncated: false });
      const into = await neighborsOf(nodes[6].id, { depth: String(depth), direction: 'in' });
      expect(into.nodes.map((n) => n.label)).toEqual(
        nodes
          .slice(6 - depth, 6)
          .reverse()
          .map((n) => n.label),
      );
    }
    expect((await neighborsOf(nodes[0].id, { direction: 'in', depth: '5' })).nodes).toEqual([]);
    const both = await neighborsOf(nodes[3].id, { depth: '2', direction: 'both' });
    expect(both.nodes.map((n) => `${n.label}@${n.depth}`).sort()).toEqual(['n1@2', 'n2@1', 'n4@1', 'n5@2']);
    expect((await neighborsOf(nodes[3].id, {})).nodes.map((n) => n.label).sort()).toEqual(['n2', 'n4']);
  });

  it('caps the answer at `limit`, keeping the nearest nodes and only edges among what is listed', async () => {
    const hub = await graph.createNode(NS, { type: 'step', label: 'hub' });
    const spokes: GraphNode[] = [];
    for (let i = 0; i < 4; i++) {
      spokes.push(await graph.createNode(NS, { type: 'step', label: `s${i}` }));
      await graph.createEdge(NS, { source: hub.id, target: spokes[i].id, relation: 'spoke' });
    }
    const far = await graph.createNode(NS, { type: 'step', label: 'far' });
    await graph.createEdge(NS, { source: spokes[0].id, target: far.id, relation: 'spoke' });
    const capped = await neighborsOf(hub.id, { depth: '2', direction: 'out', limit: '3' });
    expect(capped).toMatchObject({ total: 5, truncated: true });
    expect(capped.nodes.map((n) => n.depth)).toEqual([1, 1, 1]);
    const listed = new Set([hub.id, ...capped.nodes.map((n) => n.id)]);
    expect(capped.edges).toHaveLength(3);
    for (const edge of capped.edges) expect(listed.has(edge.source) && listed.has(edge.target)).toBe(true);
    expect(() => neighborsQuerySchema.parse({ limit: '0' })).toThrow();
    expect(() => neighborsQuerySchema.parse({ limit: '2001' })).toThrow();
  });

  it('filters neighbors by relation', async () => {
    const [a, b] = await chain(2, 'likes');
    const c = await graph.createNode(NS, { type: 'step', label: 'c' });
    await graph.createEdge(NS, { source: a.id, target: c.id, relation: 'hates' });
    const likes = await neighborsOf(a.id, { relation: 'likes' });
    expect(likes.nodes.map((n) => n.id)).toEqual([b.id]);
    expect(likes.edges.map((e) => e.relation)).toEqual(['likes']);
  });

  it('terminates on cycles, with each node at its smallest depth', async () => {
    const nodes = await chain(4);
    await graph.createEdge(NS, { source: nodes[3].id, target: nodes[0].id, relation: 'next' });
    await graph.createEdge(NS, { source: nodes[1].id, target: nodes[0].id, relation: 'next' });
    const res = await neighborsOf(nodes[0].id, { depth: '5', direction: 'both' });
    expect(res.nodes.map((n) => `${n.label}@${n.depth}`).sort()).toEqual(['n1@1', 'n2@2', 'n3@1']);
    const path = await pathOf({ from: nodes[0].id, to: nodes[3].id, max_depth: '20' });
    expect(path.nodes.map((n) => n.label)).toEqual(['n0', 'n1', 'n2', 'n3']);
    const unreachable = await graph.createNode(NS, { type: 'step', label: 'island' });
    expect((await pathOf({ from: nodes[0].id, to: unreachable.id, max_depth: '20', direction: 'both' })).found).toBe(false);
  });

  it('finds a shortest path, or says it found none', async () => {
    const nodes = await chain(5);
    const shortcut = await graph.createEdge(NS, { source: nodes[1].id, target: nodes[3].id, relation: 'jump' });
    const path = await pathOf({ from: nodes[0].id, to: nodes[4].id });
    expect(path.found).toBe(true);
    expect(path.nodes.map((n) => n.label)).toEqual(['n0', 'n1', 'n3', 'n4']);
    expect(path.edges.map((e) => [e.source, e.target])).toEqual([
      [nodes[0].id, nodes[1].id],
      [nodes[1].id, nodes[3].id],
      [nodes[3].id, nodes[4].id],
    ]);
    expect(path.edges[1].id).toBe(shortcut.id);
    expect((await pathOf({ from: nodes[0].id, to: nodes[4].id, relation: 'next' })).nodes).toHaveLength(5);
    expect(await pathOf({ from: nodes[0].id, to: nodes[4].id, max_depth: '2' })).toEqual({ found: false, nodes: [], edges: [] });
    expect((await pathOf({ from: nodes[4].id, to: nodes[0].id })).found).toBe(false);
    expect((await pathOf({ from: nodes[4].id, to: nodes[0].id, direction: 'both' })).nodes).toHaveLength(4);
    const same = await pathOf({ from: nodes[2].id, to: nodes[2].id });
    expect(same).toEqual({ found: true, nodes: [expect.objectContaining({ id: nodes[2].id })], edges: [] });
    await expect(pathOf({ from: nodes[0].id, to: crypto.randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('exports Cytoscape JSON and deletes nodes with their edges', async () => {
    const type = `t${Date.now()}`;
    const a = await graph.createNode(NS, { type, label: 'a' });
    const b = await graph.createNode(NS, { type, label: 'b' });
    const edge = await graph.createEdge(NS, { source: a.id, target: b.id, relation: 'rel' });
    const exported = await graph.exportCytoscape(NS, { type, limit: 10 });
    expect(exported.elements.nodes.map((n) => n.data.id).sort()).toEqual([a.id, b.id].sort());
    expect(exported.elements.nodes[0].data).toEqual({
      id: expect.any(String),
      type,
      label: expect.any(String),
      properties: {},
      created_at: expect.any(String),
    });
    expect(exported.elements.edges).toEqual([
      { data: { id: edge.id, source: a.id, target: b.id, relation: 'rel', label: 'rel', properties: {}, created_at: edge.created_at } },
    ]);
    expect((await graph.exportCytoscape(NS, { type, limit: 1 })).elements.nodes).toHaveLength(1);
    expect(await graph.countNodes(NS, type)).toBe(2);
    await graph.deleteNode(NS, a.id);
    await expect(graph.getNode(NS, a.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await graph.getNode(NS, b.id)).edges).toEqual([]);
    await expect(graph.deleteNode(NS, a.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('never shows or links code-graph nodes (repository set)', async () => {
    const codeId = crypto.randomUUID();
    await database.db.execute(sql`insert into nodes (id, type, label, repository) values (${codeId}::uuid, 'function', 'main', 'repo')`);
    const memory = await graph.createNode(NS, { type: 'note', label: 'memory' });
    await expect(graph.getNode(NS, codeId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(graph.createEdge(NS, { source: memory.id, target: codeId, relation: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(graph.deleteNode(NS, codeId)).rejects.toMatchObject({ code: 'not_found' });
    expect((await graph.exportCytoscape(NS, { limit: 2000 })).elements.nodes.map((n) => n.data.id)).not.toContain(codeId);
  });
});
