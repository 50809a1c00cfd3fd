import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { createTestDb, type TestDb } from '@mnemolite/db/testing';
import { queryRows } from '@mnemolite/db';
import { sql } from 'drizzle-orm';
import { CodeIndexingService } from '../indexing/indexing.service';
import { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { FIXTURE_FILES } from '../testing/fixture-repository';
import { CodeGraphService } from './graph.service';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

describe('CodeGraphService over the fixture repository', () => {
  let database: TestDb;
  let runtime: TreeSitterRuntime;
  let graph: CodeGraphService;

  beforeAll(async () => {
    database = await createTestDb();
    runtime = new TreeSitterRuntime();
    const indexer = new CodeIndexingService({ db: database.db, runtime, indexRoots: [] });
    await indexer.indexFiles(NS, { repository: 'shop' }, FIXTURE_FILES);
    graph = new CodeGraphService({ db: database.db });
  });

  afterAll(async () => {
    await runtime.close();
    await database.close();
  });

  const labels = (nodes: { label: string }[]): string[] => nodes.map((node) => node.label).sort();

  it('finds callees across files, through a named and a namespace import', async () => {
    const direct = await graph.callees(NS, 'shop', 'placeOrder', 1);
    expect(labels(direct.nodes)).toEqual(['formatOrder', 'getUserById']);
    expect(direct.nodes.every((node) => node.depth === 1)).toBe(true);
    expect(direct.edges).toHaveLength(2);
    expect(direct.roots.map((node) => [node.label, node.depth])).toEqual([['placeOrder', 0]]);
    expect(direct).toMatchObject({ total: 2, truncated: false });

    const twoHops = await graph.callees(NS, 'shop', 'placeOrder', 2);
    expect(labels(twoHops.nodes)).toEqual(['formatMoney', 'formatOrder', 'getUserById', 'queryUser']);
    expect(twoHops.nodes.find((node) => node.label === 'queryUser')?.depth).toBe(2);
  });

  it('finds callers, transitively, with their depth', async () => {
    const callers = await graph.callers(NS, 'shop', 'getUserById', 2);
    expect(callers.nodes.map((node) => [node.label, node.depth])).toEqual([
      ['placeOrder', 1],
      ['cancelOrder', 2],
    ]);
    const listed = new Set([...callers.roots, ...callers.nodes].map((node) => node.id));
    expect(callers.edges).toHaveLength(2);
    for (const edge of callers.edges) expect([listed.has(edge.source), listed.has(edge.target)]).toEqual([true, true]);
  });

  it('resolves this-calls to the same class and Python relative imports', async () => {
    expect(labels((await graph.callees(NS, 'shop', 'UserRepository.findAll', 1)).nodes)).toEqual(['UserRepository.load']);
    expect(labels((await graph.callers(NS, 'shop', 'compute_tax', 1)).nodes)).toEqual(['invoice']);
    expect(labels((await graph.callees(NS, 'shop', 'compute_tax', 1)).nodes)).toEqual(['rate']);
  });

  it('resolves a unique name without import and leaves an ambiguous one unresolved', async () => {
    expect(labels((await graph.callees(NS, 'shop', 'audit', 1)).nodes)).toEqual(['writeAuditLog']);
    const ambiguous = await graph.callers(NS, 'shop', 'helper', 1);
    expect(ambiguous).toMatchObject({ nodes: [], edges: [], total: 0, truncated: false });
    expect(ambiguous.roots.map((node) => node.label)).toEqual(['helper', 'helper']);
  });

  it('reports counts by type and relation and the resolved calls ratio', async () => {
    const stats = await graph.stats(NS, 'shop');
    expect(stats.nodes).toMatchObject({ file: 10, function: 13, class: 1, interface: 1, method: 2 });
    expect(stats.edges['contains']).toBe(17);
    expect(stats.edges['calls']).toBe(9);
    expect(stats.edges['imports']).toBe(3);
    // Unresolved: Error, Map (constructors), helper (ambiguous), console.log, amount.toFixed, this.cache.values.
    expect(stats.calls).toEqual({ total: 15, resolved: 9, unresolved: 6 });
    expect(stats.resolved_calls_ratio).toBeCloseTo(9 / 15, 4);
  });

  it('finds a shortest call path, and says when there is none', async () => {
    const path = await graph.path(NS, 'shop', 'cancelOrder', 'formatMoney', 10);
    expect(path.found).toBe(true);
    expect(path.nodes.map((node) => node.label)).toEqual(['cancelOrder', 'placeOrder', 'formatOrder', 'formatMoney']);
    expect(path.edges.map((edge) => [edge.source, edge.target])).toEqual([
      [path.nodes[0].id, path.nodes[1].id],
      [path.nodes[1].id, path.nodes[2].id],
      [path.nodes[2].id, path.nodes[3].id],
    ]);
    expect(await graph.path(NS, 'shop', 'formatMoney', 'cancelOrder', 10)).toEqual({ found: false, nodes: [], edges: [] });
    expect((await graph.path(NS, 'shop', 'cancelOrder', 'formatMoney', 2)).found).toBe(false);
  });

  it('terminates on call cycles', async () => {
    const cycle = new CodeIndexingService({ db: database.db, runtime, indexRoots: [] });
    await cycle.indexFiles(NS, { repository: 'cycle' }, [
      { path: 'a.py', content: 'def ping(n):\n    return pong(n - 1)\n\ndef pong(n):\n    return ping(n)\n' },
    ]);
    const callees = await graph.callees(NS, 'cycle', 'ping', 10);
    expect(callees.nodes.map((node) => [node.label, node.depth])).toEqual([['pong', 1]]);
    expect((await graph.path(NS, 'cycle', 'pong', 'ping', 20)).nodes.map((node) => node.label)).toEqual(['pong', 'ping']);
  });

  it('caps a large answer at `limit`, keeping the nearest nodes and only edges among what is listed', async () => {
    const capped = await graph.callees(NS, 'shop', 'placeOrder', 2, 2);
    expect(capped).toMatchObject({ total: 4, truncated: true });
    expect(capped.nodes.map((node) => node.depth)).toEqual([1, 1]);
    const listed = new Set([...capped.roots, ...capped.nodes].map((node) => node.id));
    expect(capped.edges).toHaveLength(2);
    for (const edge of capped.edges) expect(listed.has(edge.source) && listed.has(edge.target)).toBe(true);
  });

  it('404s on unknown symbols and repositories, and keeps the memory graph apart', async () => {
    await expect(graph.callers(NS, 'shop', 'noSuchFunction', 1)).rejects.toMatchObject({ status: 404 });
    await expect(graph.stats(NS, 'nope')).rejects.toMatchObject({ status: 404 });
    const [memory] = await queryRows<{ n: string }>(database.db, sql`SELECT count(*) AS n FROM nodes WHERE repository IS NULL`);
    expect(Number(memory.n)).toBe(0);
  });
});
