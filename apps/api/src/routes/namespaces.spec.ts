import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import type { RequestHandler, Router } from 'express';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '@mnemolite/common';
import { testEngineName } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { createServiceBackend, type ServiceBackend } from '@mnemolite/mcp';
import { createTestApp, type TestApp } from '../testing/test-app';
import { createCodeFeature, type CodeFeature } from './code/code.feature';
import { mcpRoutes } from './mcp/mcp.routes';
import { createMemoryFeature } from './memory/memory.feature';

/**
 * Namespaces never leak (API.md, "Namespaces and keys"), as a property over every route family:
 * random sequences of writes into two namespaces A and B (events one by one and in batches, metadata
 * patches, deletes, graph nodes and edges, code indexing and repository deletes), with the same words,
 * labels and repository names on both sides. The writes of A are replayed into a control namespace
 * that never sees B. Then A must answer every read (lists, counts, totals, searches in all three modes
 * with filters, graph export and walks, code search, callers, callees, graph stats, repositories,
 * chunks, and the MCP tools over HTTP) exactly as the control does, ids aside; and ids of the other
 * namespace are 404 in both directions, writes included.
 */

const engine = testEngineName();

const TEXTS = [
  'lighthouse keeper logbook',
  'harbour storm warning',
  'garden tomato harvest',
  'lighthouse storm night',
  'tomato soup recipe',
];
const QUERIES = ['lighthouse', 'storm tomato', 'harbour keeper'];
const LABELS = ['Ada', 'Brest', 'storm', 'garden'];
const REPOSITORIES = ['shop', 'tools'];
const FUNCTIONS = ['placeOrder', 'audit', 'formatMoney', 'loadUser', 'sendMail'];

type Side = 'a' | 'b';
type Command =
  | { side: Side; kind: 'event'; text: number; tag: number }
  | { side: Side; kind: 'batch'; texts: number[]; tag: number }
  | { side: Side; kind: 'patch'; index: number; value: number }
  | { side: Side; kind: 'delete-event'; index: number }
  | { side: Side; kind: 'node'; label: number }
  | { side: Side; kind: 'edge'; from: number; to: number }
  | { side: Side; kind: 'code'; repository: number; functions: number[] }
  | { side: Side; kind: 'delete-repository'; repository: number };

const side = fc.constantFrom<Side>('a', 'b');
// Event writes weigh more: most sequences then hold events on both sides, so scores could leak.
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ side, kind: fc.constant('event' as const), text: fc.nat(TEXTS.length - 1), tag: fc.nat(1) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      side,
      kind: fc.constant('batch' as const),
      texts: fc.array(fc.nat(TEXTS.length - 1), { minLength: 1, maxLength: 3 }),
      tag: fc.nat(1),
    }),
  },
  fc.record({ side, kind: fc.constant('patch' as const), index: fc.nat(9), value: fc.nat(3) }),
  fc.record({ side, kind: fc.constant('delete-event' as const), index: fc.nat(9) }),
  fc.record({ side, kind: fc.constant('node' as const), label: fc.nat(LABELS.length - 1) }),
  fc.record({ side, kind: fc.constant('edge' as const), from: fc.nat(9), to: fc.nat(9) }),
  fc.record({
    side,
    kind: fc.constant('code' as const),
    repository: fc.nat(REPOSITORIES.length - 1),
    functions: fc.uniqueArray(fc.nat(FUNCTIONS.length - 1), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ side, kind: fc.constant('delete-repository' as const), repository: fc.nat(REPOSITORIES.length - 1) }),
);

/** What the test knows of one namespace: the ids its writes created (events are graph nodes too). */
interface Known {
  name: string;
  events: string[];
  nodes: string[];
}

/** One TypeScript file whose functions each call the next one: callers and callees have answers. */
function sourceOf(functions: number[]): string {
  return functions
    .map((f, i) => {
      const next = functions[i + 1];
      return `export function ${FUNCTIONS[f]}(): number {\n  return ${next === undefined ? '1' : `${FUNCTIONS[next]}()`};\n}\n`;
    })
    .join('\n');
}

