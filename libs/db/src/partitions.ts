import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from './database';
import type { DatabaseExecutor } from './executor';
import { rebuildSearchStats } from './text-search';

export interface PartitionMaintenanceOptions {
  /** Monthly partitions kept ready ahead of the current month. */
  premakeMonths: number;
  /** Drop partitions entirely older than this many months; `null` keeps everything. */
  retentionMonths: number | null;
  /** The clock, for tests. */
  now?: Date;
}

export interface PartitionMaintenanceReport {
  strategy: 'pg_partman' | 'native';
  /** pg_partman's version when it manages the table. */
  partmanVersion: string | null;
  /** Partitions of `events`, oldest first, after maintenance (the default partition excluded). */
  partitions: string[];
  /** Partitions dropped by retention in this run. */
  dropped: string[];
}

/**
 * The one maintenance entry point for the monthly partitions of `events`, on every engine.
 * With pg_partman (4.x or 5.x) it registers the table once and runs pg_partman's maintenance; without
 * it (PGlite, or a server lacking the extension) it creates the same monthly partitions itself,
 * ahead of time, plus a default partition so that no insert can fail for lack of a partition.
 * Safe to run at every start and on a schedule.
 */
export async function runPartitionMaintenance(db: Database, options: PartitionMaintenanceOptions): Promise<PartitionMaintenanceReport> {
  const partman = await ensurePartman(db);
  const report = partman ? await maintainWithPartman(db, partman, options) : await maintainNatively(db, options);
  await matchParentColumnStorage(db);
  await writeGinEntriesDirectly(db);
  // Dropped partitions take their rows without any trigger seeing them: recount the BM25 statistics.
  if (report.dropped.length > 0) await rebuildSearchStats(db);
  return report;
}

interface Partman {
  schema: string;
  version: string;
  major: number;
}

