import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './database';

/**
 * When a table's planner statistics are due, by autovacuum's default thresholds: analysed once more
 * than 50 rows + 10% of the table changed since the last ANALYZE, vacuumed once more than 50 + 20%
 * of its row versions are dead.
 */
export const STATISTICS_THRESHOLDS = {
  analyze: { base: 50, scale: 0.1 },
  vacuum: { base: 50, scale: 0.2 },
} as const;

export interface StatisticsRefresh {
  analysed: string[];
  vacuumed: string[];
  /** Partitioned tables whose own (whole-tree) statistics were gathered after a partition changed. */
  parents: string[];
}

interface TableActivity {
  table: string;
  parent: string | null;
  rows: number;
  dead: number;
  modified: number;
}

/**
 * What autovacuum does on a server, for an engine that has none (PGlite runs no background
 * processes): ANALYZE the tables that changed enough since their last statistics, VACUUM those with
 * many dead row versions (the BM25 statistics rows are updated by every write), then gather the
 * statistics of the partitioned parents whose partitions were analysed (`ANALYZE ONLY` on PostgreSQL
 * 18, PGlite's version, so the partitions are not sampled twice). Without statistics the planner assumes tiny tables: it
 * scans every vector exactly instead of walking the HNSW graphs, and misjudges every join. Tables of
 * the current schema only; cheap when nothing is due (one catalog query).
 */
export async function refreshPlannerStatistics(db: Database): Promise<StatisticsRefresh> {
  const tables = await queryRows<TableActivity>(
    db,
    sql`select s.relname as "table", parent.relname as parent,
               greatest(c.reltuples, 0)::float8 as rows, s.n_dead_tup::float8 as dead, s.n_mod_since_analyze::float8 as modified
          from pg_stat_user_tables s
          join pg_class c on c.oid = s.relid
          left join pg_inherits i on i.inhrelid = s.relid
          left join pg_class parent on parent.oid = i.inhparent and parent.relkind = 'p'
         where s.schemaname = current_schema() and c.relkind = 'r'
         order by s.relname`,
  );
  const due = (count: number, rows: number, threshold: { base: number; scale: number }) => count > threshold.base + threshold.scale * rows;
  const vacuumed = tables.filter((t) => due(t.dead, t.rows, STATISTICS_THRESHOLDS.vacuum)).map((t) => t.table);
  const analysed = tables.filter((t) => due(t.modified, t.rows, STATISTICS_THRESHOLDS.analyze)).map((t) => t.table);
  for (const table of vacuumed) await db.execute(sql`vacuum (analyze) ${sql.identifier(table)}`);
  for (const table of analysed.filter((name) => !vacuumed.includes(name))) await db.execute(sql`analyze ${sql.identifier(table)}`);
  const refreshed = new Set([...analysed, ...vacuumed]);
  const parents = [...new Set(tables.filter((t) => t.parent !== null && refreshed.has(t.table)).map((t) => t.parent as string))];
  if (parents.length > 0) {
    const [{ version }] = await queryRows<{ version: number }>(db, sql`select current_setting('server_version_num')::int as version`);
    // Before PostgreSQL 18 a partitioned table is analysed with its partitions, sampled once more.
    const only = version >= 180000 ? sql`only ` : sql``;
    for (const parent of parents) await db.execute(sql`analyze ${only}${sql.identifier(parent)}`);
  }
  return { analysed, vacuumed, parents };
}