describe(`namespaces: nothing of one namespace is visible from another (${engine})`, () => {
  let testApp: TestApp;
  let code: CodeFeature | undefined;
  let backend: ServiceBackend | undefined;
  let server: Server;
  let mcpUrl: URL;
  let run = 0;

  beforeAll(async () => {
    const embedder = new HashEmbedder(768);
    let router: Router | undefined;
    const mcp: RequestHandler = (req, res, next) => (router as Router)(req, res, next);
    testApp = await createTestApp({
      mcp,
      features: (database) => {
        code = createCodeFeature({ database, indexRoots: [], textEmbedder: embedder, codeEmbedder: embedder });
        backend = createServiceBackend({ database, indexRoots: [], textEmbedder: embedder, codeEmbedder: embedder, version: 'test' });
        router = mcpRoutes({ backend, version: 'test', logger: createLogger({ level: 'silent', name: 'api' }) });
        return [createMemoryFeature({ db: database.db, textEmbedder: embedder, workerAvailable: async () => false }), code];
      },
    });
    server = createServer(testApp.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mcpUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await backend?.close();
    await code?.close();
    await testApp.close();
  });

  const api = (namespace: string) => ({
    get: (path: string) => request(testApp.app).get(path).set('X-Namespace', namespace),
    post: (path: string, body: object) => request(testApp.app).post(path).set('X-Namespace', namespace).send(body),
    patch: (path: string, body: object) => request(testApp.app).patch(path).set('X-Namespace', namespace).send(body),
    delete: (path: string) => request(testApp.app).delete(path).set('X-Namespace', namespace),
  });

  /** Applies one write to a namespace; the answer's status is part of what must match the control. */
  async function apply(known: Known, cmd: Command, timestamp: () => string): Promise<number> {
    const http = api(known.name);
    switch (cmd.kind) {
      case 'event': {
        const res = await http.post('/v1/events', {
          content: { text: TEXTS[cmd.text] },
          metadata: { tag: cmd.tag },
          timestamp: timestamp(),
        });
        known.events.push(res.body.id);
        known.nodes.push(res.body.id);
        return res.status;
      }
      case 'batch': {
        const events = cmd.texts.map((text) => ({ content: { text: TEXTS[text] }, metadata: { tag: cmd.tag }, timestamp: timestamp() }));
        const res = await http.post('/v1/events/batch', { events });
        known.events.push(...res.body.ids);
        known.nodes.push(...res.body.ids);
        return res.status;
      }
      case 'patch': {
        if (known.events.length === 0) return 0;
        const id = known.events[cmd.index % known.events.length];
        return (await http.patch(`/v1/events/${id}/metadata`, { patched: cmd.value })).status;
      }
      case 'delete-event': {
        if (known.events.length === 0) return 0;
        const [id] = known.events.splice(cmd.index % known.events.length, 1);
        known.nodes.splice(known.nodes.indexOf(id), 1);
        return (await http.delete(`/v1/events/${id}`)).status;
      }
      case 'node': {
        const res = await http.post('/v1/graph/nodes', { type: 'topic', label: LABELS[cmd.label] });
        known.nodes.push(res.body.id);
        return res.status;
      }
      case 'edge': {
        if (known.nodes.length === 0) return 0;
        const source = known.nodes[cmd.from % known.nodes.length];
        const target = known.nodes[cmd.to % known.nodes.length];
        return (await http.post('/v1/graph/edges', { source, target, relation: 'about' })).status;
      }
      case 'code': {
        const repository = REPOSITORIES[cmd.repository];
        const files = [{ path: `src/${repository}.ts`, content: sourceOf(cmd.functions) }];
        return (await http.post('/v1/code/index', { repository, files })).status;
      }
      case 'delete-repository':
        return (await http.delete(`/v1/code/repositories/${REPOSITORIES[cmd.repository]}`)).status;
    }
  }

  /** A namespace's answers to every read, with ids and times left out, in a stable order. */
  async function observe(known: Known): Promise<Record<string, unknown>> {
    const http = api(known.name);
    const seen: Record<string, unknown> = {};
    const list = await http.get('/v1/events?limit=100').expect(200);
    seen['events'] = {
      total: list.body.total,
      items: list.body.items
        .map((e: { content: unknown; metadata: unknown; timestamp: string }) => JSON.stringify([e.content, e.metadata, e.timestamp]))
        .sort(),
    };
    for (const query of QUERIES) {
      for (const mode of ['lexical', 'vector', 'hybrid']) {
        for (const metadata of [undefined, { tag: 1 }]) {
          const res = await http.post('/v1/search', { query, mode, limit: 100, ...(metadata ? { metadata } : {}) }).expect(200);
          seen[`search ${mode} ${query} ${JSON.stringify(metadata)}`] = res.body.results
            .map(
              (r: { event: { content: unknown; timestamp: string }; score: number }) =>
                `${JSON.stringify(r.event.content)} ${r.event.timestamp} ${r.score.toFixed(6)}`,
            )
            .sort();
        }
      }
    }
    const byParams = await http.get(`/v1/search?${new URLSearchParams({ metadata: '{"tag":0}', limit: '100' })}`).expect(200);
    seen['search filter-only'] = { total: byParams.body.total, n: byParams.body.results.length };

    const graph = await http.get('/v1/graph?limit=1000').expect(200);
    const labels = new Map<string, string>(
      graph.body.elements.nodes.map((n: { data: { id: string; label: string } }) => [n.data.id, n.data.label]),
    );
    seen['graph'] = {
      total: graph.headers['x-total-count'],
      nodes: [...labels.values()].sort(),
      edges: graph.body.elements.edges
        .map((e: { data: { source: string; target: string } }) => `${labels.get(e.data.source)} -> ${labels.get(e.data.target)}`)
        .sort(),
    };
    const walks: string[] = [];
    for (const id of known.nodes.slice(0, 4)) {
      const res = await http.get(`/v1/graph/nodes/${id}/neighbors?depth=2&direction=both`).expect(200);
      walks.push(
        `${labels.get(id)}: ${res.body.nodes
          .map((n: { label: string; depth: number }) => `${n.label}@${n.depth}`)
          .sort()
          .join(',')}`,
      );
    }
    seen['walks'] = walks;

    const repositories = await http.get('/v1/code/repositories').expect(200);
    seen['repositories'] = repositories.body.map(({ last_indexed_at: _, ...summary }: { last_indexed_at: string }) => summary);
    for (const repository of REPOSITORIES) {
      const chunks = await http.get(`/v1/code/chunks?repository=${repository}`).expect(200);
      seen[`chunks ${repository}`] = { total: chunks.body.total, names: chunks.body.items.map((c: { name: string }) => c.name).sort() };
      seen[`stats ${repository}`] = await http.get(`/v1/code/graph/stats?repository=${repository}`).then((r) => [r.status, r.body]);
      for (const symbol of FUNCTIONS.slice(0, 3)) {
        for (const direction of ['callers', 'callees']) {
          const res = await http.get(`/v1/code/graph/${direction}?${new URLSearchParams({ repository, symbol, depth: '3' })}`);
          seen[`${direction} ${repository} ${symbol}`] =
            res.status === 200 ? res.body.nodes.map((n: { label: string }) => n.label).sort() : res.status;
        }
      }
    }
    for (const mode of ['lexical', 'vector', 'hybrid']) {
      const res = await http.post('/v1/code/search', { query: 'audit money', mode, limit: 50 }).expect(200);
      seen[`code search ${mode}`] = res.body.results
        .map(
          (r: { chunk: { repository: string; name: string }; score: number }) =>
            `${r.chunk.repository}/${r.chunk.name} ${r.score.toFixed(6)}`,
        )
        .sort();
    }
    const stats = await http.get('/v1/code/graph/stats').expect(200);
    seen['stats all'] = stats.body;

    // The same reads through the MCP tools over HTTP, in this namespace.
    const client = new Client({ name: 'namespaces-spec', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { 'X-Namespace': known.name } } }));
    try {
      const call = async (name: string, args: Record<string, unknown> = {}) => {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        return result.isError
          ? { error: (result.content[0] as { text: string }).text.replace(/[0-9a-f-]{36}/g, '<id>') }
          : result.structuredContent;
      };
      const health = (await call('health')) as { counts: unknown; namespace: string };
      seen['mcp health'] = { counts: health.counts, namespace: health.namespace === known.name };
      const search = (await call('memory_search', { query: 'lighthouse storm', limit: 50 })) as {
        results: { event: { content: unknown } }[];
      };
      seen['mcp search'] = search.results.map((r) => JSON.stringify(r.event.content)).sort();
      const recent = (await call('memory_list_recent', { limit: 50 })) as { total: number };
      seen['mcp recent'] = recent.total;
      const repos = (await call('code_repositories')) as { repositories: { repository: string; files: number }[] };
      seen['mcp repositories'] = repos.repositories.map((r) => `${r.repository}:${r.files}`);
      seen['mcp callees'] = await call('code_callees', { repository: 'shop', symbol: 'placeOrder', depth: 2 }).then((r) =>
        'error' in (r as object) ? r : (r as { nodes: { label: string }[] }).nodes.map((n) => n.label).sort(),
      );
    } finally {
      await client.close();
    }
    return seen;
  }

  /** Every id `other` knows answers 404 in `known`, reads and writes alike, and still exists in `other`. */
  async function assertForeignIdsUnknown(known: Known, other: Known): Promise<void> {
    const http = api(known.name);
    const own = known.nodes[0];
    for (const id of other.events.slice(0, 2)) {
      expect((await http.get(`/v1/events/${id}`)).status).toBe(404);
      expect((await http.patch(`/v1/events/${id}/metadata`, { stolen: true })).status).toBe(404);
      expect((await http.delete(`/v1/events/${id}`)).status).toBe(404);
      const still = await api(other.name).get(`/v1/events/${id}`).expect(200);
      expect(still.body.metadata).not.toHaveProperty('stolen');
    }
    for (const id of other.nodes.slice(0, 2)) {
      expect((await http.get(`/v1/graph/nodes/${id}`)).status).toBe(404);
      expect((await http.get(`/v1/graph/nodes/${id}/neighbors`)).status).toBe(404);
      if (own !== undefined) {
        const link = await http.post('/v1/graph/edges', { source: own, target: id, relation: 'leak' });
        expect(link.status).toBe(404);
        expect(link.body.error.details.fields).toEqual(['target']);
        const path = await http.get(`/v1/graph/path?from=${own}&to=${id}`);
        expect(path.status).toBe(404);
        expect(path.body.error.details.fields).toEqual(['to']);
      }
      expect((await http.delete(`/v1/graph/nodes/${id}`)).status).toBe(404);
      await api(other.name).get(`/v1/graph/nodes/${id}`).expect(200);
    }
    for (const repository of REPOSITORIES) {
      const chunks = await api(other.name).get(`/v1/code/chunks?repository=${repository}`).expect(200);
      for (const chunk of chunks.body.items.slice(0, 2)) {
        expect((await http.get(`/v1/code/chunks/${chunk.id}`)).status).toBe(404);
      }
    }
    // Nothing of the other namespace in any listing of this one.
    const foreign = new Set([...other.events, ...other.nodes]);
    const listed = await http.get('/v1/events?limit=100').expect(200);
    expect(listed.body.items.filter((e: { id: string }) => foreign.has(e.id))).toEqual([]);
    const graph = await http.get('/v1/graph?limit=1000').expect(200);
    expect(graph.body.elements.nodes.filter((n: { data: { id: string } }) => foreign.has(n.data.id))).toEqual([]);
    const hits = await http.post('/v1/search', { query: 'lighthouse storm tomato', mode: 'hybrid', limit: 100 }).expect(200);
    expect(hits.body.results.filter((r: { event: { id: string } }) => foreign.has(r.event.id))).toEqual([]);
  }

  it('random writes into two namespaces: each answers as if the other did not exist, and their ids are 404 across', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/),
        fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/),
        fc.array(command, { minLength: 4, maxLength: 8 }),
        async (nameA, nameB, commands) => {
          run += 1;
          // Fresh namespaces each run (the names are random; the suffix keeps runs apart).
          const a: Known = { name: `${nameA}-${run}a`, events: [], nodes: [] };
          const b: Known = { name: `${nameB}-${run}b`, events: [], nodes: [] };
          const control: Known = { name: `control-${run}`, events: [], nodes: [] };
          let minute = 0;
          const base = Date.UTC(2025, 4, 1, 8, 0);
          for (const cmd of commands) {
            if (cmd.side === 'b') {
              await apply(b, cmd, () => new Date(base + minute++ * 60_000).toISOString());
              continue;
            }
            // A and its control get the same writes with the same timestamps, and must answer alike.
            const times: string[] = [];
            const statusA = await apply(a, cmd, () => {
              const at = new Date(base + minute++ * 60_000).toISOString();
              times.push(at);
              return at;
            });
            const statusControl = await apply(control, cmd, () => times.shift() as string);
            expect([cmd.kind, statusA]).toEqual([cmd.kind, statusControl]);
          }
          expect(await observe(a)).toEqual(await observe(control));
          await assertForeignIdsUnknown(a, b);
          await assertForeignIdsUnknown(b, a);
        },
      ),
      { numRuns: 5 },
    );
  });

  it('documents X-Namespace on every scoped /v1 operation, as one shared parameter', async () => {
    const doc = (await request(testApp.app).get('/openapi.json').expect(200)).body;
    expect(doc.components.parameters.Namespace).toMatchObject({ name: 'X-Namespace', in: 'header', required: false });
    expect(doc.info.description).toMatch(/X-Namespace/);
    const operations = Object.entries(doc.paths as Record<string, Record<string, { parameters?: { $ref?: string }[] }>>)
      .filter(([path]) => path.startsWith('/v1/') && path !== '/v1/health')
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ at: `${method} ${path}`, operation })));
    expect(operations.length).toBeGreaterThan(20);
    for (const { at, operation } of operations) {
      expect([at, operation.parameters?.filter((p) => p.$ref === '#/components/parameters/Namespace').length]).toEqual([at, 1]);
    }
  });

  it('a malformed X-Namespace is a 400 naming the header, on /v1 and /mcp alike', async () => {
    for (const bad of ['', 'has space', 'x'.repeat(65), 'semi;colon', 'ünicode']) {
      const res = await request(testApp.app).get('/v1/events').set('X-Namespace', bad);
      expect([bad, res.status, res.body.error?.details?.field]).toEqual([bad, 400, 'X-Namespace']);
    }
    const mcp = await request(testApp.app)
      .post('/mcp')
      .set('X-Namespace', 'no/slash')
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(mcp.status).toBe(400);
  });
});
