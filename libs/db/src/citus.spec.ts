import { sql } from 'drizzle-orm';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { queryRows, type Database } from './database';
import { CITUS_DISTRIBUTED_TABLES, detectCitus, distributeTables, isCitusDatabase, localSettings, transactionSettings } from './citus';
import { runMigrations } from './migrate';
import { runPartitionMaintenance } from './partitions';
import { describeDatabase } from './server-info';

async function explain(db: Database, query: ReturnType<typeof sql>): Promise<string> {
  const rows = await queryRows<{ 'QUERY PLAN': string }>(db, sql`explain ${query}`);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** Task count of a distributed plan (`Task Count: N`), or null for a plan Citus does not run. */
function taskCount(plan: string): number | null {
  const match = /Task Count: (\d+)/.exec(plan);
  return match ? Number(match[1]) : null;
}

function vectorLiteral(seed: number): string {
  // 768 dimensions, deterministic, distinct per seed.
  const values = Array.from({ length: 768 }, (_, i) => Math.sin(seed * 7.31 + i * 0.37).toFixed(4));
  return `[${values.join(',')}]`;
}

describe(`Citus (${testEngineName()})`, () => {
  let handle: TestDb;
  let citus: Awaited<ReturnType<typeof detectCitus>>;

  beforeAll(async () => {
    handle = await createTestDb({ migrate: false });
    citus = await detectCitus(handle.db);
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('detects the engine: /health names Citus with its version and worker count', async () => {
    const status = await describeDatabase(handle);
    if (citus) {
      expect(citus.version).toMatch(/^\d+\.\d+/);
      expect(citus.workers).toBeGreaterThanOrEqual(1);
      expect(status).toMatchObject({ ok: true, engine: 'citus', citus });
    } else {
      expect(status.engine).toBe(handle.engine);
      expect(status.citus).toBeUndefined();
      await expect(distributeTables(handle.db)).rejects.toThrow(/citus extension is not created/);
    }
  });

  it('migrates, then distributes by namespace (co-located) and replicates the lookups; idempotent', async () => {
    const first = await runMigrations(handle);
    expect(first.applied).toBe(first.total);
    if (!citus) {
      expect(first.citus).toBeUndefined();
      return;
    }
    expect(first.citus?.distributed).toEqual([...CITUS_DISTRIBUTED_TABLES]);
    expect(first.citus?.reference).toContain('search_settings');
    const again = await runMigrations(handle);
    expect(again.applied).toBe(0);
    expect(again.citus?.distributed).toEqual([]);
    expect(again.citus?.alreadyDone).toEqual(expect.arrayContaining([...CITUS_DISTRIBUTED_TABLES, 'search_settings']));

    const tables = await queryRows<{ name: string; method: string; column: string | null; colocation: number }>(
      handle.db,
      sql`select logicalrelid::text as name, partmethod::text as method,
                 column_to_column_name(logicalrelid, partkey) as column, colocationid as colocation
            from pg_dist_partition where logicalrelid::text not like 'events\\_%' order by 1`,
    );
    const byName = new Map(tables.map((t) => [t.name, t]));
    const colocation = byName.get('events')?.colocation;
    for (const table of CITUS_DISTRIBUTED_TABLES) {
      expect(byName.get(table)).toEqual({ name: table, method: 'h', column: 'namespace', colocation });
    }
    expect(byName.get('search_settings')?.method).toBe('n');
    // The job queue stays a plain table on the coordinator (SKIP LOCKED and NOTIFY as on one node).
    expect(byName.has('jobs')).toBe(false);
    // Every index of the schema exists on the shards, HNSW included.
    const [hnsw] = await queryRows<{ shards: number }>(
      handle.db,
      sql`select count(*)::int as shards from run_command_on_shards('code_chunks',
            $$select count(*) from pg_indexes where starts_with(indexname, 'code_chunks_embedding_code_hnsw_idx') and tablename = '%s'$$)
          where result = '1'`,
    );
    const [shards] = await queryRows<{ shards: number }>(
      handle.db,
      sql`select count(*)::int as shards from pg_dist_shard where logicalrelid = 'code_chunks'::regclass`,
    );
    expect(hnsw.shards).toBe(shards.shards);
  }, 180_000);

  it('keeps monthly partitions with pg_partman on the distributed parent', async () => {
    const report = await runPartitionMaintenance(handle.db, { premakeMonths: 2, retentionMonths: null });
    expect(report.partitions.length).toBeGreaterThanOrEqual(3);
    if (!citus) return;
    expect(report.strategy).toBe('pg_partman');
    const [partitions] = await queryRows<{ distributed: number }>(
      handle.db,
      sql`select count(*)::int as distributed from pg_dist_partition where logicalrelid::text like 'events\\_p%'`,
    );
    expect(partitions.distributed).toBe(report.partitions.length);
  }, 180_000);

  it('maintains the BM25 statistics from the triggers on the shards, equal to a recount', async () => {
    await handle.db.execute(sql`insert into events (namespace, content, embedding)
      select 'ns' || (i % 7), jsonb_build_object('text', 'word' || i || ' shared words ' || (i % 3)),
             -- distinct vectors: pgvector keeps equal vectors in one graph element
             case when i % 7 = 0 then array(select sin(i * 7.31 + d * 0.37) from generate_series(0, 767) as d)::vector(768) end
        from generate_series(1, 140) as i`);
    await handle.db.execute(sql`update events set content = jsonb_build_object('text', 'changed shared') where namespace = 'ns3'`);
    await handle.db.execute(sql`delete from events where namespace = 'ns4'`);
    const counted = () =>
      queryRows<{ namespace: string; lexeme: string; df: number }>(
        handle.db,
        sql`select namespace, lexeme, sum(df)::int as df from lexeme_stats group by 1, 2 having sum(df) <> 0 order by 1, 2`,
      );
    const docs = () =>
      queryRows<{ namespace: string; docs: number; tokens: number }>(
        handle.db,
        sql`select namespace, sum(docs)::int as docs, sum(tokens)::int as tokens from corpus_stats
             group by 1 having sum(docs) <> 0 order by 1`,
      );
    const byTriggers = await counted();
    const docsByTriggers = await docs();
    expect(docsByTriggers.find((row) => row.namespace === 'ns1')?.docs).toBe(20);
    expect(docsByTriggers.find((row) => row.namespace === 'ns4')).toBeUndefined();
    await handle.db.execute(sql`select search_stats_rebuild()`);
    expect(await counted()).toEqual(byTriggers);
    expect(await docs()).toEqual(docsByTriggers);
  }, 120_000);

  it('routes a namespaced query to one shard group (one task), a query across namespaces to all', async () => {
    const query = sql`select e.id from events e where e.namespace = 'ns0'
                       order by e.embedding <=> ${vectorLiteral(2)}::vector(768) limit 5`;
    const join = sql`select n.label, count(*) from nodes n join edges g on g.namespace = n.namespace and g.source = n.id
                      where n.namespace = 'ns0' group by n.label`;
    const across = sql`select count(*) from events`;
    if (!citus) {
      expect(taskCount(await explain(handle.db, query))).toBeNull();
      return;
    }
    expect(taskCount(await explain(handle.db, query))).toBe(1);
    expect(taskCount(await explain(handle.db, join))).toBe(1);
    const [shards] = await queryRows<{ count: number }>(
      handle.db,
      sql`select count(*)::int as count from pg_dist_shard where logicalrelid = 'events'::regclass`,
    );
    expect(taskCount(await explain(handle.db, across))).toBe(shards.count);
  });

  it('sends SET LOCAL settings (hnsw.ef_search) to the worker that runs the query', async () => {
    const onShard = sql`select current_setting('hnsw.ef_search') as ef from events where namespace = 'ns0' limit 1`;
    const read = (settings: Record<string, string | number> | null) =>
      handle.db.transaction(async (tx) => {
        if (settings) for (const statement of transactionSettings(settings)) await tx.execute(statement);
        else await tx.execute(sql`select set_config('hnsw.ef_search', '7', true)`);
        const [row] = await queryRows<{ ef: string }>(tx, onShard);
        return row.ef;
      });
    expect(await read({ 'hnsw.ef_search': 7 })).toBe('7');
    // set_config() is not sent to the workers by Citus: there the worker keeps its default (40).
    expect(await read(null)).toBe(citus ? '40' : '7');

    // The same seen through the index: pgvector's HNSW scan yields at most ef_search rows (no
    // iterative scan), so ef_search = 2 on the worker cuts a top-10 to 2 rows.
    const top10 = (ef: number) =>
      handle.db.transaction(async (tx) => {
        for (const statement of transactionSettings({
          'hnsw.ef_search': ef,
          'hnsw.iterative_scan': 'off',
          // Only the HNSW index can give the order without a sort.
          enable_seqscan: 'off',
          enable_sort: 'off',
        })) {
          await tx.execute(statement);
        }
        const rows = await queryRows<{ id: string }>(
          tx,
          sql`select id from events where namespace = 'ns0' and embedding is not null
               order by embedding <=> ${vectorLiteral(3)}::vector(768) limit 10`,
        );
        return rows.length;
      });
    expect(await top10(40)).toBe(10);
    expect(await top10(2)).toBe(2);
  }, 60_000);

  it('localSettings: SET LOCAL statements on Citus (they reach the worker), one set_config() round trip elsewhere', async () => {
    const statements = localSettings(handle.db, { 'hnsw.ef_search': 9, 'hnsw.iterative_scan': 'relaxed_order' });
    expect(isCitusDatabase(handle.db)).toBe(citus !== null);
    expect(statements).toHaveLength(citus ? 3 : 1);
    const onShard = sql`select current_setting('hnsw.ef_search') as ef, current_setting('hnsw.iterative_scan') as scan
                          from events where namespace = 'ns0' limit 1`;
    const seen = await handle.db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(statement);
      return (await queryRows<{ ef: string; scan: string }>(tx, onShard))[0];
    });
    expect(seen).toEqual({ ef: '9', scan: 'relaxed_order' });
    // Transaction-local: the next transaction sees the defaults again.
    const after = await handle.db.transaction(async (tx) => (await queryRows<{ ef: string; scan: string }>(tx, onShard))[0]);
    expect(after).toEqual({ ef: '40', scan: 'off' });
  });

  it('rejects bad setting names and values', () => {
    expect(() => transactionSettings({ 'hnsw.ef_search; drop table events': 1 })).toThrow(/invalid setting name/);
    expect(() => transactionSettings({ 'hnsw.ef_search': "1'; drop" })).toThrow(/invalid value/);
  });
});
