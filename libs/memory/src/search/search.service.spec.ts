import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  isCitusDatabase,
  localSettings,
  queryRows,
  runPartitionMaintenance,
  transactionSettings,
  type Database,
  type DatabaseExecutor,
} from '@mnemolite/db';
import { testEngineName, type TestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { EventsService } from '../events/events.service';
import { searchRequestSchema, type SearchRequest, type SearchResponse } from '../schemas/search.schemas';
import { createMemoryTestDb } from '../testing';
import { CONTEXT, vectorSearchSql } from './search-sql';
import { SearchService } from './search.service';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

const engine = testEngineName();
const embedder = new HashEmbedder(768);

function request(body: Record<string, unknown>): SearchRequest {
  return searchRequestSchema.parse(body);
}

describe(`SearchService (${engine})`, () => {
  let database: TestDb;
  let events: EventsService;
  let search: SearchService;

  beforeAll(async () => {
    database = await createMemoryTestDb();
    events = new EventsService({ db: database.db, textEmbedder: embedder });
    search = new SearchService({ db: database.db, textEmbedder: embedder });
  });
  afterAll(async () => {
    await database.close();
  });

  describe('ranking', () => {
    const tag = randomUUID();
    beforeAll(async () => {
      await events.createMany(NS, [
        { content: { text: 'the black cat sat on the warm mat by the fire' }, metadata: { tag, kind: 'cat' } },
        { content: { text: 'quarterly revenue exceeded the board projections' }, metadata: { tag, kind: 'finance' } },
        { content: { text: 'deploy the service to the staging cluster tonight' }, metadata: { tag, kind: 'ops' } },
        { content: { text: 'the orchestra tuned while a xylophone rang out' }, metadata: { tag, kind: 'music' } },
        { content: { text: 'the orchestra tuned while the violins rang out' }, metadata: { tag, kind: 'music2' } },
        { content: { text: 'the orchestra played while the drums rang out' }, metadata: { tag, kind: 'music3' } },
      ]);
    });

    it('vector search ranks a paraphrase above unrelated text, scores in 0..1', async () => {
      const res = await search.search(NS, request({ query: 'a black cat sitting on a mat', mode: 'vector', metadata: { tag } }));
      expect(res.mode).toBe('vector');
      expect(res.results[0].event.metadata['kind']).toBe('cat');
      expect(res.results).toHaveLength(6);
      for (const result of res.results) {
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
        expect(result.scores).toEqual({ vector: result.score });
      }
      const scores = res.results.map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(res.results[0].score).toBeGreaterThan(res.results[1].score);
      expect(res.took_ms).toBeGreaterThanOrEqual(0);
    });

    it('a given vector is compared as is', async () => {
      const vector = Array.from(embedder.embedOne('quarterly revenue exceeded the board projections'));
      const res = await search.search(NS, request({ vector, metadata: { tag }, limit: 1 }));
      expect(res.mode).toBe('vector');
      expect(res.results[0].event.metadata['kind']).toBe('finance');
      expect(res.results[0].score).toBeCloseTo(1, 5);
    });

    it('hybrid search ranks the event with a rare exact word first', async () => {
      const res = await search.search(NS, request({ query: 'xylophone', metadata: { tag } }));
      expect(res.mode).toBe('hybrid');
      expect(res.results[0].event.metadata['kind']).toBe('music');
      expect(res.results[0].scores.lexical).toBeGreaterThan(0);
      expect(res.results[0].scores.vector).toBeGreaterThan(0);
      expect(res.results[0].score).toBeGreaterThan(res.results[1].score);
      // First on both sides, without matching neighbors: the fused score before context, 1, over 1 + weight.
      expect(res.results[0].score).toBeCloseTo(1 / (1 + CONTEXT.weight), 10);
      for (const result of res.results) expect(result.score).toBeLessThanOrEqual(1);
    });

    it('with the hash embedder, hybrid rescores the lexical candidates when they fill the re-ranked rows', async () => {
      const harbor = randomUUID();
      await events.createMany(
        NS,
        Array.from({ length: CONTEXT.rerank + 10 }, (_, i) => ({
          content: { text: i % 2 === 0 ? `harbor lights ${i} over the bay` : `harbor fog number ${i} at dawn` },
          metadata: { tag: harbor },
        })).concat(Array.from({ length: 20 }, (_, i) => ({ content: { text: `harbour walls ${i}` }, metadata: { tag: harbor } }))),
      );
      const walking = new SearchService({ db: database.db, textEmbedder: embedder, hybridVectorSide: 'index' });
      const scores = (response: SearchResponse) => response.results.map((result) => [result.event.id, result.score, result.scores]);
      // Filtered (one statement that decides) and unfiltered (prepared; no other test event says "harbor").
      for (const filters of [{ metadata: { tag: harbor } }, {}]) {
        const res = await search.search(NS, request({ query: 'harbor lights', ...filters, limit: 20 }));
        expect(res.results).toHaveLength(20);
        for (const result of res.results) expect(result.scores.lexical).toBeGreaterThan(0);
        // The walk's candidates (the "harbour" events among them, by shared n-grams) set the vector side's
        // range there, so its scores differ: these were rescored.
        const walked = await walking.search(NS, request({ query: 'harbor lights', ...filters, limit: 20 }));
        expect(walked.results.length).toBe(20);
        expect(scores(res)).not.toEqual(scores(walked));
      }
      const walked = await walking.search(NS, request({ query: 'harbor', metadata: { tag: harbor }, limit: 100 }));
      expect(walked.results.some((result) => result.scores.lexical === undefined)).toBe(true);
      const rescored = await search.search(NS, request({ query: 'harbor', metadata: { tag: harbor }, limit: 100 }));
      // A page deeper than the lexical candidates: the walk, so the page is as full as before.
      expect(scores(rescored)).toEqual(scores(walked));
    });

    it('when no event holds a query word, hybrid walks the graphs', async () => {
      const res = await search.search(NS, request({ query: 'xylophonist', metadata: { tag } }));
      expect(res.mode).toBe('hybrid');
      expect(res.results.length).toBeGreaterThan(0);
      for (const result of res.results) {
        expect(result.scores.lexical).toBeUndefined();
        expect(result.scores.vector).toBeGreaterThan(0);
      }
      const walking = new SearchService({ db: database.db, textEmbedder: embedder, hybridVectorSide: 'index' });
      const walked = await walking.search(NS, request({ query: 'xylophonist', metadata: { tag } }));
      expect(res.results.map((result) => result.event.id)).toEqual(walked.results.map((result) => result.event.id));
    });

    it('lexical search matches words, scores in 0..1, and honours min_score', async () => {
      const res = await search.search(NS, request({ query: 'orchestra rang', mode: 'lexical', metadata: { tag } }));
      expect(res.mode).toBe('lexical');
      expect(res.results.map((r) => r.event.metadata['kind']).sort()).toEqual(['music', 'music2', 'music3']);
      for (const result of res.results) {
        expect(result.score).toBeGreaterThan(0);
        expect(result.score).toBeLessThan(1);
        expect(result.scores.lexical).toBeGreaterThan(0);
        expect(result.scores.lexical).toBeLessThan(1);
      }
      const none = await search.search(NS, request({ query: 'orchestra', mode: 'lexical', metadata: { tag }, min_score: 0.99 }));
      expect(none.results).toEqual([]);
      expect(none.total).toBe(0);
    });

    it('limit and offset page through ranked results', async () => {
      const all = await search.search(NS, request({ query: 'the orchestra', mode: 'vector', metadata: { tag } }));
      const page = await search.search(NS, request({ query: 'the orchestra', mode: 'vector', metadata: { tag }, limit: 2, offset: 1 }));
      expect(page.results.map((r) => r.event.id)).toEqual(all.results.slice(1, 3).map((r) => r.event.id));
    });

    it('without query or vector it is a filter-only listing, newest first, score 1', async () => {
      const res = await search.search(NS, request({ metadata: { tag }, limit: 4 }));
      expect(res.mode).toBe('filter');
      expect(res.total).toBe(6);
      expect(res.results).toHaveLength(4);
      expect(res.results.every((r) => r.score === 1)).toBe(true);
    });

    it('a lexical search needs a query, and vectors must have the model dimension', async () => {
      await expect(search.search(NS, request({ vector: [1, 2], mode: 'lexical' }))).rejects.toMatchObject({ code: 'validation_error' });
      await expect(search.search(NS, request({ vector: [1, 2] }))).rejects.toMatchObject({ code: 'validation_error' });
    });
  });

  it('compares only vectors of the current model; other rows are still found lexically', async () => {
    const tag = randomUUID();
    const [current, other] = await events.createMany(NS, [
      { content: { text: 'zebra crossing near the school' }, metadata: { tag } },
      { content: { text: 'zebra crossing near the school' }, metadata: { tag } },
    ]);
    await database.db.execute(sql`update events set embedding_model = 'another-model' where id = ${other}::uuid`);
    const vector = await search.search(NS, request({ query: 'zebra crossing', mode: 'vector', metadata: { tag } }));
    expect(vector.results.map((r) => r.event.id)).toEqual([current]);
    const lexical = await search.search(NS, request({ query: 'zebra crossing', mode: 'lexical', metadata: { tag } }));
    expect(lexical.results.map((r) => r.event.id).sort()).toEqual([current, other].sort());
    const hybrid = await search.search(NS, request({ query: 'zebra crossing', metadata: { tag } }));
    expect(hybrid.results.map((r) => r.event.id)).toEqual([current, other]);
    expect(hybrid.results[1].scores.vector).toBeUndefined();
  });

  it('an event whose text is stop words only (a vector of no feature, no cosine) leaves every hybrid score a number', async () => {
    const tag = randomUUID();
    await events.createMany(NS, [
      { content: { speaker: 'Gina', text: 'it is what it is' }, metadata: { tag, kind: 'stop-words' } },
      { content: { speaker: 'Gina', text: 'lost her job at the furniture store' }, metadata: { tag, kind: 'job' } },
      { content: { speaker: 'Jon', text: 'opened a dance studio downtown' }, metadata: { tag, kind: 'studio' } },
    ]);
    for (const hybridVectorSide of ['lexical', 'index'] as const) {
      const service = new SearchService({ db: database.db, textEmbedder: embedder, hybridVectorSide });
      const res = await service.search(NS, request({ query: 'Gina job', metadata: { tag } }));
      expect(res.results[0].event.metadata['kind']).toBe('job');
      const stopWords = res.results.find((result) => result.event.metadata['kind'] === 'stop-words');
      expect(stopWords).toBeDefined();
      expect(stopWords?.scores.vector).toBeUndefined();
      for (const result of res.results) {
        expect(Number.isFinite(result.score)).toBe(true);
        for (const score of Object.values(result.scores)) expect(Number.isFinite(score)).toBe(true);
      }
    }
  });

  it('time filters apply before ranking, bounds inclusive', async () => {
    const tag = randomUUID();
    await events.createMany(NS, [
      { content: { text: 'alpha report' }, metadata: { tag }, timestamp: '2025-01-10T00:00:00.000Z' },
      { content: { text: 'alpha report' }, metadata: { tag }, timestamp: '2025-02-10T00:00:00.000Z' },
      { content: { text: 'alpha report' }, metadata: { tag }, timestamp: '2025-03-10T00:00:00.000Z' },
    ]);
    for (const mode of ['vector', 'lexical', 'hybrid'] as const) {
      const res = await search.search(
        NS,
        request({ query: 'alpha report', mode, metadata: { tag }, ts_start: '2025-02-10T00:00:00.000Z', ts_end: '2025-03-10T00:00:00Z' }),
      );
      expect(res.results.map((r) => r.event.timestamp).sort()).toEqual(['2025-02-10T00:00:00.000Z', '2025-03-10T00:00:00.000Z']);
    }
  });

  describe('a 1% metadata filter over 10k events', () => {
    const tag = randomUUID();
    const words = ['river', 'stone', 'cloud', 'engine', 'garden', 'signal', 'paper', 'window', 'forest', 'copper', 'harbor', 'lantern'];
    beforeAll(async () => {
      // Loaded as a bulk load is: the HNSW index is built once afterwards (same name and definition
      // as the migration's) instead of 10k incremental inserts, which take minutes in WASM.
      await database.db.execute(sql`DROP INDEX events_embedding_hnsw_idx`);
      for (let batch = 0; batch < 10; batch++) {
        await events.createMany(
          NS,
          Array.from({ length: 1000 }, (_, j) => {
            const i = batch * 1000 + j;
            const text = `${words[i % 12]} ${words[(i * 7) % 12]} ${words[(i * 5 + 3) % 12]} note ${i}`;
            return { content: { text }, metadata: { tag, bucket: i % 100, group: { parity: i % 2 } } };
          }),
        );
      }
      await database.db.execute(sql`CREATE INDEX events_embedding_hnsw_idx ON events USING hnsw (embedding vector_cosine_ops)`);
      await database.db.execute(sql`ANALYZE events`);
    }, 600_000);

    it('returns `limit` results whose metadata all match, in every mode', async () => {
      for (const mode of ['vector', 'hybrid', 'lexical'] as const) {
        // websearch_to_tsquery ANDs words: the lexical query uses a word every event has.
        const query = mode === 'lexical' ? 'note' : 'river stone note';
        const res = await search.search(NS, request({ query, mode, metadata: { tag, bucket: 7 }, limit: 10 }));
        expect(res.results).toHaveLength(10);
        for (const result of res.results) expect(result.event.metadata).toMatchObject({ tag, bucket: 7 });
      }
      const nested = await search.search(
        NS,
        request({ query: 'garden', mode: 'vector', metadata: { bucket: 42, group: { parity: 0 } }, limit: 10 }),
      );
      expect(nested.results).toHaveLength(10);
      for (const result of nested.results) expect(result.event.metadata).toMatchObject({ bucket: 42, group: { parity: 0 } });
    });

    it('still returns them when the plan must walk the HNSW index (iterative scan)', async () => {
      // Forbid the exact plans so that the filtered query has to go through the HNSW index: without
      // iterative scans it would stop after ef_search candidates and return fewer than 10 rows.
      const vector = embedder.embedOne('river stone note');
      const filteredQuery = vectorSearchSql({
        namespace: NS,
        vector,
        model: embedder.modelId,
        filters: { metadata: { tag, bucket: 7 } },
        limit: 10,
        offset: 0,
      });
      const rows = await database.db.transaction(async (tx) => {
        // localSettings: on Citus these must reach the worker that plans and runs the query.
        const settings = localSettings(database.db, {
          enable_seqscan: 'off',
          enable_bitmapscan: 'off',
          enable_sort: 'off',
          'hnsw.iterative_scan': 'relaxed_order',
          'hnsw.ef_search': 40,
        });
        for (const statement of settings) await tx.execute(statement);
        const plan = await queryRows<Record<string, string>>(tx, sql`explain ${filteredQuery}`);
        const text = plan.map((row) => Object.values(row)[0]).join('\n');
        expect(/Index Scan using \S+_embedding_idx/.test(text)).toBe(true);
        return queryRows<{ metadata: { bucket: number } }>(tx, filteredQuery);
      });
      expect(rows).toHaveLength(10);
      expect(rows.every((row) => row.metadata.bucket === 7)).toBe(true);

      if (isCitusDatabase(database.db)) {
        // The control on Citus: the HNSW settings set with set_config() (what reaches only the
        // coordinator) leave the worker at ef_search 40 without iterative scan: a short page.
        const short = await database.db.transaction(async (tx) => {
          for (const statement of transactionSettings({ enable_seqscan: 'off', enable_bitmapscan: 'off', enable_sort: 'off' })) {
            await tx.execute(statement);
          }
          await tx.execute(sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '40', true)`);
          return queryRows<{ id: string }>(tx, filteredQuery);
        });
        expect(short.length).toBeLessThan(10);
      }
    });
  });

  describe('partition pruning', () => {
    beforeAll(async () => {
      // Back-dated rows land in the default partition; maintenance moves them into monthly ones.
      await events.createMany(NS, [
        { content: { text: 'pruned march' }, timestamp: '2024-03-15T00:00:00.000Z' },
        { content: { text: 'pruned april' }, timestamp: '2024-04-15T00:00:00.000Z' },
      ]);
      await runPartitionMaintenance(database.db, { premakeMonths: 1, retentionMonths: null });
    });

    it('a one-month window scans only that month', async () => {
      const query = vectorSearchSql({
        namespace: NS,
        vector: embedder.embedOne('pruned'),
        model: embedder.modelId,
        filters: { ts_start: '2024-03-01T00:00:00.000Z', ts_end: '2024-03-31T23:59:59.999Z' },
        limit: 10,
        offset: 0,
      });
      const plan = (await queryRows<Record<string, string>>(database.db, sql`explain ${query}`))
        .map((row) => Object.values(row)[0])
        .join('\n');
      expect(plan).toContain('events_p2024_03');
      expect(plan).not.toContain('events_p2024_04');
      expect(plan).not.toContain('events_default');
      const res = await search.search(
        NS,
        request({ query: 'pruned', mode: 'vector', ts_start: '2024-03-01T00:00:00.000Z', ts_end: '2024-03-31T23:59:59.999Z' }),
      );
      expect(res.results.map((r) => r.event.content['text'])).toEqual(['pruned march']);
    });

    it('runs unfiltered lexical and rescoring hybrid searches prepared; filtered and graph-walking ones unnamed', async () => {
      const window = { ts_start: '2024-03-01T00:00:00.000Z', ts_end: '2024-03-31T23:59:59.999Z' };
      const metadata = { kind: 'march' };
      const searchEveryKind = async (service: SearchService) => {
        for (const mode of ['vector', 'lexical', 'hybrid']) {
          await service.search(NS, request({ query: 'pruned', mode }));
          await service.search(NS, request({ query: 'pruned', mode, ...window }));
          await service.search(NS, request({ query: 'pruned', mode, metadata }));
        }
      };
      const listPrepared = (executor: DatabaseExecutor) =>
        queryRows<{ statement: string }>(executor, sql`select statement from pg_prepared_statements where name like 'mnemolite\_%'`);
      const prepared =
        engine === 'postgres'
          ? await database.db.transaction(async (tx) => {
              // The service on the transaction: every statement on this one connection, whose prepared
              // statements are then listed (savepoints stand in for the service's own transactions).
              await searchEveryKind(new SearchService({ db: tx as unknown as Database, textEmbedder: embedder }));
              return listPrepared(tx);
            })
          : // PGlite has one session, where statements are prepared outside transactions.
            await searchEveryKind(search).then(() => listPrepared(database.db));
      // The lexical search, the hybrid one rescoring its candidates, and the analysis of their words; no
      // filtered search and none that walks the HNSW graphs (vector search), here or in earlier tests.
      expect(prepared.length).toBeGreaterThanOrEqual(3);
      expect(prepared.some(({ statement }) => statement.includes('from lexical_side l'))).toBe(true);
      for (const { statement } of prepared) {
        expect(statement).not.toMatch(/e\."timestamp" [<>]= \$\d+::timestamptz/);
        expect(statement).not.toMatch(/e\.metadata @> \$\d+::jsonb/);
        expect(statement).not.toMatch(/order by e\.embedding <=>/);
      }
    });
  });
});
