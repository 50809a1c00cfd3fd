import { sql } from 'drizzle-orm';
import { createTestDb, testEngineName, type TestDb } from '../testing/test-db';
import { GraphWalker } from './graph-walker';
import type { GraphScope } from './graph-rows';

const NS = 'walks';
const MEMORY: GraphScope = { namespace: NS, repository: null };
const REPO: GraphScope = { namespace: NS, repository: 'repo' };

/** A stable id per name, so tests read as names. */
const id = (name: string): string => `00000000-0000-4000-8000-${name.padStart(12, '0').replace(/[^0-9a-f]/g, 'f')}`;

describe(`GraphWalker (${testEngineName()})`, () => {
  let database: TestDb;
  let walker: GraphWalker;
  const names = new Map<string, string>();
  const label = (nodeId: string): string => names.get(nodeId) ?? nodeId;

  /** Code nodes `a`..`f` with `calls` a->b->c->d, a->e->d, d->a (a cycle) and `other` e->f; the same again in another namespace. */
  beforeAll(async () => {
    database = await createTestDb();
    walker = new GraphWalker(database.db);
    const edges: [string, string, string][] = [
      ['a', 'b', 'calls'],
      ['b', 'c', 'calls'],
      ['c', 'd', 'calls'],
      ['a', 'e', 'calls'],
      ['e', 'd', 'calls'],
      ['d', 'a', 'calls'],
      ['e', 'f', 'other'],
    ];
    for (const [namespace, repository] of [
      [NS, 'repo'],
      ['elsewhere', 'repo'],
    ] as const) {
      for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
        names.set(id(name), name);
        await database.db.execute(
          sql`insert into nodes (namespace, id, type, label, repository) values (${namespace}, ${id(name)}::uuid, 'function', ${name}, ${repository})`,
        );
      }
      for (const [source, target, relation] of edges) {
        await database.db.execute(
          sql`insert into edges (namespace, source, target, relation, repository)
              values (${namespace}, ${id(source)}::uuid, ${id(target)}::uuid, ${relation}, ${repository})`,
        );
      }
    }
    // Two memory-graph nodes (repository null) with a `calls` edge of their own.
    for (const name of ['m1', 'm2']) {
      names.set(id(name), name);
      await database.db.execute(sql`insert into nodes (namespace, id, type, label) values (${NS}, ${id(name)}::uuid, 'topic', ${name})`);
    }
    await database.db.execute(
      sql`insert into edges (namespace, source, target, relation) values (${NS}, ${id('m1')}::uuid, ${id('m2')}::uuid, 'calls')`,
    );
  });
  afterAll(async () => {
    await database.close();
  });

  const reached = (map: Map<string, number>): Record<string, number> =>
    Object.fromEntries([...map.entries()].map(([nodeId, depth]) => [label(nodeId), depth]).sort());

  it('reaches each node at its smallest depth, in every direction, and ends on cycles', async () => {
    expect(reached(await walker.reach(REPO, [id('a')], { direction: 'out', depth: 10, relation: 'calls' }))).toEqual({
      a: 0,
      b: 1,
      c: 2,
      d: 2,
      e: 1,
    });
    expect(reached(await walker.reach(REPO, [id('d')], { direction: 'in', depth: 1, relation: 'calls' }))).toEqual({ c: 1, d: 0, e: 1 });
    expect(reached(await walker.reach(REPO, [id('f')], { direction: 'both', depth: 2 }))).toEqual({ a: 2, d: 2, e: 1, f: 0 });
  });

  it('stays in its scope: the memory graph, the repository, the namespace', async () => {
    expect(reached(await walker.reach(MEMORY, [id('m1')], { direction: 'both', depth: 5 }))).toEqual({ m1: 0, m2: 1 });
    expect(reached(await walker.reach(MEMORY, [id('a')], { direction: 'both', depth: 5 }))).toEqual({});
    expect(reached(await walker.reach(REPO, [id('m1')], { direction: 'both', depth: 5 }))).toEqual({});
    expect((await walker.reach({ namespace: 'nowhere', repository: 'repo' }, [id('a')], { direction: 'out', depth: 5 })).size).toBe(0);
    expect(await walker.nodes(MEMORY, [id('a')])).toEqual([]);
  });

  it('lists neighbors nearest first with all edges among them, or only the steps taken', async () => {
    const all = await walker.neighbors(REPO, [id('a')], { direction: 'out', depth: 2, relation: 'calls', limit: 10, edges: 'all' });
    expect(all.nodes.map((node) => [node.label, node.depth])).toEqual([
      ['b', 1],
      ['e', 1],
      ['c', 2],
      ['d', 2],
    ]);
    expect(all).toMatchObject({ total: 4, truncated: false });
    // c->d (both at depth 2) and d->a (back to the start) join listed nodes but are no step of the walk.
    const pairs = (edges: { source: string; target: string }[]) => edges.map((edge) => `${label(edge.source)}${label(edge.target)}`).sort();
    expect(pairs(all.edges)).toEqual(['ab', 'ae', 'bc', 'cd', 'da', 'ed']);
    const steps = await walker.neighbors(REPO, [id('a')], { direction: 'out', depth: 2, relation: 'calls', limit: 10, edges: 'steps' });
    expect(pairs(steps.edges)).toEqual(['ab', 'ae', 'bc', 'ed']);
    const capped = await walker.neighbors(REPO, [id('a')], { direction: 'out', depth: 2, relation: 'calls', limit: 3, edges: 'all' });
    expect(capped).toMatchObject({ total: 4, truncated: true });
    expect(capped.nodes.map((node) => node.depth)).toEqual([1, 1, 2]);
    expect(capped.nodes[0]).toEqual({
      id: expect.any(String),
      type: 'function',
      label: 'b',
      properties: {},
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      depth: 1,
    });
  });

  it('finds a shortest path in each direction, or says there is none', async () => {
    const path = async (from: string, to: string, direction: 'out' | 'in' | 'both', depth = 10) => {
      const found = await walker.shortestPath(REPO, id(from), id(to), { direction, depth, relation: 'calls' });
      return { found: found.found, nodes: found.nodes.map((node) => node.label).join(''), edges: found.edges.length };
    };
    expect(await path('a', 'd', 'out')).toEqual({ found: true, nodes: 'aed', edges: 2 });
    expect(await path('d', 'b', 'in')).toEqual({ found: true, nodes: 'dcb', edges: 2 });
    expect(await path('c', 'e', 'both')).toEqual({ found: true, nodes: 'cde', edges: 2 });
    expect(await path('a', 'f', 'out')).toEqual({ found: false, nodes: '', edges: 0 });
    expect(await path('a', 'c', 'out', 1)).toEqual({ found: false, nodes: '', edges: 0 });
    expect(await path('b', 'b', 'out')).toEqual({ found: true, nodes: 'b', edges: 0 });
  });
});
