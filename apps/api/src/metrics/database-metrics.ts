import { sql } from 'drizzle-orm';
import { queryRows, type DbHandle } from '@mnemolite/db';
import type { Metrics } from './metrics';

/**
 * Rows stored, computed at scrape time. Planner estimates (`reltuples`, kept fresh by autovacuum
 * and ANALYZE) keep a scrape O(1) at tens of millions of rows; tables never analysed count exactly.
 */
export function registerDatabaseMetrics(metrics: Metrics, database: DbHandle): void {
  metrics.gauge('mnemolite_db_pool_connections', 'Server connection pool, by state.', ['state'], (gauge) => {
    const stats = database.poolStats();
    if (!stats) return;
    gauge.set({ state: 'total' }, stats.total);
    gauge.set({ state: 'idle' }, stats.idle);
    gauge.set({ state: 'waiting' }, stats.waiting);
  });
  metrics.gauge('mnemolite_database_available', '1 while the database can be reached, 0 during an outage.', [], (gauge) => {
    gauge.set(database.availability.available ? 1 : 0);
  });
  metrics.gauge('mnemolite_stored_rows', 'Rows stored, by table (estimate for large tables).', ['table'], async (gauge) => {
    // During an outage the scrape still answers (the other metrics matter most then), without counts.
    if (!database.availability.available) return gauge.reset();
    const rows = await storedRows(database);
    gauge.reset();
    for (const row of rows) gauge.set({ table: row.table_name }, Number(row.rows));
  });
}

/** Rows in `events` and `code_chunks` (estimates past 100k rows). */
export function storedRows(database: DbHandle): Promise<{ table_name: string; rows: number }[]> {
  return queryRows<{ table_name: string; rows: number }>(
    database.db,
    sql`select t.name as table_name,
               case when coalesce(sum(c.reltuples) filter (where c.reltuples >= 0), 0) >= 100000
                    then sum(c.reltuples) filter (where c.reltuples >= 0)::bigint
                    else (select count(*) from events) end as rows
          from (values ('events')) as t(name)
          join pg_inherits i on i.inhparent = to_regclass(t.name)
          join pg_class c on c.oid = i.inhrelid
         group by t.name
        union all
        select 'code_chunks', case when c.reltuples >= 100000 then c.reltuples::bigint
                                   else (select count(*) from code_chunks) end
          from pg_class c where c.oid = to_regclass('code_chunks')`,
  );
}
