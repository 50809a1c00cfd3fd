import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { resolve } from 'node:path';
import { createTestDb, testEngineName, type TestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { CodeIndexingService } from '../indexing/indexing.service';
import { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { CodeSearchService, queryWords } from './search.service';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

/** This repository's own libraries: a real tree of a few hundred files. */
const LIBS = resolve(__dirname, '..', '..', '..');

describe(`code search answers questions in plain words (${testEngineName()})`, () => {
  let database: TestDb;
  let search: CodeSearchService;
  const embedder = new HashEmbedder(768);

  beforeAll(async () => {
    database = await createTestDb();
    const indexer = new CodeIndexingService({
      db: database.db,
      runtime: new TreeSitterRuntime(),
      textEmbedder: embedder,
      codeEmbedder: embedder,
      indexRoots: [LIBS],
    });
    const report = await indexer.indexDirectory(NS, { repository: 'mnemolite-libs' }, LIBS);
    expect(report.files_indexed).toBeGreaterThan(100);
    search = new CodeSearchService({ db: database.db, codeEmbedder: embedder });
  }, 300_000);
  afterAll(async () => {
    await database?.close();
  });

  it('drops stop words and adds stems to the words as written', () => {
    expect(queryWords('where are failed jobs retried')).toEqual(['failed', 'jobs', 'retried', 'fail', 'job', 'retri']);
    expect(queryWords('getUserById')).toEqual(['get', 'user', 'id']);
    expect(queryWords('where is it')).toEqual(['where', 'is', 'it']);
  });

  it.each(['lexical', 'hybrid'] as const)('"where are failed jobs retried" finds failJob in the top 5 (%s)', async (mode) => {
    const { results } = await search.search(NS, { query: 'where are failed jobs retried', mode, limit: 5 });
    const found = results.map((result) => `${result.chunk.file_path}#${result.chunk.name}`);
    expect(found).toContain('db/src/queue.ts#failJob');
  });
});
