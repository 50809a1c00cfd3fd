import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { applyTextSearchConfig, queryRows, runPartitionMaintenance } from '@mnemolite/db';
import { testEngineName, type TestDb } from '@mnemolite/db/testing';
import { analyseEnglish, HashEmbedder } from '@mnemolite/embeddings';
import { EventsService } from '../events/events.service';
import { searchRequestSchema } from '../schemas/search.schemas';
import { createMemoryTestDb } from '../testing';
import { analyseLexicalQuery, idf } from './bm25';
import { SearchService } from './search.service';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

const engine = testEngineName();
const embedder = new HashEmbedder(768);

/** The statistics the triggers keep, and the same counted from scratch, per namespace. */
async function statsNowAndRecounted(database: TestDb) {
  const kept = await queryRows<{ namespace: string; lexeme: string; df: number }>(
    database.db,
    sql`select namespace, lexeme, sum(df)::int as df from lexeme_stats group by namespace, lexeme having sum(df) <> 0
         order by namespace, lexeme`,
  );
  const recounted = await queryRows<{ namespace: string; lexeme: string; df: number }>(
    database.db,
    sql`select e.namespace, u.lexeme, count(*)::int as df from events e, unnest(e.search_text) u
         group by e.namespace, u.lexeme order by e.namespace, u.lexeme`,
  );
  // search_length (BM25's document length, kept by the write trigger) must equal its recount in every row.
  const corpus = await queryRows<{
    namespace: string;
    docs: number;
    recount: number;
    tokens: number;
    lengths: number;
    wrong_lengths: number;
  }>(
    database.db,
    sql`select n.namespace, (select coalesce(sum(docs), 0)::int from corpus_stats s where s.namespace = n.namespace) as docs,
               (select count(*)::int from events e where e.namespace = n.namespace and search_text is not null) as recount,
               (select coalesce(sum(tokens), 0)::int from corpus_stats s where s.namespace = n.namespace) as tokens,
               (select coalesce(sum(search_length), 0)::int from events e where e.namespace = n.namespace) as lengths,
               (select count(*)::int from events e where e.namespace = n.namespace and e.search_length is distinct from
                  (select coalesce(sum(coalesce(cardinality(u.positions), 1)), 0)::int from unnest(e.search_text) u)) as wrong_lengths
          from (select distinct namespace from events) n order by n.namespace`,
  );
  return { kept, recounted, corpus };
}

