import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { sql } from 'drizzle-orm';
import { queryRows } from '@mnemolite/db';
import { createTestDb, testEngineName, type TestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { CodeIndexingService } from '../indexing/indexing.service';
import { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { FIXTURE_FILES } from '../testing/fixture-repository';
import type { CodeSearchMode } from '../schemas/search.schemas';
import { CodeSearchService } from './search.service';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

/** Near-misses around `getUserById`: similar names, and a body that repeats the name. */
const DISTRACTORS = {
  path: 'src/db/user-helpers.ts',
  content: `export function getUserByIdAsync(id: string) {
  return Promise.resolve(getUserById(id));
}

export function getUser(id: string) {
  return getUserById(id) ?? getUserById(id.trim()) ?? getUserById(id.toLowerCase());
}

export function userById(id: string) {
  // getUserById getUserById getUserById
  return getUserById(id);
}
`,
};

const OTHER_REPOSITORY = Array.from({ length: 30 }, (_, i) => ({
  path: `lib/user${i}.ts`,
  content: `export function loadUser${i}(user: string) {\n  return user;\n}\n`,
}));

describe(`CodeSearchService (${testEngineName()})`, () => {
  let database: TestDb;
  let runtime: TreeSitterRuntime;
  let search: CodeSearchService;
  const embedder = new HashEmbedder(768);

  beforeAll(async () => {
    database = await createTestDb();
    runtime = new TreeSitterRuntime();
    const indexer = new CodeIndexingService({ db: database.db, runtime, textEmbedder: embedder, codeEmbedder: embedder, indexRoots: [] });
    await indexer.indexFiles(NS, { repository: 'shop' }, [...FIXTURE_FILES, DISTRACTORS]);
    await indexer.indexFiles(NS, { repository: 'other' }, OTHER_REPOSITORY);
    search = new CodeSearchService({ db: database.db, codeEmbedder: embedder });
  });

  afterAll(async () => {
    await runtime.close();
    await database.close();
  });

  const top = async (query: string, mode: CodeSearchMode, extra: object = {}) =>
    (await search.search(NS, { query, mode, limit: 10, ...extra })).results.map((result) => result.chunk.qualified_name);

  it.each(['lexical', 'hybrid'] as const)('ranks the exact name first (%s)', async (mode) => {
    const results = await top('getUserById', mode);
    expect(results[0]).toBe('getUserById');
    expect(results).toEqual(expect.arrayContaining(['getUserByIdAsync', 'getUser', 'userById']));
    expect((await top('UserRepository.findAll', mode))[0]).toBe('UserRepository.findAll');
    expect((await top('compute_tax', mode))[0]).toBe('compute_tax');
  });

  it('finds identifiers from split words and scores within 0..1', async () => {
    const { results } = await search.search(NS, { query: 'format money', mode: 'lexical', limit: 5 });
    expect(results[0].chunk.name).toBe('formatMoney');
    for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
      const found = await search.search(NS, { query: 'format money amount', mode, limit: 20 });
      for (const result of found.results) {
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
      }
    }
    const hybrid = await search.search(NS, { query: 'getUserById', mode: 'hybrid', limit: 3 });
    expect(hybrid.results[0].scores).toEqual({ lexical: expect.any(Number), vector: expect.any(Number) });
  });

  it('applies filters before ranking, so a selective filter still fills the limit', async () => {
    const shopOnly = await search.search(NS, { query: 'user', mode: 'hybrid', repository: 'shop', limit: 3 });
    expect(shopOnly.results).toHaveLength(3);
    expect(shopOnly.results.every((result) => result.chunk.repository === 'shop')).toBe(true);
    const otherOnly = await search.search(NS, { query: 'user', mode: 'vector', repository: 'other', limit: 25 });
    expect(otherOnly.results).toHaveLength(25);
    expect(otherOnly.results.every((result) => result.chunk.repository === 'other')).toBe(true);

    const methods = await search.search(NS, { query: 'load', mode: 'lexical', chunk_type: 'method', limit: 50 });
    expect(methods.results.map((result) => result.chunk.qualified_name).sort()).toEqual(['UserRepository.findAll', 'UserRepository.load']);
    const python = await search.search(NS, { query: 'amount', mode: 'hybrid', language: 'python', limit: 50 });
    expect(new Set(python.results.map((result) => result.chunk.file_path))).toEqual(new Set(['billing/invoice.py', 'billing/tax.py']));
  });

  it('treats LIKE wildcards in path_prefix literally', async () => {
    const util = await search.search(NS, { query: 'helper', mode: 'lexical', path_prefix: 'src/util/', limit: 10 });
    expect(util.results.map((result) => result.chunk.file_path).sort()).toEqual(['src/util/format.ts', 'src/util/other.ts']);
    expect((await search.search(NS, { query: 'helper', mode: 'lexical', path_prefix: 'src/%', limit: 10 })).results).toEqual([]);
    expect((await search.search(NS, { query: 'helper', mode: 'lexical', path_prefix: 'src_util', limit: 10 })).results).toEqual([]);
  });

  it('compares only vectors of the current model; other rows stay findable lexically', async () => {
    await database.db.execute(sql`UPDATE code_chunks SET embedding_code_model = 'old-model' WHERE name = 'formatMoney'`);
    const vector = await top('formatMoney amount toFixed', 'vector', { limit: 100 });
    expect(vector).not.toContain('formatMoney');
    expect((await top('formatMoney', 'lexical'))[0]).toBe('formatMoney');
    expect((await top('formatMoney', 'hybrid'))[0]).toBe('formatMoney');
  });

  it('answers lexically, and says so, without a CODE embedder', async () => {
    const lexicalOnly = new CodeSearchService({ db: database.db });
    const { mode, results } = await lexicalOnly.search(NS, { query: 'getUserById', mode: 'hybrid', limit: 3 });
    expect(mode).toBe('lexical');
    expect(results[0].chunk.name).toBe('getUserById');
    expect(results[0].scores).toEqual({ lexical: expect.any(Number) });
  });

  it('is safe against SQL and tsquery syntax in the query', async () => {
    for (const query of ["'); DROP TABLE code_chunks; --", 'a & | ! ( :*', '%_\\']) {
      await expect(search.search(NS, { query, mode: 'hybrid', limit: 5 })).resolves.toBeDefined();
    }
    const [count] = await queryRows<{ n: string }>(database.db, sql`SELECT count(*) AS n FROM code_chunks`);
    expect(Number(count.n)).toBeGreaterThan(40);
  });
});
