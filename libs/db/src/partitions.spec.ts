import { sql } from 'drizzle-orm';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { isCitusDatabase } from './citus';
import { queryRows } from './database';
import { listPartitionGinIndexes, listPartitions, monthStart, partitionName, runPartitionMaintenance } from './partitions';

const engine = testEngineName();

describe(`partition maintenance (${engine})`, () => {
  let handle: TestDb;
  const now = new Date();

  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  const expectedMonths = [0, 1, 2, 3, 4].map((offset) => partitionName(monthStart(now, offset)));

  it('makes the current month and four ahead, plus a default partition', async () => {
    const report = await runPartitionMaintenance(handle.db, { premakeMonths: 4, retentionMonths: null });
    expect(report.partitions).toEqual(expect.arrayContaining(expectedMonths));
    const [defaultPartition] = await queryRows<{ name: string }>(
      handle.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = to_regclass('events') and pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'`,
    );
    expect(defaultPartition?.name).toBe('events_default');
    if (engine === 'postgres') {
      expect(report.strategy).toBe('pg_partman');
      expect(report.partmanVersion).toMatch(/^\d+\.\d+/);
      const config = await queryRows<{ parent_table: string }>(
        handle.db,
        sql`select parent_table from partman.part_config where parent_table like '%.events'`,
      );
      expect(config).toHaveLength(1);
    } else {
      expect(report.strategy).toBe('native');
    }
  });

  it('is idempotent', async () => {
    const before = await listPartitions(handle.db);
    const report = await runPartitionMaintenance(handle.db, { premakeMonths: 4, retentionMonths: null });
    expect(report.partitions).toEqual(before);
    expect(report.dropped).toEqual([]);
  });

  it('accepts back-dated events, then moves them into a partition of their own month', async () => {
    const old = new Date(Date.UTC(now.getUTCFullYear() - 2, 5, 15, 12));
    await handle.db.execute(sql`insert into events ("timestamp", content) values (${old.toISOString()}::timestamptz, '{"text":"old"}')`);
    const [inDefault] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from events_default`);
    expect(inDefault?.n).toBe(1);

    const report = await runPartitionMaintenance(handle.db, { premakeMonths: 4, retentionMonths: null });
    const oldPartition = partitionName(monthStart(old));
    expect(report.partitions).toContain(oldPartition);
    const [moved] = await queryRows<{ n: number }>(handle.db, sql.raw(`select count(*)::int as n from "${oldPartition}"`));
    expect(moved?.n).toBe(1);
    const [left] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from events_default`);
    expect(left?.n).toBe(0);
    // Vacuumed: no dead row versions left behind for every unpruned query to read.
    const [size] = await queryRows<{ bytes: number }>(handle.db, sql`select pg_relation_size('events_default')::int as bytes`);
    expect(size?.bytes).toBe(0);
  });

  it('moves every column of a back-dated row, including one added after the code was written', async () => {
    await handle.db.execute(sql`ALTER TABLE events ADD COLUMN added_later text`);
    try {
      const old = new Date(Date.UTC(now.getUTCFullYear() - 2, 7, 3, 9));
      await handle.db.execute(
        sql`insert into events ("timestamp", content, metadata, added_later)
            values (${old.toISOString()}::timestamptz, '{"text":"older memory"}', '{"k":"v"}', 'kept')`,
      );
      await runPartitionMaintenance(handle.db, { premakeMonths: 4, retentionMonths: null });
      const rows = await queryRows<{ added_later: string; metadata: unknown; search_text: string; place: string }>(
        handle.db,
        sql`select added_later, metadata, search_text::text as search_text, tableoid::regclass::text as place
              from events where "timestamp" = ${old.toISOString()}::timestamptz`,
      );
      // On Citus the row is read on a worker, where its table is a shard of the partition: <partition>_<shard id>.
      const partition = partitionName(monthStart(old));
      const place = isCitusDatabase(handle.db) ? expect.stringMatching(new RegExp(`^${partition}_\\d+$`)) : partition;
      expect(rows).toEqual([{ added_later: 'kept', metadata: { k: 'v' }, search_text: "'memori':2 'older':1", place }]);
    } finally {
      await handle.db.execute(sql`ALTER TABLE events DROP COLUMN added_later`);
    }
  });

  it('drops partitions older than the retention period, and recounts the search statistics', async () => {
    const report = await runPartitionMaintenance(handle.db, { premakeMonths: 4, retentionMonths: 12 });
    const old = partitionName(monthStart(new Date(Date.UTC(now.getUTCFullYear() - 2, 5, 15))));
    expect(report.dropped).toContain(old);
    expect(report.partitions).not.toContain(old);
    expect(report.partitions).toEqual(expect.arrayContaining(expectedMonths));
    const [count] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from events`);
    expect(count?.n).toBe(0);
    const [stats] = await queryRows<{ docs: number; lexemes: number }>(
      handle.db,
      sql`select (select coalesce(sum(docs), 0)::int from corpus_stats) as docs,
                 (select count(*)::int from lexeme_stats where df <> 0) as lexemes`,
    );
    expect(stats).toEqual({ docs: 0, lexemes: 0 });
  });

  const ginIndexes = () => listPartitionGinIndexes(handle.db);
  const pendingPages = async (index: string) =>
    (await queryRows<{ pages: number }>(handle.db, sql`select gin_clean_pending_list(${index}::regclass)::int as pages`))[0]?.pages;

  it('gives every partition GIN indexes without a pending list, and flushes what a move left pending', async () => {
    const old = new Date(Date.UTC(now.getUTCFullYear() - 3, 2, 10, 8));
    await handle.db.execute(
      sql`insert into events ("timestamp", content, metadata) values (${old.toISOString()}::timestamptz, '{"text":"pending words here"}', '{"k":"v"}')`,
    );
    await runPartitionMaintenance(handle.db, { premakeMonths: 4, retentionMonths: null });
    const indexes = await ginIndexes();
    // Words and metadata, for each month made, the moved row's month and the default partition.
    expect(indexes.length).toBeGreaterThanOrEqual(2 * 7);
    expect(indexes.filter((index) => !index.options?.includes('fastupdate=off'))).toEqual([]);
    // The row moved into a new partition, whose indexes took it in a pending list before the option was set.
    for (const index of indexes.filter((i) => i.partition === partitionName(monthStart(old)))) {
      expect(await pendingPages(index.index)).toBe(0);
    }

    await handle.db.execute(
      sql`insert into events (content, metadata) select jsonb_build_object('text', 'fresh words number ' || g), jsonb_build_object('n', g) from generate_series(1, 20) g`,
    );
    const current = indexes.filter((index) => index.partition === partitionName(monthStart(new Date())));
    expect(current).toHaveLength(2);
    for (const index of current) expect(await pendingPages(index.index)).toBe(0);
  });

  it('keeps every partition vector column stored inline (PLAIN)', async () => {
    const rows = await queryRows<{ name: string; storage: string }>(
      handle.db,
      sql`select c.relname as name, a.attstorage as storage from pg_inherits i
            join pg_class c on c.oid = i.inhrelid
            join pg_attribute a on a.attrelid = c.oid and a.attname = 'embedding'
           where i.inhparent = to_regclass('events')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.filter((r) => r.storage !== 'p')).toEqual([]);
  });
});