describe(`lexical search: BM25 over stemmed words (${engine})`, () => {
  let database: TestDb;
  let events: EventsService;
  let search: SearchService;
  const tag = randomUUID();
  const lexical = (query: string, extra: Record<string, unknown> = {}) =>
    search.search(NS, searchRequestSchema.parse({ query, mode: 'lexical', metadata: { tag }, ...extra }));
  const kinds = (response: Awaited<ReturnType<typeof lexical>>) => response.results.map((result) => result.event.metadata['kind']);

  beforeAll(async () => {
    database = await createMemoryTestDb();
    events = new EventsService({ db: database.db, textEmbedder: embedder });
    search = new SearchService({ db: database.db, textEmbedder: embedder });
    await events.createMany(NS, [
      {
        content: { speaker: 'Caroline', text: 'I went to a LGBTQ support group yesterday and it was so powerful.' },
        metadata: { tag, kind: 'support' },
      },
      { content: { speaker: 'Melanie', text: 'We deploy the new release to production every Friday.' }, metadata: { tag, kind: 'deploy' } },
      { content: { speaker: 'Melanie', text: 'Painting landscapes helps me relax after work.' }, metadata: { tag, kind: 'painting' } },
      { content: { speaker: 'Caroline', text: 'My group of friends went hiking in the mountains.' }, metadata: { tag, kind: 'hiking' } },
      { content: { speaker: 'Melanie', text: 'The kids loved the pottery class, pottery is fun.' }, metadata: { tag, kind: 'pottery' } },
      { content: { speaker: 'Caroline', text: 'I am researching adoption agencies for the future.' }, metadata: { tag, kind: 'adoption' } },
    ]);
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers a plain-language question: any meaningful word matches, stop words are ignored', async () => {
    const response = await lexical('When did Caroline go to the support group?');
    expect(kinds(response)[0]).toBe('support');
    // "group" alone still matches the hiking turn: OR semantics, ranked below.
    expect(kinds(response)).toContain('hiking');
    for (const result of response.results) {
      expect(result.score).toBeGreaterThan(0);
      expect(result.score).toBeLessThanOrEqual(1);
      expect(Object.keys(result.scores)).toEqual(['lexical']);
      expect(result.scores.lexical).toBeGreaterThan(0);
      expect(result.scores.lexical).toBeLessThanOrEqual(1);
    }
  });

  it('folds word forms: "deployed" finds "deploy", "painted" finds "painting"', async () => {
    expect(kinds(await lexical('what got deployed?'))).toEqual(['deploy']);
    expect(kinds(await lexical('who painted'))).toEqual(['painting']);
  });

  it('weighs rare words above common ones (idf)', async () => {
    // "caroline" is in three events, "adoption" in one: the adoption turn comes first.
    const response = await lexical('Caroline adoption');
    expect(kinds(response)[0]).toBe('adoption');
    expect(response.results.length).toBeGreaterThan(1);
  });

  it('keeps quoted phrases and -word exclusions', async () => {
    expect(kinds(await lexical('"support group"'))).toEqual(['support']);
    expect(kinds(await lexical('group -hiking'))).toEqual(['support']);
    expect(kinds(await lexical('"group support"'))).toEqual([]);
  });

  it('a query of stop words only finds nothing, without an error', async () => {
    const response = await lexical('what is it about?');
    expect(response.results).toEqual([]);
    const hybrid = await search.search(NS, searchRequestSchema.parse({ query: 'what is it about?', metadata: { tag } }));
    expect(hybrid.mode).toBe('hybrid');
    // The hash embedder's vector of stop words has no feature, hence no cosine with any event: nothing
    // to rank on either side (it used to answer rows scored NaN, in no meaningful order).
    expect(hybrid.results).toEqual([]);
    const vector = await search.search(NS, searchRequestSchema.parse({ query: 'what is it about?', mode: 'vector', metadata: { tag } }));
    expect(vector.results).toEqual([]);
  });

  it('hybrid shows both sides and ranks the lexical answer first', async () => {
    const response = await search.search(NS, searchRequestSchema.parse({ query: 'who loved the pottery class', metadata: { tag } }));
    expect(kinds(response)[0]).toBe('pottery');
    expect(response.results[0].scores.lexical).toBeGreaterThan(0);
    expect(response.results[0].scores.vector).toBeGreaterThan(0);
    for (const result of response.results) expect(result.score).toBeLessThanOrEqual(1);
  });

  it('ranks a turn up when the turns next to it match too (conversation context), within an hour', async () => {
    const chat = randomUUID();
    const at = (minutes: number) => new Date(Date.UTC(2025, 4, 10, 12, minutes)).toISOString();
    await events.createMany(NS, [
      { timestamp: at(0), content: { text: 'What did you do last weekend?' }, metadata: { chat, kind: 'question' } },
      { timestamp: at(1), content: { text: 'We went to the lake.' }, metadata: { chat, kind: 'answer' } },
      { timestamp: at(2), content: { text: 'Sounds relaxing, enjoy.' }, metadata: { chat } },
      { timestamp: at(3), content: { text: 'Thanks, you too.' }, metadata: { chat } },
      { timestamp: at(4), content: { text: 'The office printer jammed again.' }, metadata: { chat } },
      { timestamp: at(5), content: { text: 'The lake was cold.' }, metadata: { chat, kind: 'other-lake' } },
      { timestamp: at(6), content: { text: 'Lunch was late today.' }, metadata: { chat } },
      // Two days later: too far to be the context of the first turns.
      {
        timestamp: new Date(Date.UTC(2025, 4, 12, 12, 0)).toISOString(),
        content: { text: 'A weekend at the lake!' },
        metadata: { chat, kind: 'later' },
      },
    ]);
    const response = await search.search(NS, searchRequestSchema.parse({ query: 'lake weekend', mode: 'lexical', metadata: { chat } }));
    const order = response.results.map((result) => result.event.metadata['kind']);
    // Alone, "We went to the lake." and "The lake was cold." score the same (newest first on ties);
    // the first sits next to the question about the weekend.
    expect(order.indexOf('answer')).toBeLessThan(order.indexOf('other-lake'));
    const answer = response.results.find((result) => result.event.metadata['kind'] === 'answer');
    const other = response.results.find((result) => result.event.metadata['kind'] === 'other-lake');
    expect(answer?.scores.lexical).toBeCloseTo(other?.scores.lexical ?? 0, 10);
    expect(answer?.score).toBeGreaterThan(other?.score ?? 1);
  });

  it('the hash embedder analyses words exactly as PostgreSQL english does', async () => {
    const sentences = [
      'The researchers were generously funding painting classes',
      'Caroline went to the LGBTQ support group, and felt accepted',
      'Retried jobs failed again after the deployments',
    ];
    for (const sentence of sentences) {
      const [row] = await queryRows<{ lexemes: string[] }>(
        database.db,
        sql`select array(select lexeme from unnest(to_tsvector('english', ${sentence})) order by lexeme) as lexemes`,
      );
      expect([...new Set(analyseEnglish(sentence).map((word) => word.stem))].sort()).toEqual(row.lexemes);
    }
  });

  it('picks candidate words rarest first within the budget, and all of them when every word is frequent', async () => {
    const analysed = await analyseLexicalQuery(database.db, NS, 'Caroline adoption group', 3);
    expect(analysed?.candidateLexemes).toEqual(['adopt', 'group']);
    expect(analysed?.bestMatchLexemes).toBeNull();
    const frequent = await analyseLexicalQuery(database.db, NS, 'Caroline Melanie', 2);
    expect(frequent?.bestMatchLexemes?.sort()).toEqual(['carolin', 'melani']);
    expect(frequent?.candidateLexemes).toHaveLength(1);
    const [stats] = await queryRows<{ docs: number }>(database.db, sql`select sum(docs)::int as docs from corpus_stats`);
    expect(analysed?.terms.find((term) => term.lexeme === 'adopt')?.idf).toBeCloseTo(idf(1, stats.docs), 10);
  });

  it('still finds events when every word is frequent and no event holds them all; those holding all rank first', async () => {
    // A budget of 2 events makes every word "frequent" (Caroline and Melanie each speak three turns here),
    // and at most 2 events are scored.
    const tight = new SearchService({ db: database.db, textEmbedder: embedder, lexicalCandidateBudget: 2 });
    const apart = await tight.search(NS, searchRequestSchema.parse({ query: 'Caroline Melanie', mode: 'lexical', metadata: { tag } }));
    // No turn holds both names: the turns of the rarer name in the store are still candidates.
    const speakers = apart.results.map((result) => (result.event.content as { speaker: string }).speaker);
    expect(speakers).toHaveLength(2);
    expect(new Set(speakers).size).toBe(1);
    const together = await tight.search(NS, searchRequestSchema.parse({ query: 'Caroline group', mode: 'lexical', metadata: { tag } }));
    expect(kinds(together).slice(0, 2).sort()).toEqual(['hiking', 'support']);
  });

  it('keeps the BM25 statistics equal to a recount through inserts, deletes, updates and partition moves', async () => {
    const [created] = await events
      .createMany(NS, [{ content: { text: 'a brand new xylophone arrived' }, metadata: { tag: 'stats' } }])
      .then((ids) => ids);
    await events.delete(NS, created);
    await events.createMany(NS, [{ content: { text: 'xylophone lessons start Monday' }, metadata: { tag: 'stats' } }]);
    const old = new Date(Date.UTC(new Date().getUTCFullYear() - 3, 2, 1)).toISOString();
    await events.createMany(NS, [{ timestamp: old, content: { text: 'an old xylophone memory' }, metadata: { tag: 'stats' } }]);
    // A back-dated row of another namespace is moved with them and stays counted in its own namespace.
    await events.createMany('stats-b', [
      { timestamp: old, content: { text: 'a xylophone of another tenant' }, metadata: { tag: 'stats' } },
    ]);
    await runPartitionMaintenance(database.db, { premakeMonths: 1, retentionMonths: null });
    await database.db.execute(
      sql`update events set content = '{"text": "the xylophone was sold"}'::jsonb where metadata @> '{"tag": "stats"}' and "timestamp" = ${old}::timestamptz`,
    );
    const { kept, recounted, corpus } = await statsNowAndRecounted(database);
    expect(kept).toEqual(recounted);
    for (const row of corpus) {
      expect(row.docs).toBe(row.recount);
      expect(row.wrong_lengths).toBe(0);
      expect(row.lengths).toBe(row.tokens);
    }
    expect(kept.find((row) => row.namespace === NS && row.lexeme === 'xylophon')?.df).toBe(2);
    expect(kept.find((row) => row.namespace === 'stats-b' && row.lexeme === 'xylophon')?.df).toBe(1);
  });

  it("counts statistics per namespace: another namespace's events change neither df, N nor scores here", async () => {
    const before = await lexical('Caroline adoption');
    const analysedBefore = await analyseLexicalQuery(database.db, NS, 'Caroline adoption');
    // Many events of another tenant holding the rare word would make it common, and lower its idf, if shared.
    await events.createMany(
      'tenant-b',
      Array.from({ length: 30 }, (_, i) => ({ content: { text: `adoption paperwork number ${i}` }, metadata: { tag } })),
    );
    const analysedAfter = await analyseLexicalQuery(database.db, NS, 'Caroline adoption');
    expect(analysedAfter).toEqual(analysedBefore);
    const after = await lexical('Caroline adoption');
    expect(after.results.map((result) => [result.event.id, result.score])).toEqual(
      before.results.map((result) => [result.event.id, result.score]),
    );
    // The other tenant sees its own corpus: 30 events, the word in all of them, none of this namespace's events.
    const other = await analyseLexicalQuery(database.db, 'tenant-b', 'adoption');
    expect(other).toMatchObject({ docs: 30, terms: [{ lexeme: 'adopt', df: 30 }] });
    const found = await search.search(
      'tenant-b',
      searchRequestSchema.parse({ query: 'Caroline adoption', mode: 'lexical', metadata: { tag }, limit: 100 }),
    );
    expect(found.results).toHaveLength(30);
    expect(found.results.every((result) => /^adoption paperwork/.test(String(result.event.content['text'])))).toBe(true);
  });

  it('switches the text search configuration, rewriting stored rows and statistics', async () => {
    const toSimple = await applyTextSearchConfig(database.db, 'simple');
    expect(toSimple.previous).toBe('english');
    expect(toSimple.rewritten).toBeGreaterThan(0);
    // Without stemming "deployed" no longer meets "deploy"; exact words still match.
    expect(kinds(await lexical('deployed'))).toEqual([]);
    expect(kinds(await lexical('deploy'))).toEqual(['deploy']);
    const simpleStats = await statsNowAndRecounted(database);
    expect(simpleStats.kept).toEqual(simpleStats.recounted);
    for (const row of simpleStats.corpus) expect(row.wrong_lengths).toBe(0);
    // New rows are written with the configuration in force.
    await events.createMany(NS, [{ content: { text: 'Deployments happen daily' }, metadata: { tag: 'config' } }]);
    const [written] = await queryRows<{ text: string }>(
      database.db,
      sql`select search_text::text as text from events where metadata @> '{"tag": "config"}'`,
    );
    expect(written.text).toContain("'deployments'");

    expect((await applyTextSearchConfig(database.db, 'simple')).rewritten).toBe(0);
    await applyTextSearchConfig(database.db, 'english');
    expect(kinds(await lexical('deployed'))).toEqual(['deploy']);
    await expect(applyTextSearchConfig(database.db, 'klingon')).rejects.toThrow(/TEXT_SEARCH_CONFIG is "klingon".*english/);
  });
});
