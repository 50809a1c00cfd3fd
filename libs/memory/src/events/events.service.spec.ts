import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { sql } from 'drizzle-orm';
import { queryRows } from '@mnemolite/db';
import { testEngineName, type TestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { GraphService } from '../graph/graph.service';
import { listEventsQuerySchema } from '../schemas/events.schemas';
import { createMemoryTestDb } from '../testing';
import { EventsService } from './events.service';
import { ingestEventJob } from './ingest-event.job';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

const engine = testEngineName();

describe(`EventsService (${engine})`, () => {
  let database: TestDb;
  let events: EventsService;
  const embedder = new HashEmbedder(768);

  beforeAll(async () => {
    database = await createMemoryTestDb();
    events = new EventsService({ db: database.db, textEmbedder: embedder });
  });
  afterAll(async () => {
    await database.close();
  });

  it('every partition keeps the vector PLAIN and content, metadata, search_text inline (MAIN)', async () => {
    const rows = await queryRows<{ name: string; column: string; storage: string }>(
      database.db,
      sql`select c.relname as name, a.attname as column, a.attstorage as storage
            from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_attribute a on a.attrelid = c.oid
           where i.inhparent = to_regclass('events') and a.attname in ('embedding', 'content', 'metadata', 'search_text')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(4 * 3);
    for (const row of rows)
      expect(`${row.name}.${row.column}=${row.storage}`).toBe(`${row.name}.${row.column}=${row.column === 'embedding' ? 'p' : 'm'}`);
  });

  it('creates an event embedded from its text, with its graph node', async () => {
    const event = await events.create(NS, { content: { text: 'héllo wörld ✓', extra: [1, { deep: true }] }, metadata: { a: 1 } });
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      content: { text: 'héllo wörld ✓', extra: [1, { deep: true }] },
      metadata: { a: 1 },
      embedding_model: embedder.modelId,
      has_embedding: true,
    });
    const withVector = await events.get(NS, event.id, { includeEmbedding: true });
    expect(withVector.embedding).toHaveLength(768);
    const expected = embedder.embedOne('héllo wörld ✓');
    expect(withVector.embedding![0]).toBeCloseTo(expected[0], 5);
    const [node] = await queryRows<{ type: string; label: string; repository: string | null }>(
      database.db,
      sql`select type, label, repository from nodes where id = ${event.id}`,
    );
    expect(node).toEqual({ type: 'event', label: 'héllo wörld ✓', repository: null });
  });

  it('keeps a given timestamp (normalised to UTC) and a given embedding', async () => {
    const vector = Array.from({ length: 768 }, (_, i) => (i === 3 ? 1 : 0));
    const event = await events.create(NS, { content: { n: 1 }, timestamp: '2025-03-01T12:00:00+02:00', embedding: vector });
    expect(event.timestamp).toBe('2025-03-01T10:00:00.000Z');
    expect(event.has_embedding).toBe(true);
    expect((await events.get(NS, event.id, { includeEmbedding: true })).embedding![3]).toBe(1);
  });

  it('stores content without any text unembedded', async () => {
    const event = await events.create(NS, { content: { n: 1, ok: true } });
    expect(event).toMatchObject({ has_embedding: false, embedding_model: null });
  });

  it('rejects an embedding of the wrong dimension', async () => {
    await expect(events.create(NS, { content: { text: 'x' }, embedding: [1, 2, 3] })).rejects.toMatchObject({
      code: 'validation_error',
    });
  });

  it('inserts a batch all or nothing', async () => {
    const ids = await events.createMany(NS, [{ content: { text: 'batch one' } }, { content: { text: 'batch two' } }]);
    expect(ids).toHaveLength(2);
    expect((await events.get(NS, ids[1])).content).toEqual({ text: 'batch two' });
    const before = await events.list(NS, listEventsQuerySchema.parse({}));
    await expect(events.createMany(NS, [{ content: { text: 'ok' } }, { content: { text: 'bad' }, embedding: [1] }])).rejects.toMatchObject({
      code: 'validation_error',
    });
    expect((await events.list(NS, listEventsQuerySchema.parse({}))).total).toBe(before.total);
  });

  it('patches metadata by shallow merge', async () => {
    const event = await events.create(NS, { content: { text: 'patch me' }, metadata: { keep: 1, nested: { a: 1 } } });
    const patched = await events.patchMetadata(NS, event.id, { nested: { b: 2 }, added: 'x' });
    expect(patched.metadata).toEqual({ keep: 1, nested: { b: 2 }, added: 'x' });
    await expect(events.patchMetadata(NS, crypto.randomUUID(), { a: 1 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('deletes an event with its node and edges', async () => {
    const graph = new GraphService({ db: database.db });
    const event = await events.create(NS, { content: { text: 'delete me' } });
    const other = await graph.createNode(NS, { type: 'topic', label: 'other' });
    await graph.createEdge(NS, { source: event.id, target: other.id, relation: 'about' });
    await events.delete(NS, event.id);
    await expect(events.get(NS, event.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(graph.getNode(NS, event.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await graph.getNode(NS, other.id)).edges).toEqual([]);
    await expect(events.delete(NS, event.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists newest first with containment, time range, limit, offset and total', async () => {
    const tag = crypto.randomUUID();
    for (let day = 1; day <= 5; day++) {
      await events.create(NS, {
        content: { text: `day ${day}` },
        metadata: { tag, parity: day % 2 === 0 ? 'even' : 'odd', nested: { day } },
        timestamp: `2025-06-0${day}T08:00:00.000Z`,
      });
    }
    const all = await events.list(NS, listEventsQuerySchema.parse({ metadata: JSON.stringify({ tag }) }));
    expect(all.total).toBe(5);
    expect(all.items.map((e) => e.content['text'])).toEqual(['day 5', 'day 4', 'day 3', 'day 2', 'day 1']);
    const odd = await events.list(NS, listEventsQuerySchema.parse({ metadata: JSON.stringify({ tag, parity: 'odd' }) }));
    expect(odd.items.map((e) => e.content['text'])).toEqual(['day 5', 'day 3', 'day 1']);
    const nested = await events.list(NS, listEventsQuerySchema.parse({ metadata: JSON.stringify({ tag, nested: { day: 2 } }) }));
    expect(nested.items.map((e) => e.content['text'])).toEqual(['day 2']);
    const window = await events.list(
      NS,
      listEventsQuerySchema.parse({
        metadata: JSON.stringify({ tag }),
        ts_start: '2025-06-02T08:00:00.000Z',
        ts_end: '2025-06-04T08:00:00Z',
        limit: '2',
        offset: '1',
      }),
    );
    expect(window).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(window.items.map((e) => e.content['text'])).toEqual(['day 3', 'day 2']);
  });

  it('stores and matches SQL-looking metadata keys and values literally', async () => {
    const metadata = { "k'; DROP TABLE events; --": "v' OR '1'='1", '$.a': '@> {}' };
    const event = await events.create(NS, { content: { text: 'injection' }, metadata });
    expect((await events.get(NS, event.id)).metadata).toEqual(metadata);
    const found = await events.list(NS, listEventsQuerySchema.parse({ metadata: JSON.stringify(metadata) }));
    expect(found.items.map((e) => e.id)).toEqual([event.id]);
    const none = await events.list(
      NS,
      listEventsQuerySchema.parse({ metadata: JSON.stringify({ "k'; DROP TABLE events; --": "v' OR 1=1" }) }),
    );
    expect(none.total).toBe(0);
  });

  it('the ingest-event job stores a queued event once under its id', async () => {
    const handler = ingestEventJob({ db: database.db, textEmbedder: embedder });
    const id = crypto.randomUUID();
    const payload = { id, content: { text: 'queued' }, timestamp: '2026-01-02T03:04:05.000Z' };
    await expect(handler(payload)).resolves.toEqual({ id, stored: true });
    await expect(handler(payload)).resolves.toEqual({ id, stored: false });
    expect(await events.get(NS, id)).toMatchObject({ id, timestamp: '2026-01-02T03:04:05.000Z', has_embedding: true });
    await expect(handler({ id: 'nope', content: {} })).rejects.toThrow();
  });
});
