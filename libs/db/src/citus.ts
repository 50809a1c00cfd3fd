import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from './database';

/**
 * Citus (distributed PostgreSQL): detection and the distribution step the migration runner runs after
 * the migrations when the database is a Citus coordinator. See docs/citus.md for what was tried on a
 * real cluster and why the layout is what it is.
 *
 * The namespace is the distribution column: every table holding a namespace's data is hash-distributed
 * by it and co-located with `events`, so one namespace's events, graph, code and BM25 statistics sit
 * in one shard group on one worker, a namespaced query is routed to that worker as a single task, and
 * the statistics triggers (which run on the shards) only ever write co-located shards.
 */

export interface CitusInfo {
  /** The citus extension's version on the coordinator, e.g. "13.2-1". */
  version: string;
  /** Active primary workers (the coordinator not counted). */
  workers: number;
}

/** Tables distributed by `namespace`, co-located; the first is the co-location anchor. */
export const CITUS_DISTRIBUTED_TABLES = ['events', 'nodes', 'edges', 'code_files', 'code_chunks', 'lexeme_stats', 'corpus_stats'] as const;

/**
 * Small tables every node needs a copy of. `search_settings` is read by the `events_search_text`
 * trigger, which runs on the workers' shards, so it must exist there: a reference table is replicated
 * to every node. `api_keys` (when the access migration has created it) is small, read on every
 * request and joined with nothing distributed; a reference table keeps it readable from any node.
 */
export const CITUS_REFERENCE_TABLES = ['search_settings', 'api_keys'] as const;

/**
 * Tables left as plain tables on the coordinator. `jobs` is a work queue: workers claim rows with
 * `FOR UPDATE SKIP LOCKED` and are woken by NOTIFY on the coordinator, and nothing joins it with
 * distributed tables. As a plain table it keeps exactly its single-node semantics; distributed or
 * replicated, every claim would become a (two-phase) write on several nodes for no gain.
 */
export const CITUS_COORDINATOR_TABLES = ['jobs'] as const;

/** The distribution column of every distributed table. */
export const CITUS_DISTRIBUTION_COLUMN = 'namespace';

export interface CitusLayout {
  /** Schema of the tables (default: the first schema of the search path, where migrations put them). */
  schema?: string;
  distributed?: readonly string[];
  reference?: readonly string[];
  /** Tables that must be there; a missing optional reference table is only reported. */
  requiredReference?: readonly string[];
}

export interface CitusDistributionReport {
  citus: CitusInfo;
  /** Tables distributed (or made reference tables) by this call. */
  distributed: string[];
  reference: string[];
  /** Tables already distributed / reference before this call (left as they were). */
  alreadyDone: string[];
  /** Optional reference tables this schema does not have (yet). */
  absent: string[];
}

/**
 * Whether the database is a Citus coordinator: the citus extension is created in it. Returns its
 * version and the number of active workers, or null on plain PostgreSQL and PGlite.
 */
export async function detectCitus(db: Database): Promise<CitusInfo | null> {
  const [ext] = await queryRows<{ version: string }>(db, sql`select extversion as version from pg_extension where extname = 'citus'`);
  if (!ext) return null;
  citusDatabases.add(db);
  // pg_dist_node exists only where the extension is created, so this second query is guarded above.
  const [nodes] = await queryRows<{ workers: number }>(
    db,
    sql`select count(*)::int as workers from pg_dist_node
         where noderole = 'primary' and isactive and groupid <> 0`,
  );
  return { version: ext.version, workers: nodes?.workers ?? 0 };
}

/**
 * Statements that make settings transaction-local on every node a query touches. Citus does not send
 * session settings to the workers, nor values set with `set_config(...)`: only `SET LOCAL` statements,
 * and only while `citus.propagate_set_commands` is 'local'. The first statement sets that, itself
 * transaction-locally (on plain PostgreSQL and PGlite it is an inert placeholder setting). Run them
 * inside the transaction of the query, before it. Names and values are checked, never interpolated raw.
 */
export function transactionSettings(settings: Record<string, string | number>): SQL[] {
  const statements = [sql.raw(`SET LOCAL citus.propagate_set_commands = 'local'`)];
  for (const [name, value] of Object.entries(settings)) {
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) throw new Error(`invalid setting name: ${name}`);
    const text = String(value);
    if (!/^[A-Za-z0-9_.-]+$/.test(text)) throw new Error(`invalid value for ${name}: ${text}`);
    statements.push(sql.raw(`SET LOCAL ${name} = '${text}'`));
  }
  return statements;
}

/**
 * Databases found to be Citus coordinators by `detectCitus` (which `runMigrations` runs at start, on
 * the server engine): the engine is learnt once, then `localSettings` needs no query to choose.
 */
const citusDatabases = new WeakSet<Database>();

/** Whether `detectCitus` found this database to be a Citus coordinator. */
export function isCitusDatabase(db: Database): boolean {
  return citusDatabases.has(db);
}

/**
 * Statements that set transaction-local settings for the next queries of a transaction, reaching
 * every node they run on. On a database `detectCitus` found to be Citus (runMigrations does that at
 * start), the `SET LOCAL` statements of `transactionSettings` (Citus forwards them to the workers);
 * elsewhere (plain PostgreSQL, PGlite) one `select set_config(..., true)`: same semantics, one round
 * trip. Pass the top-level database (not the transaction: it is another object), run the statements in
 * the transaction, before the query.
 */
