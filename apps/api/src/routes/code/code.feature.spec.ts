import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { testEngineName } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { createCodeFeature, type CodeFeature } from './code.feature';

const engine = testEngineName();
const MiB = 1024 * 1024;

function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

const files = [
  {
    path: 'src/users.ts',
    content:
      'export function getUserById(id: string) {\n  return lookupUser(id);\n}\n\nfunction lookupUser(id: string) {\n  return { id };\n}\n',
  },
  {
    path: 'src/orders.ts',
    content: "import { getUserById } from './users';\n\nexport function placeOrder(id: string) {\n  return getUserById(id);\n}\n",
  },
  { path: 'lib/tax.py', content: 'def compute_tax(amount):\n    """Tax owed on an amount."""\n    return amount * 0.2\n' },
];

describe(`code routes (${engine})`, () => {
  let testApp: TestApp;
  let feature: CodeFeature | undefined;
  let app: Express;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'code-root-'));
    outside = mkdtempSync(join(tmpdir(), 'code-outside-'));
    mkdirSync(join(root, 'repo'));
    writeFileSync(join(root, 'repo', 'main.go'), 'package main\n\nfunc main() {\n\trun()\n}\n\nfunc run() {}\n');
    writeFileSync(join(outside, 'secret.py'), 'def secret():\n    pass\n');
    symlinkSync(outside, join(root, 'escape'));
    const embedder = new HashEmbedder(768);
    testApp = await createTestApp({
      features: (db) => {
        feature = createCodeFeature({ database: db, indexRoots: [root], textEmbedder: embedder, codeEmbedder: embedder });
        return [feature];
      },
    });
    app = testApp.app;
  });

  afterAll(async () => {
    await feature?.close();
    await testApp.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  describe('POST /v1/code/index', () => {
    it('indexes a batch, then finds it unchanged', async () => {
      const first = await request(app).post('/v1/code/index').send({ repository: 'shop', files }).expect(201);
      expect(first.body).toMatchObject({ repository: 'shop', files_indexed: 3, files_unchanged: 0, files_failed: 0, errors: [] });
      expect(first.body.chunks).toBe(4);
      expect(first.body.nodes).toBe(7);
      expect(first.body.took_ms).toEqual(expect.any(Number));
      const again = await request(app).post('/v1/code/index').send({ repository: 'shop', files }).expect(201);
      expect(again.body).toMatchObject({ files_indexed: 0, files_unchanged: 3, chunks: 0, nodes: 0, edges: 0 });
    });

    it('rejects empty and over-long batches, bad types and both/neither of files and path', async () => {
      expectError(await request(app).post('/v1/code/index').send({ repository: 'x', files: [] }), 400, 'validation_error');
      const many = Array.from({ length: 501 }, (_, i) => ({ path: `f${i}.py`, content: 'x = 1\n' }));
      expectError(await request(app).post('/v1/code/index').send({ repository: 'x', files: many }), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/index').send({ files }), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/index').send({ repository: 'x' }), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/index').send({ repository: 'x', files, path: root }), 400, 'validation_error');
      expectError(
        await request(app)
          .post('/v1/code/index')
          .send({ repository: 'x', files: [{ path: 'a.py', content: 42 }] }),
        400,
        'validation_error',
      );
      expectError(await request(app).post('/v1/code/index').send({ repository: '', files }), 400, 'validation_error');
      expectError(
        await request(app).post('/v1/code/index').set('Content-Type', 'application/json').send('{"repository":'),
        400,
        'validation_error',
      );
    });

    it('rejects a file over 1 MiB with a 400 naming the file', async () => {
      const big = { path: 'src/huge.js', content: `// ${'x'.repeat(MiB)}\n` };
      const res = await request(app)
        .post('/v1/code/index')
        .send({ repository: 'x', files: [files[0], big] });
      expectError(res, 400, 'validation_error');
      expect(res.body.error.message).toContain('src/huge.js');
    });

    it('reports binary content and syntax errors per file', async () => {
      const res = await request(app)
        .post('/v1/code/index')
        .send({
          repository: 'mixed',
          files: [
            { path: 'logo.png', content: '\u0089PNG\r\n\u001a\n\u0000\u0000' },
            { path: 'broken.py', content: 'def ok():\n    return 1\n\ndef broken(:\n    pass\n' },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({ files_indexed: 1, files_failed: 1 });
      expect(res.body.errors).toEqual([
        { path: 'logo.png', error: expect.stringContaining('binary') },
        { path: 'broken.py', error: expect.stringContaining('syntax error') },
      ]);
    });

    it('indexes a directory inside CODE_INDEX_ROOTS and refuses escapes with 403', async () => {
      const ok = await request(app)
        .post('/v1/code/index')
        .send({ repository: 'go-repo', path: join(root, 'repo') })
        .expect(201);
      expect(ok.body).toMatchObject({ files_indexed: 1, chunks: 2 });
      expectError(await request(app).post('/v1/code/index').send({ repository: 'x', path: outside }), 403, 'forbidden');
      expectError(
        await request(app)
          .post('/v1/code/index')
          .send({ repository: 'x', path: `${root}/repo/../../` }),
        403,
        'forbidden',
      );
      expectError(
        await request(app)
          .post('/v1/code/index')
          .send({ repository: 'x', path: join(root, 'escape') }),
        403,
        'forbidden',
      );
      expectError(await request(app).post('/v1/code/index').send({ repository: 'x', path: 'relative/dir' }), 400, 'validation_error');
      expectError(
        await request(app)
          .post('/v1/code/index')
          .send({ repository: 'x', path: join(root, 'missing') }),
        404,
        'not_found',
      );
    });
  });

  describe('search', () => {
    it('ranks the exact name first in every mode, with scores in 0..1', async () => {
      for (const mode of ['lexical', 'hybrid', 'vector']) {
        const res = await request(app).post('/v1/code/search').send({ query: 'getUserById', mode, repository: 'shop' }).expect(200);
        expect(res.body.results[0].chunk).toMatchObject({ name: 'getUserById', file_path: 'src/users.ts', start_line: 1, end_line: 3 });
        expect(res.body.results[0].chunk.source).toContain('lookupUser(id)');
        for (const result of res.body.results) expect(result.score).toBeGreaterThanOrEqual(0);
        for (const result of res.body.results) expect(result.score).toBeLessThanOrEqual(1);
        expect(res.body.took_ms).toEqual(expect.any(Number));
      }
    });

    it('applies filters', async () => {
      const python = await request(app)
        .post('/v1/code/search')
        .send({ query: 'tax amount', language: 'python', repository: 'shop' })
        .expect(200);
      expect(python.body.results.map((r: { chunk: { name: string } }) => r.chunk.name)).toEqual(['compute_tax']);
      const typescript = await request(app)
        .post('/v1/code/search')
        .send({ query: 'tax amount', language: 'typescript', limit: 100 })
        .expect(200);
      expect(typescript.body.results.length).toBeGreaterThan(0);
      expect(typescript.body.results.every((r: { chunk: { language: string } }) => r.chunk.language === 'typescript')).toBe(true);
      const prefix = await request(app)
        .post('/v1/code/search')
        .send({ query: 'user', path_prefix: 'src/orders', mode: 'lexical' })
        .expect(200);
      expect(prefix.body.results.map((r: { chunk: { file_path: string } }) => r.chunk.file_path)).toEqual(['src/orders.ts']);
    });

    it('validates its input', async () => {
      expectError(await request(app).post('/v1/code/search').send({}), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/search').send({ query: 'x', limit: 0 }), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/search').send({ query: 'x', limit: 101 }), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/search').send({ query: 'x', mode: 'fuzzy' }), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/search').send({ query: 'x', chunk_type: 'variable' }), 400, 'validation_error');
      expectError(await request(app).post('/v1/code/search').set('Content-Type', 'text/plain').send('x'), 415, 'unsupported_media_type');
    });
  });

  describe('chunks and repositories', () => {
    it('lists chunks without source, by path then line, and pages them', async () => {
      const res = await request(app).get('/v1/code/chunks').query({ repository: 'shop', limit: 2 }).expect(200);
      expect(res.body).toMatchObject({ total: 4, limit: 2, offset: 0 });
      expect(res.body.items.map((c: { file_path: string; name: string }) => [c.file_path, c.name])).toEqual([
        ['lib/tax.py', 'compute_tax'],
        ['src/orders.ts', 'placeOrder'],
      ]);
      expect(res.body.items[0]).not.toHaveProperty('source');
      expect(res.body.items[0].metadata).toMatchObject({ complexity: 1, parameters: ['amount'] });
      const page2 = await request(app).get('/v1/code/chunks').query({ repository: 'shop', limit: 2, offset: 2 }).expect(200);
      expect(page2.body.items.map((c: { name: string }) => c.name)).toEqual(['getUserById', 'lookupUser']);
      const typed = await request(app).get('/v1/code/chunks').query({ repository: 'shop', language: 'python' }).expect(200);
      expect(typed.body.total).toBe(1);
    });

    it('gets one chunk with its source; 400 on a malformed id, 404 on an unknown one', async () => {
      const list = await request(app).get('/v1/code/chunks').query({ repository: 'shop', path: 'src/users.ts' }).expect(200);
      const chunk = await request(app).get(`/v1/code/chunks/${list.body.items[0].id}`).expect(200);
      expect(chunk.body).toMatchObject({ name: 'getUserById', repository: 'shop', chunk_type: 'function', language: 'typescript' });
      expect(chunk.body.source).toContain('function getUserById');
      expect(chunk.body.indexed_at).toMatch(/Z$/);
      expect(chunk.body.source_html).toBeUndefined();
      const highlighted = await request(app).get(`/v1/code/chunks/${list.body.items[0].id}`).query({ highlight: 'true' }).expect(200);
      expect(highlighted.body.source_html).toContain('<span class="hljs-keyword">function</span>');
      expectError(await request(app).get(`/v1/code/chunks/${list.body.items[0].id}`).query({ highlight: 'yes' }), 400, 'validation_error');
      expectError(await request(app).get('/v1/code/chunks/not-a-uuid'), 400, 'validation_error');
      expectError(await request(app).get('/v1/code/chunks/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    });

    it('rejects bad listing parameters', async () => {
      expectError(await request(app).get('/v1/code/chunks'), 400, 'validation_error');
      expectError(await request(app).get('/v1/code/chunks').query({ repository: 'shop', limit: 0 }), 400, 'validation_error');
      expectError(await request(app).get('/v1/code/chunks').query({ repository: 'shop', limit: 1001 }), 400, 'validation_error');
      expectError(await request(app).get('/v1/code/chunks').query({ repository: 'shop', limit: 'ten' }), 400, 'validation_error');
      expectError(await request(app).get('/v1/code/chunks').query({ repository: 'shop', offset: -1 }), 400, 'validation_error');
      expectError(await request(app).get('/v1/code/chunks').query({ repository: "shop' OR '1'='1" }), 400, 'validation_error');
      const injection = await request(app).get('/v1/code/chunks').query({ repository: 'shop', path: "x' OR '1'='1" }).expect(200);
      expect(injection.body.total).toBe(0);
    });

    it('lists repositories and deletes one', async () => {
      const list = await request(app).get('/v1/code/repositories').expect(200);
      const shop = list.body.find((r: { repository: string }) => r.repository === 'shop');
      expect(shop).toMatchObject({ files: 3, chunks: 4, languages: { typescript: 2, python: 1 } });
      expect(shop.last_indexed_at).toMatch(/Z$/);
      const deleted = await request(app).delete('/v1/code/repositories/mixed').expect(200);
      expect(deleted.body).toMatchObject({ files: 1, chunks: 2, nodes: 3 });
      expectError(await request(app).delete('/v1/code/repositories/mixed'), 404, 'not_found');
    });
  });

  describe('graph', () => {
    it('answers callers, callees, path and stats', async () => {
      const callers = await request(app).get('/v1/code/graph/callers').query({ repository: 'shop', symbol: 'getUserById' }).expect(200);
      expect(callers.body.nodes).toEqual([expect.objectContaining({ label: 'placeOrder', type: 'function', depth: 1 })]);
      expect(callers.body.edges).toEqual([expect.objectContaining({ relation: 'calls' })]);
      const callees = await request(app)
        .get('/v1/code/graph/callees')
        .query({ repository: 'shop', symbol: 'placeOrder', depth: 2 })
        .expect(200);
      expect(callees.body.nodes.map((n: { label: string; depth: number }) => [n.label, n.depth])).toEqual([
        ['getUserById', 1],
        ['lookupUser', 2],
      ]);
      const path = await request(app)
        .get('/v1/code/graph/path')
        .query({ repository: 'shop', from: 'placeOrder', to: 'lookupUser' })
        .expect(200);
      expect(path.body.found).toBe(true);
      expect(path.body.nodes.map((n: { label: string }) => n.label)).toEqual(['placeOrder', 'getUserById', 'lookupUser']);
      const stats = await request(app).get('/v1/code/graph/stats').query({ repository: 'shop' }).expect(200);
      expect(stats.body).toMatchObject({
        nodes: { file: 3, function: 4 },
        edges: { contains: 4, calls: 2, imports: 1 },
        resolved_calls_ratio: 1,
      });
    });

    it('rejects bad graph queries', async () => {
      expectError(await request(app).get('/v1/code/graph/callers').query({ repository: 'shop' }), 400, 'validation_error');
      expectError(
        await request(app).get('/v1/code/graph/callers').query({ repository: 'shop', symbol: 'x', depth: 11 }),
        400,
        'validation_error',
      );
      expectError(
        await request(app).get('/v1/code/graph/callees').query({ repository: 'shop', symbol: 'x', depth: 0 }),
        400,
        'validation_error',
      );
      expectError(await request(app).get('/v1/code/graph/callees').query({ repository: 'shop', symbol: 'nothing' }), 404, 'not_found');
      expectError(
        await request(app).get('/v1/code/graph/path').query({ repository: 'shop', from: 'placeOrder', to: 'lookupUser', max_depth: 21 }),
        400,
        'validation_error',
      );
      expectError(await request(app).get('/v1/code/graph/stats').query({ repository: 'unknown-repo' }), 404, 'not_found');
    });
  });

  it('documents every code operation in the OpenAPI document', async () => {
    const res = await request(app).get('/openapi.json').expect(200);
    for (const path of [
      '/v1/code/index',
      '/v1/code/search',
      '/v1/code/chunks',
      '/v1/code/chunks/{id}',
      '/v1/code/repositories/{name}',
      '/v1/code/graph/path',
    ]) {
      expect(res.body.paths).toHaveProperty([path]);
    }
  });
});
