import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { RequestHandler, Router } from 'express';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createLogger } from '@mnemolite/common';
import { testEngineName } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { createServiceBackend, TOOL_NAMES, type ServiceBackend } from '@mnemolite/mcp';
import { exerciseAllTools, writeSampleRepository, type RestProbe } from '@mnemolite/mcp/testing';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { createCodeFeature, type CodeFeature } from '../code/code.feature';
import { createMemoryFeature } from '../memory/memory.feature';
import { mcpRoutes } from './mcp.routes';

const engine = testEngineName();
const API_KEY = 'mcp-test-key-0123456789';

describe(`MCP over Streamable HTTP at /mcp (${engine})`, () => {
  let testApp: TestApp;
  let code: CodeFeature | undefined;
  let backend: ServiceBackend | undefined;
  let server: Server;
  let url: URL;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mcp-http-root-'));
    writeSampleRepository(join(root, 'sample'));
    const embedder = new HashEmbedder(768);
    let router: Router | undefined;
    const mcp: RequestHandler = (req, res, next) => (router as Router)(req, res, next);
    testApp = await createTestApp({
      config: { apiKey: API_KEY },
      mcp,
      features: (database) => {
        code = createCodeFeature({ database, indexRoots: [root], textEmbedder: embedder, codeEmbedder: embedder });
        backend = createServiceBackend({ database, indexRoots: [root], textEmbedder: embedder, codeEmbedder: embedder, version: 'test' });
        router = mcpRoutes({ backend, version: 'test', logger: createLogger({ level: 'silent', name: 'api' }) });
        return [createMemoryFeature({ db: database.db, textEmbedder: embedder, workerAvailable: async () => false }), code];
      },
    });
    server = createServer(testApp.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await backend?.close();
    await code?.close();
    await testApp.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function connect(headers: Record<string, string>): Promise<Client> {
    const client = new Client({ name: 'mcp-routes-spec', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
    return client;
  }

  const rest: RestProbe = async (method, path, body) => {
    const req = request(testApp.app)
      [method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path)
      .set('Authorization', `Bearer ${API_KEY}`);
    const res = body === undefined ? await req : await req.send(body as object);
    return { status: res.status, body: res.body };
  };

  it('lists every tool and runs each one, with effects visible through the REST API', async () => {
    const client = await connect({ Authorization: `Bearer ${API_KEY}` });
    try {
      const called = await exerciseAllTools(client, rest, { directory: join(root, 'sample') });
      expect([...called].sort()).toEqual([...TOOL_NAMES].sort());
    } finally {
      await client.close();
    }
  });

  it('accepts the key as X-API-Key too, like /v1', async () => {
    const client = await connect({ 'X-API-Key': API_KEY });
    try {
      expect((await client.listTools()).tools).toHaveLength(TOOL_NAMES.length);
    } finally {
      await client.close();
    }
  });

  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
  };

  it('answers 401 without a key, or with a wrong one, as /v1 does', async () => {
    const missing = await request(testApp.app).post('/mcp').set('Accept', 'application/json, text/event-stream').send(initialize);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const wrong = await request(testApp.app)
      .post('/mcp')
      .set('Authorization', 'Bearer not-the-key-at-all-123')
      .set('Accept', 'application/json, text/event-stream')
      .send(initialize);
    expect(wrong.status).toBe(401);
    await expect(connect({ Authorization: 'Bearer not-the-key-at-all-123' })).rejects.toThrow(/401|unauthorized/i);
  });

  it('lets a read key list every tool and call read-only ones; a write tool is a tool error naming the role', async () => {
    const created = await request(testApp.app)
      .post('/v1/admin/keys')
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({ name: 'mcp-reader', role: 'read', namespaces: ['*'] });
    expect(created.status).toBe(201);
    const client = await connect({ Authorization: `Bearer ${created.body.key}` });
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(TOOL_NAMES.length);
      const search = await client.callTool({ name: 'memory_search', arguments: { query: 'anything' } });
      expect(search.isError).toBeFalsy();
      const health = await client.callTool({ name: 'health', arguments: {} });
      expect(health.isError).toBeFalsy();
      const before = (await rest('GET', '/v1/events?limit=100')).body.total;
      const write = await client.callTool({ name: 'memory_write', arguments: { text: 'must not be stored' } });
      expect(write.isError).toBe(true);
      expect((write.content as { text: string }[])[0].text).toMatch(/memory_write.*"mcp-reader" has role read.*needs role write/);
      expect((await rest('GET', '/v1/events?limit=100')).body.total).toBe(before);
      // Every tool not marked read-only is refused the same way (with valid arguments: those are checked first).
      const id = '00000000-0000-4000-8000-000000000000';
      const writeCalls: Record<string, Record<string, unknown>> = {
        memory_write: { text: 'no' },
        memory_write_many: { memories: [{ text: 'no' }] },
        memory_update_metadata: { id, metadata: { a: 1 } },
        memory_delete: { id },
        graph_create_node: { type: 'person', label: 'no' },
        graph_link: { source: id, target: id, relation: 'knows' },
        code_index: { repository: 'no', files: [{ path: 'a.ts', content: 'export const a = 1;\n' }] },
        code_delete_repository: { repository: 'no' },
      };
      const writeTools = tools.filter((candidate) => candidate.annotations?.readOnlyHint !== true).map((tool) => tool.name);
      expect(writeTools.sort()).toEqual(Object.keys(writeCalls).sort());
      for (const [name, args] of Object.entries(writeCalls)) {
        const result = await client.callTool({ name, arguments: args });
        const tool = { name };
        expect([tool.name, result.isError]).toEqual([tool.name, true]);
        expect((result.content as { text: string }[])[0].text).toContain('has role read');
      }
    } finally {
      await client.close();
    }
    // Revoked: the next connection is refused at once.
    await request(testApp.app).delete(`/v1/admin/keys/${created.body.id}`).set('Authorization', `Bearer ${API_KEY}`).expect(204);
    await expect(connect({ Authorization: `Bearer ${created.body.key}` })).rejects.toThrow(/401|unauthorized|revoked/i);
  });

  it('answers 405 to GET (stateless: no server-initiated stream) and 503 before the service is ready', async () => {
    const get = await request(testApp.app).get('/mcp').set('Authorization', `Bearer ${API_KEY}`).set('Accept', 'text/event-stream');
    expect(get.status).toBe(405);
    testApp.state.markNotReady('migrating');
    try {
      const res = await request(testApp.app)
        .post('/mcp')
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('Accept', 'application/json, text/event-stream')
        .send(initialize);
      expect(res.status).toBe(503);
    } finally {
      testApp.state.markReady();
    }
  });
});