export function localSettings(db: Database, settings: Record<string, string | number>): SQL[] {
  if (citusDatabases.has(db)) return transactionSettings(settings);
  const calls = Object.entries(settings).map(([name, value]) => sql`set_config(${name}, ${String(value)}, true)`);
  return [sql`select ${sql.join(calls, sql`, `)}`];
}

/**
 * Distributes the schema over the Citus cluster; idempotent (tables already distributed or replicated
 * are left alone). Run after the migrations, in its own transaction. Fails with a clear message when a
 * distributed table lacks the distribution column, or when the cluster has no worker.
 */
export async function distributeTables(db: Database, layout: CitusLayout = {}): Promise<CitusDistributionReport> {
  const citus = await detectCitus(db);
  if (!citus) throw new Error('distributeTables: the citus extension is not created in this database');
  if (citus.workers === 0) {
    throw new Error('Citus has no active worker: add workers (citus_add_node) before the schema can be distributed');
  }
  const distributed = layout.distributed ?? CITUS_DISTRIBUTED_TABLES;
  const reference = layout.reference ?? CITUS_REFERENCE_TABLES;
  const requiredReference = layout.requiredReference ?? ['search_settings'];
  const report: CitusDistributionReport = { citus, distributed: [], reference: [], alreadyDone: [], absent: [] };

  return db.transaction(async (tx) => {
    const schema = layout.schema ?? (await currentSchema(tx));
    // Serialises concurrent starters like the migration lock does (same key space, another key).
    await tx.execute(sql`select pg_advisory_xact_lock(7104301878)`);
    // The BM25 triggers run on the shards and write co-located shards only (see docs/citus.md):
    // Citus refuses to distribute a table with triggers unless this is on.
    await tx.execute(sql`SET LOCAL citus.enable_unsafe_triggers = on`);
    // A transaction that creates several distributed tables must use one connection per worker.
    await tx.execute(sql`SET LOCAL citus.multi_shard_modify_mode = 'sequential'`);

    const state = await tableStates(tx, schema, [...distributed, ...reference]);

    // Reference tables first: the triggers of distributed tables read them on the workers.
    for (const table of reference) {
      const found = state.get(table);
      if (!found) {
        if (requiredReference.includes(table)) throw new Error(`Citus: table ${schema}.${table} does not exist`);
        report.absent.push(table);
        continue;
      }
      if (found.method !== null) {
        report.alreadyDone.push(table);
        continue;
      }
      await tx.execute(sql`select create_reference_table(${qualified(schema, table)})`);
      await tx.execute(sql`select truncate_local_data_after_distributing_table(${qualified(schema, table)})`);
      report.reference.push(table);
    }

    let anchor: string | null = null;
    for (const table of distributed) {
      const found = state.get(table);
      if (!found) throw new Error(`Citus: table ${schema}.${table} does not exist`);
      if (!found.hasNamespace) {
        throw new Error(
          `Citus: ${schema}.${table} has no "${CITUS_DISTRIBUTION_COLUMN}" column, the distribution key; ` +
            'the schema must be migrated to namespaces before it can be distributed',
        );
      }
      const name = qualified(schema, table);
      if (found.method !== null) {
        report.alreadyDone.push(table);
      } else {
        await tx.execute(
          sql`select create_distributed_table(${name}, ${CITUS_DISTRIBUTION_COLUMN},
                colocate_with => ${anchor ?? 'default'})`,
        );
        report.distributed.push(table);
      }
      anchor ??= name;
    }
    // The rows copied into the shards stay on the coordinator's disk, invisible, until truncated.
    // Referencing tables go first: a table cannot be truncated while a local table references it.
    for (const table of [...report.distributed].reverse()) {
      await tx.execute(sql`select truncate_local_data_after_distributing_table(${qualified(schema, table)})`);
    }
    // Settings made with SET LOCAL inside a transaction reach the workers (hnsw.ef_search and the
    // like) for every session of this database, also for clients other than MnemoLite.
    await tx.execute(sql.raw(`ALTER DATABASE ${quoteIdent(await currentDatabase(tx))} SET citus.propagate_set_commands = 'local'`));
    return report;
  });
}

interface TableState {
  /** pg_dist_partition.partmethod: 'h' hash-distributed, 'n' reference/local, null not in Citus. */
  method: string | null;
  hasNamespace: boolean;
}

async function tableStates(db: Database, schema: string, tables: string[]): Promise<Map<string, TableState>> {
  const rows = await queryRows<{ name: string; method: string | null; has_namespace: boolean }>(
    db,
    sql`select c.relname as name, p.partmethod::text as method,
               exists (select 1 from pg_attribute a
                        where a.attrelid = c.oid and a.attname = ${CITUS_DISTRIBUTION_COLUMN} and not a.attisdropped) as has_namespace
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          left join pg_dist_partition p on p.logicalrelid = c.oid
         where n.nspname = ${schema} and c.relkind in ('r', 'p')
           and c.relname in (${sql.join(
             tables.map((t) => sql`${t}`),
             sql`, `,
           )})`,
  );
  return new Map(rows.map((row) => [row.name, { method: row.method, hasNamespace: row.has_namespace }]));
}

async function currentSchema(db: Database): Promise<string> {
  const [row] = await queryRows<{ schema: string }>(db, sql`select current_schema() as schema`);
  return row.schema;
}

async function currentDatabase(db: Database): Promise<string> {
  const [row] = await queryRows<{ name: string }>(db, sql`select current_database() as name`);
  return row.name;
}

function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
