import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { DatabaseAvailability } from './availability';
import type { DatabaseExecutor } from './executor';
import type * as schema from './schema';

export type Schema = typeof schema;

/**
 * What raw SQL (`execute`) answers with on both engines: node-postgres's `QueryResult` and PGlite's
 * `Results` both carry the rows as `rows`, so each driver's database is a `Database` without a cast.
 */
export interface RowsQueryResultHKT extends PgQueryResultHKT {
  readonly type: RowsResult<this['row']>;
}

interface RowsResult<TRow> {
  rows: TRow[];
}

/** A Drizzle database on either engine; both share the PostgreSQL dialect and this schema. */
export type Database = PgDatabase<RowsQueryResultHKT, Schema>;

export type Engine = 'postgres' | 'pglite';

/** What `createDb` hands out: the Drizzle handle, the engine behind it, and how to release it. */
export interface DbHandle {
  db: Database;
  engine: Engine;
  /** Whether the server can be reached now; requests should answer 503 at once while it cannot. */
  availability: DatabaseAvailability;
  /** Connection pool counts (server engine); null for the embedded engine, which has one session. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  /** The embedded engine's page cache (`shared_buffers`) in MB, as started; null on a server. */
  sharedBuffersMb: number | null;
  close(): Promise<void>;
}

/**
 * Runs raw SQL and returns its rows, typed as the caller says: nothing checks them, so `T` must
 * match what the statement selects.
 */
export async function queryRows<T>(db: DatabaseExecutor, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return result.rows as T[];
}