/** Finds pg_partman, creating the extension when the server has it available but not created. */
async function ensurePartman(db: Database): Promise<Partman | null> {
  const installed = await findPartman(db);
  if (installed) return installed;
  const [available] = await queryRows<{ name: string }>(db, sql`select name from pg_available_extensions where name = 'pg_partman'`);
  if (!available) return null;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS partman`);
      await tx.execute(sql`CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman`);
    });
  } catch {
    // No privilege to create it: the native strategy serves instead.
    return null;
  }
  return findPartman(db);
}

async function findPartman(db: Database): Promise<Partman | null> {
  const [row] = await queryRows<{ schema: string; version: string }>(
    db,
    sql`select n.nspname as schema, e.extversion as version
          from pg_extension e join pg_namespace n on n.oid = e.extnamespace
         where e.extname = 'pg_partman'`,
  );
  if (!row) return null;
  return { schema: row.schema, version: row.version, major: Number.parseInt(row.version, 10) };
}

async function eventsTableName(db: Database): Promise<{ schema: string; qualified: string }> {
  const [row] = await queryRows<{ schema: string }>(
    db,
    sql`select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.oid = to_regclass('events')`,
  );
  if (!row) throw new Error('Table "events" does not exist: run the migrations first.');
  return { schema: row.schema, qualified: `${row.schema}.events` };
}

async function maintainWithPartman(
  db: Database,
  partman: Partman,
  options: PartitionMaintenanceOptions,
): Promise<PartitionMaintenanceReport> {
  const { qualified } = await eventsTableName(db);
  const schema = sql.identifier(partman.schema);
  const [registered] = await queryRows<{ parent_table: string }>(
    db,
    sql`select parent_table from ${schema}.part_config where parent_table = ${qualified}`,
  );
  if (!registered) {
    // Starting at the current month: without it pg_partman also makes `premake` months in the past.
    const start = monthStart(options.now ?? new Date()).toISOString();
    // The two major versions name the partitioning type and the interval differently.
    if (partman.major >= 5) {
      await db.execute(sql`select ${schema}.create_parent(
        p_parent_table := ${qualified}, p_control := 'timestamp', p_interval := '1 month',
        p_type := 'range', p_premake := ${options.premakeMonths}, p_start_partition := ${start})`);
    } else {
      await db.execute(sql`select ${schema}.create_parent(
        p_parent_table := ${qualified}, p_control := 'timestamp', p_type := 'native',
        p_interval := 'monthly', p_premake := ${options.premakeMonths}, p_start_partition := ${start})`);
    }
  }
  const retention = options.retentionMonths === null ? null : `${options.retentionMonths} months`;
  await db.execute(sql`update ${schema}.part_config
      set premake = ${options.premakeMonths}, retention = ${retention}, retention_keep_table = false,
          infinite_time_partitions = true
    where parent_table = ${qualified}`);
  const before = await listPartitions(db);
  // Rows in the default partition make run_maintenance fail (and pg_partman's own partition_data
  // cannot copy generated columns), so back-dated rows are moved here first.
  await drainDefaultPartition(db, async (tx, month) => {
    await tx.execute(sql`select ${schema}.create_partition_time(${qualified}, array[${month.toISOString()}::timestamptz])`);
  });
  await db.execute(sql`select ${schema}.run_maintenance(p_parent_table := ${qualified})`);
  const partitions = await listPartitions(db);
  return {
    strategy: 'pg_partman',
    partmanVersion: partman.version,
    partitions,
    dropped: before.filter((name) => !partitions.includes(name)),
  };
}

async function maintainNatively(db: Database, options: PartitionMaintenanceOptions): Promise<PartitionMaintenanceReport> {
  const now = options.now ?? new Date();
  await db.execute(sql`CREATE TABLE IF NOT EXISTS events_default PARTITION OF events DEFAULT`);
  await drainDefaultPartition(db, createMonthPartition);
  for (let offset = 0; offset <= options.premakeMonths; offset++) {
    await createMonthPartition(db, monthStart(now, offset));
  }
  const dropped: string[] = [];
  if (options.retentionMonths !== null) {
    const cutoff = monthStart(now, -options.retentionMonths);
    for (const name of await listPartitions(db)) {
      const start = parsePartitionName(name);
      if (start && monthStart(start, 1) <= cutoff) {
        await db.execute(sql`DROP TABLE ${sql.identifier(name)}`);
        dropped.push(name);
      }
    }
  }
  return { strategy: 'native', partmanVersion: null, partitions: await listPartitions(db), dropped };
}

async function createMonthPartition(db: DatabaseExecutor, start: Date): Promise<void> {
  const from = start.toISOString();
  const to = monthStart(start, 1).toISOString();
  await db.execute(
    sql.raw(`CREATE TABLE IF NOT EXISTS "${partitionName(start)}" PARTITION OF events FOR VALUES FROM ('${from}') TO ('${to}')`),
  );
}

/**
 * Moves back-dated (or far-future) rows out of the default partition into monthly partitions of
 * their own, so that time filters prune them too and new partitions can be attached. One
 * transaction: the rows are parked in a temporary table, the months are created, the rows go back
 * through the parent. The default partition is locked meanwhile, so no concurrent insert is lost.
 */
async function drainDefaultPartition(db: Database, createPartition: (tx: DatabaseExecutor, month: Date) => Promise<void>): Promise<void> {
  const [row] = await queryRows<{ found: boolean }>(db, sql`select exists (select 1 from events_default) as found`);
  if (!row?.found) return;
  await db.transaction(async (tx) => {
    const columns = await insertableColumns(tx, 'events');
    await tx.execute(sql`LOCK TABLE events_default IN EXCLUSIVE MODE`);
    await tx.execute(sql`CREATE TEMP TABLE events_parked ON COMMIT DROP AS SELECT ${columns} FROM events_default`);
    // Deleting from the partition itself passes by the parent's statistics trigger, inserting through
    // the parent does not: take the rows out of the BM25 statistics here, the insert adds them back.
    await tx.execute(sql`DELETE FROM events_default`);
    await tx.execute(sql`select search_stats_add(array(select (namespace, search_text)::search_stats_doc from events_parked), -1)`);
    const months = await queryRows<{ month: string }>(
      tx,
      sql`select distinct to_char("timestamp" at time zone 'UTC', 'YYYY-MM') as month from events_parked`,
    );
    for (const { month } of months) {
      const [year, monthNumber] = month.split('-').map(Number);
      await createPartition(tx, new Date(Date.UTC(year, monthNumber - 1, 1)));
    }
    // Before the rows go back: a partition pg_partman just made may lack the parent's column storage.
    await matchParentColumnStorage(tx);
    await tx.execute(sql`INSERT INTO events (${columns}) SELECT ${columns} FROM events_parked`);
  });
  // The moved rows are dead versions in the default partition, which every query not pruned to a
  // month reads: left there, each search walked their index entries and heap pages (12.7 ms of a
  // 20,000-event hybrid search after 19,935 rows moved) until autovacuum came, and PGlite has none.
  await db.execute(sql`VACUUM (ANALYZE) events_default`);
}

/**
 * The GIN indexes of every partition (words, metadata) take each row's entries at once
 * (`fastupdate = off`) instead of collecting them in a pending list. PostgreSQL's default keeps up to
 * 4 MB of pending entries per index, flushed only when full or by VACUUM, and every search reads the
 * whole list of every partition it does not prune: on a 100,000-event PGlite store, about 500 pending
 * pages per partition made a one-word lexical search read 5,600 pages (lexical p50 70 -> 25 ms once
 * flushed; SEARCH.md, "GIN pending lists"). Writes measured the same either way on both engines (the
 * HNSW insert dominates them). A partitioned index cannot take the option itself, so each partition's
 * indexes get it here, new partitions included; entries already pending are flushed when it is set.
 */
async function writeGinEntriesDirectly(db: Database): Promise<void> {
  for (const { index, options } of await listPartitionGinIndexes(db)) {
    if (options?.includes('fastupdate=off')) continue;
    await db.execute(sql.raw(`ALTER INDEX ${index} SET (fastupdate = off)`));
    await db.execute(sql`select gin_clean_pending_list(${index}::regclass)`);
  }
}

/** The GIN indexes of the partitions of `events` (schema-qualified, quoted), with their options. */
export async function listPartitionGinIndexes(
  db: DatabaseExecutor,
): Promise<{ partition: string; index: string; options: string[] | null }[]> {
  return queryRows(
    db,
    sql`select t.relname as partition, format('%I.%I', n.nspname, c.relname) as index, c.reloptions as options
          from pg_inherits h
          join pg_class t on t.oid = h.inhrelid
          join pg_index i on i.indrelid = h.inhrelid
          join pg_class c on c.oid = i.indexrelid
          join pg_namespace n on n.oid = c.relnamespace
          join pg_am a on a.oid = c.relam
         where h.inhparent = to_regclass('events') and a.amname = 'gin'
         order by 2`,
  );
}

/**
 * Every column of `table` that an INSERT may set, in table order, read from the catalog (generated
 * and dropped columns left out). Not from the Drizzle definition: a row is moved with every column the
 * table has, also one this code does not know (a later migration, a column added by hand), whose value
 * would otherwise be lost. The partition test adds such a column.
 */
async function insertableColumns(db: DatabaseExecutor, table: string): Promise<SQL> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select attname as name from pg_attribute
         where attrelid = to_regclass(${table}) and attnum > 0 and not attisdropped and attgenerated = ''
         order by attnum`,
  );
  if (rows.length === 0) throw new Error(`table ${table} has no columns (does it exist?)`);
  return sql.join(
    rows.map((row) => sql.identifier(row.name)),
    sql`, `,
  );
}

