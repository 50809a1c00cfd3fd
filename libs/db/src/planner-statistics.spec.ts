import { sql } from 'drizzle-orm';
import { queryRows } from './database';
import { runPartitionMaintenance } from './partitions';
import { refreshPlannerStatistics } from './planner-statistics';
import { createTestDb, testEngineName, type TestDb } from './testing';

const engine = testEngineName();

/** Table statistics as the planner sees them: analysed, and how many rows it believes there are. */
async function plannerView(handle: TestDb, table: string): Promise<{ analysed: boolean; reltuples: number }> {
  const [row] = await queryRows<{ analysed: boolean; reltuples: number }>(
    handle.db,
    sql`select s.last_analyze is not null as analysed, c.reltuples::float8 as reltuples
          from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = ${table}`,
  );
  return row;
}

/** The server's statistics reach other sessions within a second or so: wait until the writes show. */
async function waitForModifications(handle: TestDb, table: string, atLeast: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [row] = await queryRows<{ modified: number }>(
      handle.db,
      sql`select n_mod_since_analyze::int as modified from pg_stat_user_tables where relname = ${table}`,
    );
    if ((row?.modified ?? 0) >= atLeast) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`the writes to ${table} never showed in pg_stat_user_tables`);
}

describe(`planner statistics (${engine})`, () => {
  let handle: TestDb;

  beforeAll(async () => {
    handle = await createTestDb();
    await runPartitionMaintenance(handle.db, { premakeMonths: 1, retentionMonths: null });
    if (engine === 'postgres') {
      // The server's autovacuum would otherwise race this test for the same tables.
      const tables = await queryRows<{ name: string }>(
        handle.db,
        sql`select relname as name from pg_class where relkind = 'r' and relnamespace = current_schema()::regnamespace`,
      );
      for (const { name } of tables) await handle.db.execute(sql`alter table ${sql.identifier(name)} set (autovacuum_enabled = off)`);
    }
  });
  afterAll(async () => {
    await handle.close();
  });

  it('analyses the tables that changed past the threshold, then the partitioned parent, and leaves the rest', async () => {
    const count = 400;
    await handle.db.execute(sql`insert into events (namespace, id, "timestamp", content, metadata)
      select 'default', gen_random_uuid(), now() - (i || ' seconds')::interval, jsonb_build_object('text', 'statistics ' || i), '{}'::jsonb
        from generate_series(1, ${count}) as i`);
    const partition = (
      await queryRows<{ name: string }>(
        handle.db,
        sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = to_regclass('events') and c.relname <> 'events_default'
           order by c.relname limit 1`,
      )
    )[0].name;
    await waitForModifications(handle, partition, count);

    const refresh = await refreshPlannerStatistics(handle.db);
    expect(refresh.analysed).toContain(partition);
    expect(refresh.parents).toContain('events');
    const view = await plannerView(handle, partition);
    expect(view.analysed).toBe(true);
    expect(view.reltuples).toBe(count);
    // The BM25 statistics were written by the same inserts: counted as changed too.
    expect(refresh.analysed).toContain('lexeme_stats');
    // Untouched tables are left alone.
    expect(refresh.analysed).not.toContain('code_chunks');

    // Nothing is due right after: a second pass does nothing.
    const again = await refreshPlannerStatistics(handle.db);
    expect(again.analysed).not.toContain(partition);
    expect(again.parents).not.toContain('events');
  });

  it('vacuums a table with many dead row versions', async () => {
    await handle.db.execute(sql`update events set metadata = '{"touched": true}'::jsonb where namespace = 'default'`);
    const partition = (
      await queryRows<{ name: string }>(
        handle.db,
        sql`select relname as name from pg_stat_user_tables where relname like 'events_p%' order by n_live_tup desc limit 1`,
      )
    )[0].name;
    for (let attempt = 0; attempt < 50; attempt++) {
      const [row] = await queryRows<{ dead: number }>(
        handle.db,
        sql`select n_dead_tup::int as dead from pg_stat_user_tables where relname = ${partition}`,
      );
      if (row.dead >= 400) break;
      await new Promise((done) => setTimeout(done, 200));
    }
    const refresh = await refreshPlannerStatistics(handle.db);
    expect(refresh.vacuumed).toContain(partition);
    const [row] = await queryRows<{ dead: number }>(
      handle.db,
      sql`select n_dead_tup::int as dead from pg_stat_user_tables where relname = ${partition}`,
    );
    expect(row.dead).toBeLessThan(50);
  });
});
