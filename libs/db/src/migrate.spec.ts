import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { queryRows } from './database';
import { resolveMigrationsDir, runMigrations } from './migrate';

describe(`migrations (${testEngineName()})`, () => {
  let handle: TestDb;

  beforeAll(async () => {
    handle = await createTestDb({ migrate: false });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('creates every table with the extensions, and is idempotent', async () => {
    const first = await runMigrations(handle);
    expect(first.applied).toBe(first.total);
    expect(first.total).toBeGreaterThanOrEqual(2);

    const second = await runMigrations(handle);
    expect(second).toMatchObject({ applied: 0, total: first.total });
    // On Citus the second run finds the schema distributed and leaves it as it is.
    if (second.citus) expect(second.citus).toMatchObject({ distributed: [], reference: [] });
    else expect(second).toEqual({ applied: 0, total: first.total });

    const tables = await queryRows<{ name: string }>(
      handle.db,
      sql`select tablename as name from pg_tables where schemaname = current_schema() order by 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['code_chunks', 'code_files', 'edges', 'jobs', 'nodes']));
    const extensions = await queryRows<{ extname: string }>(handle.db, sql`select extname from pg_extension`);
    expect(extensions.map((e) => e.extname)).toEqual(expect.arrayContaining(['vector', 'pg_trgm']));
  });

  it('partitions events by range on timestamp and keeps vectors inline', async () => {
    const [events] = await queryRows<{ strategy: string; storage: string }>(
      handle.db,
      sql`select p.partstrat as strategy, a.attstorage as storage
            from pg_partitioned_table p
            join pg_attribute a on a.attrelid = p.partrelid and a.attname = 'embedding'
           where p.partrelid = to_regclass('events')`,
    );
    expect(events).toEqual({ strategy: 'r', storage: 'p' });
  });

  it('indexes vectors with HNSW (cosine), metadata with jsonb_path_ops and names with trigrams', async () => {
    const indexes = await queryRows<{ name: string; definition: string }>(
      handle.db,
      sql`select indexname as name, indexdef as definition from pg_indexes where schemaname = current_schema()`,
    );
    const byName = new Map(indexes.map((i) => [i.name, i.definition]));
    expect(byName.get('events_embedding_hnsw_idx')).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(byName.get('code_chunks_embedding_code_hnsw_idx')).toMatch(/USING hnsw/);
    expect(byName.get('events_metadata_idx')).toMatch(/USING gin \(metadata jsonb_path_ops\)/);
    expect(byName.get('code_chunks_name_trgm_idx')).toMatch(/gin_trgm_ops/);
    // Trigram indexes stay off bodies: they cost seconds per query at 100k rows.
    expect([...byName.values()].some((d) => /\(source gin_trgm_ops\)/.test(d))).toBe(false);
  });
});

describe(`the namespaces migration on a database of the previous version (${testEngineName()})`, () => {
  let handle: TestDb;
  let previousDir: string;

  beforeAll(async () => {
    handle = await createTestDb({ migrate: false });
    // The migrations up to 0003, as a database of the previous version was migrated.
    const current = resolveMigrationsDir();
    previousDir = mkdtempSync(join(tmpdir(), 'mnemolite-migrations-'));
    cpSync(current, previousDir, { recursive: true });
    const journalPath = join(previousDir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((entry) => entry.tag < '0004');
    writeFileSync(journalPath, JSON.stringify(journal));
  });
  afterAll(async () => {
    await handle.close();
    rmSync(previousDir, { recursive: true, force: true });
  });

  it('moves existing rows into "default", keeps their links and their BM25 statistics', async () => {
    // On Citus: the previous version did not distribute (it had no distribution key); the current
    // version's run below migrates, then distributes the existing rows.
    const before = await runMigrations(handle, previousDir, { distribute: false });
    expect(before.total).toBe(4);
    await handle.db.execute(sql`CREATE TABLE events_default PARTITION OF events DEFAULT`);
    const [event] = await queryRows<{ id: string }>(
      handle.db,
      sql`insert into events (content, "timestamp") values ('{"text": "an old memory about lighthouses"}', '2025-01-15T00:00:00Z')
          returning id`,
    );
    await handle.db.execute(sql`insert into nodes (id, type, label) values (${event.id}::uuid, 'event', 'old')`);
    const [topic] = await queryRows<{ id: string }>(handle.db, sql`insert into nodes (type, label) values ('topic', 'sea') returning id`);
    await handle.db.execute(sql`insert into edges (source, target, relation) values (${event.id}::uuid, ${topic.id}::uuid, 'about')`);
    const [file] = await queryRows<{ id: string }>(
      handle.db,
      sql`insert into code_files (repository, path, language, content_hash, size_bytes, line_count)
          values ('repo', 'a.ts', 'typescript', 'h', 1, 1) returning id`,
    );
    await handle.db
      .execute(sql`insert into code_chunks (file_id, repository, file_path, language, chunk_type, name, qualified_name, start_line, end_line, source)
          values (${file.id}::uuid, 'repo', 'a.ts', 'typescript', 'function', 'f', 'f', 1, 1, 'function f() {}')`);

    const after = await runMigrations(handle);
    expect(after.applied).toBe(after.total - 4);
    if (after.citus)
      expect(after.citus.distributed).toEqual(expect.arrayContaining(['events', 'nodes', 'edges', 'code_files', 'code_chunks']));

    const namespaces = await queryRows<{ table: string; namespace: string; n: number }>(
      handle.db,
      sql`select 'events' as table, namespace, count(*)::int as n from events group by namespace
          union all select 'nodes', namespace, count(*)::int from nodes group by namespace
          union all select 'edges', namespace, count(*)::int from edges group by namespace
          union all select 'code_files', namespace, count(*)::int from code_files group by namespace
          union all select 'code_chunks', namespace, count(*)::int from code_chunks group by namespace
          union all select 'corpus_stats', namespace, sum(docs)::int from corpus_stats group by namespace
          order by 1`,
    );
    expect(namespaces).toEqual([
      { table: 'code_chunks', namespace: 'default', n: 1 },
      { table: 'code_files', namespace: 'default', n: 1 },
      { table: 'corpus_stats', namespace: 'default', n: 1 },
      { table: 'edges', namespace: 'default', n: 1 },
      { table: 'events', namespace: 'default', n: 1 },
      { table: 'nodes', namespace: 'default', n: 2 },
    ]);
    // Still found by the key that leads with the namespace, and the statistics of "default" still count it.
    const [found] = await queryRows<{ id: string }>(
      handle.db,
      sql`select id from events where namespace = 'default' and id = ${event.id}::uuid and search_text @@ 'lighthous'::tsquery`,
    );
    expect(found?.id).toBe(event.id);
    const [df] = await queryRows<{ df: number }>(
      handle.db,
      sql`select sum(df)::int as df from lexeme_stats where namespace = 'default' and lexeme = 'lighthous'`,
    );
    expect(df.df).toBe(1);
    // The foreign keys include the namespace and still cascade.
    await handle.db.execute(sql`delete from nodes where namespace = 'default' and id = ${topic.id}::uuid`);
    const [edges] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from edges`);
    expect(edges.n).toBe(0);
    await handle.db.execute(sql`delete from code_files where namespace = 'default' and id = ${file.id}::uuid`);
    const [chunks] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from code_chunks`);
    expect(chunks.n).toBe(0);
  });

  it('keys include the namespace: one id may exist once per namespace, and an edge cannot cross namespaces', async () => {
    const id = crypto.randomUUID();
    await handle.db.execute(
      sql`insert into nodes (namespace, id, type, label) values ('a', ${id}::uuid, 't', 'in a'), ('b', ${id}::uuid, 't', 'in b')`,
    );
    const other = crypto.randomUUID();
    await handle.db.execute(sql`insert into nodes (namespace, id, type, label) values ('b', ${other}::uuid, 't', 'only in b')`);
    await expect(
      handle.db.execute(sql`insert into edges (namespace, source, target, relation) values ('a', ${id}::uuid, ${other}::uuid, 'x')`),
    ).rejects.toThrow();
    const keys = await queryRows<{ table: string; definition: string }>(
      handle.db,
      sql`select conrelid::regclass::text as table, pg_get_constraintdef(oid) as definition from pg_constraint
           where contype in ('p', 'u', 'f') and conrelid::regclass::text in
                 ('events', 'nodes', 'edges', 'code_files', 'code_chunks', 'lexeme_stats', 'corpus_stats')`,
    );
    expect(keys.length).toBeGreaterThanOrEqual(10);
    for (const key of keys) expect(`${key.table}: ${key.definition}`).toMatch(/\(namespace, /);
  });
});

describe('resolveMigrationsDir', () => {
  const own = resolveMigrationsDir();

  it("takes the app's MNEMO_MIGRATIONS_DIR when it holds migrations, else finds them beside the code", () => {
    const copy = mkdtempSync(join(tmpdir(), 'mnemolite-migrations-'));
    try {
      cpSync(own, copy, { recursive: true });
      expect(resolveMigrationsDir(copy)).toBe(copy);
      expect(resolveMigrationsDir(join(copy, 'missing'))).toBe(own);
      expect(resolveMigrationsDir(undefined)).toBe(own);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