/**
 * Re-applies the parent's column storage to every partition (pg_partman may not copy it): PLAIN for
 * the vector, MAIN for content, metadata and search_text (see the migrations).
 */
async function matchParentColumnStorage(db: DatabaseExecutor): Promise<void> {
  const rows = await queryRows<{ name: string; column: string; storage: string }>(
    db,
    sql`select c.relname as name, a.attname as column, p.attstorage as storage
          from pg_inherits i
          join pg_class c on c.oid = i.inhrelid
          join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
          join pg_attribute p on p.attrelid = i.inhparent and p.attname = a.attname
         where i.inhparent = to_regclass('events') and a.attstorage <> p.attstorage`,
  );
  const keywords: Record<string, string> = { p: 'PLAIN', m: 'MAIN', e: 'EXTERNAL', x: 'EXTENDED' };
  for (const { name, column, storage } of rows) {
    await db.execute(
      sql`ALTER TABLE ${sql.identifier(name)} ALTER COLUMN ${sql.identifier(column)} SET STORAGE ${sql.raw(keywords[storage])}`,
    );
  }
}

/** Monthly partitions of `events`, oldest first; the default partition is not listed. */
export async function listPartitions(db: Database): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = to_regclass('events')
          and pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
        order by c.relname`,
  );
  return rows.map((row) => row.name);
}

/** pg_partman 4.x's naming for monthly partitions, so both strategies name partitions alike. */
export function partitionName(monthStartUtc: Date): string {
  const month = String(monthStartUtc.getUTCMonth() + 1).padStart(2, '0');
  return `events_p${monthStartUtc.getUTCFullYear()}_${month}`;
}

function parsePartitionName(name: string): Date | null {
  const match = /^events_p(\d{4})_(\d{2})$/.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) : null;
}

/** First instant (UTC) of the month `offset` months after the month containing `date`. */
export function monthStart(date: Date, offset = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}
